package io.vitstream.analytics;

import static io.vitstream.analytics.CameraAnalyticsTest.DOOR;
import static io.vitstream.analytics.CameraAnalyticsTest.SETTINGS;
import static io.vitstream.analytics.CameraAnalyticsTest.TILL;
import static io.vitstream.analytics.CameraAnalyticsTest.at;
import static io.vitstream.analytics.CameraAnalyticsTest.inOut;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconfigureTest {

    private static final LineSpec EXIT = new LineSpec("exit", new Point(0, 260), new Point(400, 260));
    /** y from 245 to 400: the walker below is inside from anchor y 250 on. */
    private static final ZoneSpec HALL = new ZoneSpec("hall",
            List.of(new Point(0, 245), new Point(400, 245), new Point(400, 400), new Point(0, 400)));

    private long time;

    private CameraAnalytics.Outcome step(CameraAnalytics analytics, double y) {
        time += 100;
        return analytics.update(List.of(at(100, y, "person")), time);
    }

    @Test
    void tracksStayCountsOfKeptNamesStayNewNamesStartAtZero() {
        CameraAnalytics analytics = new CameraAnalytics(new CameraConfig(List.of(DOOR), List.of(TILL)), SETTINGS);
        for (double y = 180; y <= 240; y += 10) {
            step(analytics, y);
        }
        assertEquals(Map.of("door", Map.of("person", inOut(1, 0))), analytics.counts().get("lines"));

        analytics.reconfigure(new CameraConfig(List.of(DOOR, EXIT), List.of(HALL)));
        assertEquals(Map.of("door", Map.of("person", inOut(1, 0)), "exit", Map.of()), analytics.counts().get("lines"));
        assertEquals(Map.of("hall", Map.of()), analytics.counts().get("zones"), "till is gone, hall starts empty");

        CameraAnalytics.Outcome inHall = step(analytics, 250);
        assertArrayEquals(new long[] {1}, inHall.trackIds(), "the track keeps its id");
        assertEquals(List.of(new AnalyticsEvent(AnalyticsEvent.ZONE_ENTER, 1, "person", 0, null, "hall", null, null,
                Map.of("person", Map.of("enter", 1L, "exit", 0L, "dwell", 0L)))), inHall.events());
        assertEquals(List.of(), step(analytics, 260).events(), "on the new line");
        // The new line learned the side from the last anchor before the change (240, left of it).
        assertEquals(List.of(new AnalyticsEvent(AnalyticsEvent.LINE_CROSS, 1, "person", 0, "exit", null, "in", null,
                Map.of("person", inOut(1, 0)))), step(analytics, 270).events());

        // The door moves under the walker, keeping its name and counts; the side is learned again.
        LineSpec movedDoor = new LineSpec("door", new Point(0, 300), new Point(400, 300));
        analytics.reconfigure(new CameraConfig(List.of(movedDoor, EXIT), List.of(HALL)));
        step(analytics, 280);
        step(analytics, 290);
        assertEquals(List.of(), step(analytics, 300).events());
        assertEquals(List.of(new AnalyticsEvent(AnalyticsEvent.LINE_CROSS, 1, "person", 0, "door", null, "in", null,
                Map.of("person", inOut(2, 0)))), step(analytics, 310).events());
        assertEquals(new CameraConfig(List.of(movedDoor, EXIT), List.of(HALL)), analytics.config());
    }

    @Test
    void aRemovedZoneEndsItsVisitsSilently() {
        CameraAnalytics analytics = new CameraAnalytics(new CameraConfig(List.of(), List.of(TILL)), SETTINGS);
        step(analytics, 350);
        step(analytics, 355);
        analytics.reconfigure(CameraConfig.EMPTY);
        assertEquals(List.of(), step(analytics, 360).events());
        analytics.reconfigure(new CameraConfig(List.of(), List.of(TILL)));
        assertEquals(AnalyticsEvent.ZONE_ENTER, step(analytics, 365).events().get(0).type(),
                "back as a new zone: entered again, counts from 0");
        assertEquals(1L, analytics.counts().get("zones").get("till").get("person").get("enter"));
    }
}
