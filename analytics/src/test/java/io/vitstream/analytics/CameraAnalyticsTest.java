package io.vitstream.analytics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CameraAnalyticsTest {

    /** minHits 2, maxMisses 3; dwell 5 s; bottom-centre anchor; 1 px tolerance. */
    static final AnalyticsSettings SETTINGS = new AnalyticsSettings(
            new TrackerSettings(0.5, 0.1, 0.6, 0.2, 0.4, 2, 3), Duration.ofSeconds(5), Anchor.BOTTOM_CENTER, 1.0);

    /** Drawn left to right at y = 200 from x = 0 to 400: walking down the screen across it is "in". */
    static final LineSpec DOOR = new LineSpec("door", new Point(0, 200), new Point(400, 200));
    /** x in [0, 200], y in [300, 500]. */
    static final ZoneSpec TILL = new ZoneSpec("till",
            List.of(new Point(0, 300), new Point(200, 300), new Point(200, 500), new Point(0, 500)));

    /** A 40 x 80 box whose bottom centre is (x, y). */
    static Observation at(double x, double y, String label) {
        return new Observation(x - 20, y - 80, x + 20, y, 0.9, label.equals("person") ? 0 : 2, label);
    }

    static AnalyticsEvent cross(long id, String label, String direction, Map<String, Map<String, Long>> counts) {
        return new AnalyticsEvent(AnalyticsEvent.LINE_CROSS, id, label, label.equals("person") ? 0 : 2, "door", null,
                direction, null, counts);
    }

    static AnalyticsEvent zone(String type, long id, Long dwellMs, long enter, long exit, long dwell) {
        return new AnalyticsEvent(type, id, "person", 0, null, "till", null, dwellMs,
                Map.of("person", Map.of("enter", enter, "exit", exit, "dwell", dwell)));
    }

    static Map<String, Long> inOut(long in, long out) {
        return Map.of("in", in, "out", out);
    }

    /** Runs frames 100 ms apart from {@code t0}; returns every frame's events. */
    private static List<List<AnalyticsEvent>> run(CameraAnalytics analytics, long t0, List<List<Observation>> frames) {
        List<List<AnalyticsEvent>> events = new ArrayList<>();
        for (int f = 0; f < frames.size(); f++) {
            events.add(analytics.update(frames.get(f), t0 + 100L * f).events());
        }
        return events;
    }

    @Test
    void crossingsInAndOutCountedPerClass() {
        CameraAnalytics analytics = new CameraAnalytics(new CameraConfig(List.of(DOOR), List.of()), SETTINGS);
        // A person walks down at x = 100: anchor y 150, 160, ..., 250; at 200 it is on the line.
        List<List<Observation>> down = new ArrayList<>();
        for (int f = 0; f <= 10; f++) {
            down.add(List.of(at(100, 150 + 10 * f, "person")));
        }
        List<List<AnalyticsEvent>> events = run(analytics, 0, down);
        for (int f = 0; f <= 10; f++) {
            List<AnalyticsEvent> expected = f == 6 // anchor 210, the first point right of the line
                    ? List.of(cross(1, "person", "in", Map.of("person", inOut(1, 0))))
                    : List.of();
            assertEquals(expected, events.get(f), "frame " + f);
        }
        // Three empty frames remove it; then a car walks up at x = 300 and a person down at
        // x = 500, beyond the line's end (ids 2 and 3).
        run(analytics, 2000, List.of(List.of(), List.of(), List.of()));
        List<List<Observation>> both = new ArrayList<>();
        for (int f = 0; f <= 10; f++) {
            both.add(List.of(at(300, 250 - 10 * f, "car"), at(500, 150 + 10 * f, "person")));
        }
        events = run(analytics, 3000, both);
        for (int f = 0; f <= 10; f++) {
            List<AnalyticsEvent> expected = f == 6
                    ? List.of(cross(2, "car", "out", Map.of("car", inOut(0, 1), "person", inOut(1, 0))))
                    : List.of();
            assertEquals(expected, events.get(f), "frame " + f);
        }
        assertEquals(Map.of("lines", Map.of("door", Map.of("car", inOut(0, 1), "person", inOut(1, 0))),
                "zones", Map.of()), analytics.counts());
    }

    @Test
    void jitterOnTheLineIsCountedOnce() {
        double[] ys = {185, 190, 199.5, 200.5, 199.2, 210, 200.6, 199.4, 200.9, 212, 220, 215};
        CameraAnalytics analytics = new CameraAnalytics(new CameraConfig(List.of(DOOR), List.of()), SETTINGS);
        int crossings = 0;
        for (int f = 0; f < ys.length; f++) {
            List<AnalyticsEvent> events = analytics.update(List.of(at(100, ys[f], "person")), 100L * f).events();
            crossings += events.size();
            assertEquals(f == 5 ? 1 : 0, events.size(), "frame " + f);
        }
        assertEquals(1, crossings);
        // Without the tolerance the same path changes sides on frames 3 (in), 4 (out), 5 (in), 7 (out), 8 (in).
        AnalyticsSettings exact = new AnalyticsSettings(SETTINGS.tracker(), SETTINGS.dwell(), SETTINGS.anchor(), 0);
        CameraAnalytics strict = new CameraAnalytics(new CameraConfig(List.of(DOOR), List.of()), exact);
        int strictCrossings = 0;
        for (int f = 0; f < ys.length; f++) {
            strictCrossings += strict.update(List.of(at(100, ys[f], "person")), 100L * f).events().size();
        }
        assertEquals(5, strictCrossings);
    }

    @Test
    void zoneEnterExitAndOneDwellPerVisitByCaptureTime() {
        CameraAnalytics analytics = new CameraAnalytics(new CameraConfig(List.of(), List.of(TILL)), SETTINGS);
        double[] ys = {285, 295, 305, 310, 310, 310, 305, 295, 305, 305, 295};
        long[] times = {0, 1000, 2000, 4000, 6999, 7000, 9000, 12000, 13000, 17000, 18500};
        List<List<AnalyticsEvent>> expected = List.of(List.of(), List.of(),
                List.of(zone(AnalyticsEvent.ZONE_ENTER, 1, null, 1, 0, 0)),
                List.of(), List.of(),
                List.of(zone(AnalyticsEvent.DWELL, 1, 5000L, 1, 0, 1)),
                List.of(),
                List.of(zone(AnalyticsEvent.ZONE_EXIT, 1, 10000L, 1, 1, 1)),
                List.of(zone(AnalyticsEvent.ZONE_ENTER, 1, null, 2, 1, 1)),
                List.of(),
                List.of(zone(AnalyticsEvent.ZONE_EXIT, 1, 5500L, 2, 2, 1)));
        for (int f = 0; f < ys.length; f++) {
            Map<String, Long> insideNow = Map.of("enter", f < 8 ? 1L : 2L, "exit", f < 7 ? 0L : f < 10 ? 1L : 2L,
                    "dwell", f < 5 ? 0L : 1L, "inside", f >= 2 && f < 7 || f == 8 || f == 9 ? 1L : 0L);
            assertEquals(expected.get(f), analytics.update(List.of(at(100, ys[f], "person")), times[f]).events(),
                    "frame " + f);
            if (f >= 2) {
                assertEquals(Map.of("till", Map.of("person", insideNow)), analytics.counts().get("zones"), "frame " + f);
            }
        }
    }

    /**
     * The camera's clock steps back 5 s while the track is inside (capture times are the
     * camera's): the time in the zone is never negative, and no dwell is reported for it. Entered
     * at 10,000 ms; the exit frame is at 6,000 ms, so 6,000 - 10,000 < 0 counts as 0.
     */
    @Test
    void aClockSteppingBackNeverGivesANegativeTimeInTheZone() {
        CameraAnalytics analytics = new CameraAnalytics(new CameraConfig(List.of(), List.of(TILL)), SETTINGS);
        analytics.update(List.of(at(100, 290, "person")), 9000);
        assertEquals(List.of(zone(AnalyticsEvent.ZONE_ENTER, 1, null, 1, 0, 0)),
                analytics.update(List.of(at(100, 305, "person")), 10_000).events());
        assertEquals(List.of(), analytics.update(List.of(at(100, 310, "person")), 5000).events());
        assertEquals(List.of(zone(AnalyticsEvent.ZONE_EXIT, 1, 0L, 1, 1, 0)),
                analytics.update(List.of(at(100, 295, "person")), 6000).events());
    }

    @Test
    void aTrackEndingInsideExitsAsOfTheLastTimeItWasSeen() {
        CameraAnalytics analytics = new CameraAnalytics(new CameraConfig(List.of(), List.of(TILL)), SETTINGS);
        analytics.update(List.of(at(100, 290, "person")), 1000);
        assertEquals(List.of(zone(AnalyticsEvent.ZONE_ENTER, 1, null, 1, 0, 0)),
                analytics.update(List.of(at(100, 305, "person")), 2000).events());
        analytics.update(List.of(at(100, 310, "person")), 3000);
        assertEquals(List.of(), analytics.update(List.of(), 4000).events());
        assertEquals(List.of(), analytics.update(List.of(), 5000).events());
        assertEquals(1, analytics.tracks().size());
        assertEquals(List.of(zone(AnalyticsEvent.ZONE_EXIT, 1, 1000L, 1, 1, 0)),
                analytics.update(List.of(), 6000).events());
        assertEquals(List.of(), analytics.tracks());
        assertEquals(Map.of("person", Map.of("enter", 1L, "exit", 1L, "dwell", 0L, "inside", 0L)),
                analytics.counts().get("zones").get("till"));
    }

    @Test
    void aCrossingBeforeConfirmationIsReportedOnConfirmation() {
        AnalyticsSettings threeHits = new AnalyticsSettings(new TrackerSettings(0.5, 0.1, 0.6, 0.2, 0.4, 3, 3),
                SETTINGS.dwell(), SETTINGS.anchor(), SETTINGS.lineTolerance());
        CameraAnalytics analytics = new CameraAnalytics(new CameraConfig(List.of(DOOR), List.of()), threeHits);
        CameraAnalytics.Outcome born = analytics.update(List.of(at(100, 190, "person")), 0);
        CameraAnalytics.Outcome crossed = analytics.update(List.of(at(100, 205, "person")), 100);
        CameraAnalytics.Outcome confirmed = analytics.update(List.of(at(100, 215, "person")), 200);
        assertArrayEquals(new long[] {0}, born.trackIds());
        assertEquals(List.of(), born.events());
        assertArrayEquals(new long[] {0}, crossed.trackIds());
        assertEquals(List.of(), crossed.events());
        assertArrayEquals(new long[] {1}, confirmed.trackIds());
        assertEquals(List.of(cross(1, "person", "in", Map.of("person", inOut(1, 0)))), confirmed.events());
        // Out and back before confirmation is no crossing.
        CameraAnalytics back = new CameraAnalytics(new CameraConfig(List.of(DOOR), List.of()), threeHits);
        back.update(List.of(at(100, 190, "person")), 0);
        back.update(List.of(at(100, 205, "person")), 100);
        assertEquals(List.of(), back.update(List.of(at(100, 195, "person")), 200).events());
    }

    @Test
    void confirmedInsideAZoneEntersIt() {
        CameraAnalytics analytics = new CameraAnalytics(new CameraConfig(List.of(), List.of(TILL)), SETTINGS);
        assertEquals(List.of(), analytics.update(List.of(at(100, 400, "person")), 0).events());
        assertEquals(List.of(zone(AnalyticsEvent.ZONE_ENTER, 1, null, 1, 0, 0)),
                analytics.update(List.of(at(100, 402, "person")), 100).events());
    }

    @Test
    void eventsOfAFrameComeByTrackIdThenLinesThenZones() {
        // The till is right under the door: a person walking down crosses into both on one frame.
        ZoneSpec under = new ZoneSpec("till", List.of(new Point(0, 200), new Point(400, 200), new Point(400, 400),
                new Point(0, 400)));
        CameraAnalytics analytics = new CameraAnalytics(new CameraConfig(List.of(DOOR), List.of(under)), SETTINGS);
        analytics.update(List.of(at(100, 185, "person"), at(300, 185, "person")), 0);
        analytics.update(List.of(at(300, 190, "person"), at(100, 190, "person")), 100);
        List<AnalyticsEvent> events = analytics.update(List.of(at(300, 205, "person"), at(100, 205, "person")), 200)
                .events();
        assertEquals(List.of("1 line-cross", "1 zone-enter", "2 line-cross", "2 zone-enter"),
                events.stream().map(e -> e.trackId() + " " + e.type()).toList());
    }

    @Test
    void trackViewsShowConfirmedTracks() {
        CameraAnalytics analytics = new CameraAnalytics(CameraConfig.EMPTY, SETTINGS);
        analytics.update(List.of(at(100, 100, "car")), 0);
        assertEquals(List.of(), analytics.tracks());
        analytics.update(List.of(at(100, 100, "car")), 100);
        analytics.update(List.of(), 200);
        CameraAnalytics.TrackView view = analytics.tracks().get(0);
        assertEquals(1, view.id());
        assertEquals("car", view.label());
        assertEquals(1, view.misses());
        assertEquals(80, view.x1(), 0.5);
        assertEquals(100, view.y2(), 0.5);
        assertEquals(3, analytics.framesSeen());
    }
}
