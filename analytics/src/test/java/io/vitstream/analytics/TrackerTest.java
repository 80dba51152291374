package io.vitstream.analytics;

import static io.vitstream.analytics.LineSpecTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackerTest {

    /** minHits 3, maxMisses 5, otherwise the defaults. */
    private static final TrackerSettings SETTINGS = new TrackerSettings(0.5, 0.1, 0.6, 0.2, 0.4, 3, 5);

    static Observation box(double x, double y, double score) {
        return new Observation(x, y, x + 40, y + 80, score, 0, "person");
    }

    private static long[] ids(Tracker.Step step) {
        long[] ids = new long[step.trackOfDetection().length];
        for (int i = 0; i < ids.length; i++) {
            Track track = step.trackOfDetection()[i];
            ids[i] = track == null ? 0 : track.id();
        }
        return ids;
    }

    @Test
    void confirmedAfterMinHitsInARow() {
        Tracker tracker = new Tracker(SETTINGS);
        Tracker.Step first = tracker.update(List.of(box(100, 100, 0.9)));
        Track track = first.trackOfDetection()[0];
        assertFalse(track.confirmed());
        assertArrayEquals(new double[] {100, 100, 140, 180}, track.birthBox(), 0.0);
        assertEquals(0, tracker.update(List.of(box(102, 100, 0.9))).trackOfDetection()[0].id());
        Tracker.Step third = tracker.update(List.of(box(104, 100, 0.9)));
        assertSame(track, third.trackOfDetection()[0]);
        assertEquals(1, track.id());
        assertEquals(List.of(track), third.confirmed());
        assertEquals(3, track.hits());
        assertArrayEquals(new double[] {100, 100, 140, 180}, track.birthBox(), 0.0, "kept on the confirmation frame");
        tracker.update(List.of(box(106, 100, 0.9)));
        assertNull(track.birthBox());
    }

    @Test
    void aTentativeTrackThatMissesIsDroppedAndWastesNoId() {
        Tracker tracker = new Tracker(SETTINGS);
        tracker.update(List.of(box(100, 100, 0.9)));
        tracker.update(List.of(box(100, 100, 0.9)));
        tracker.update(List.of());
        assertEquals(List.of(), tracker.tracks());
        for (int frame = 0; frame < 2; frame++) {
            tracker.update(List.of(box(100, 100, 0.9)));
        }
        assertArrayEquals(new long[] {1}, ids(tracker.update(List.of(box(100, 100, 0.9)))));
    }

    @Test
    void removedAfterMaxMissesAndIdsNeverReused() {
        Tracker tracker = new Tracker(SETTINGS);
        for (int frame = 0; frame < 3; frame++) {
            tracker.update(List.of(box(100, 100, 0.9)));
        }
        Track first = tracker.tracks().get(0);
        for (int miss = 1; miss <= 4; miss++) {
            assertEquals(List.of(), tracker.update(List.of()).removed());
            assertEquals(miss, first.misses());
        }
        assertEquals(List.of(first), tracker.update(List.of()).removed(), "the 5th miss in a row removes it");
        assertEquals(List.of(), tracker.tracks());
        long[] last = {};
        for (int frame = 0; frame < 3; frame++) {
            last = ids(tracker.update(List.of(box(100, 100, 0.9))));
        }
        assertArrayEquals(new long[] {2}, last, "the same place, a new object, the next id");
        assertEquals(3, tracker.nextId());
    }

    @Test
    void aMissingTrackIsFoundAgainBeforeMaxMisses() {
        Tracker tracker = new Tracker(SETTINGS);
        for (int frame = 0; frame < 3; frame++) {
            tracker.update(List.of(box(100, 100, 0.9)));
        }
        for (int miss = 0; miss < 4; miss++) {
            tracker.update(List.of());
        }
        assertArrayEquals(new long[] {1}, ids(tracker.update(List.of(box(100, 100, 0.9)))));
        assertEquals(0, tracker.tracks().get(0).misses());
    }

    /**
     * A walks right at 10 px per frame, B left at 10 px per frame 10 px lower; they meet at frame
     * 20. On frames 19-21 B is hidden behind A (no detection). Each keeps its id, the filter
     * carrying B through the gap, and the detections' order changes on the way.
     */
    @Test
    void idsSurviveCrossingPathsAndAThreeFrameOcclusion() {
        Tracker tracker = new Tracker(SETTINGS);
        for (int frame = 0; frame <= 40; frame++) {
            Observation a = box(100 + 10 * frame, 100, 0.9);
            Observation b = box(500 - 10 * frame, 110, 0.85);
            boolean hidden = frame >= 19 && frame <= 21;
            boolean bFirst = frame % 3 == 1; // frame 0 lists A first, so A is born first
            List<Observation> detections = hidden ? List.of(a) : bFirst ? List.of(b, a) : List.of(a, b);
            long[] ids = ids(tracker.update(detections));
            if (frame >= 2) {
                long[] expected = hidden ? new long[] {1} : bFirst ? new long[] {2, 1} : new long[] {1, 2};
                assertArrayEquals(expected, ids, "frame " + frame);
            }
        }
        assertEquals(3, tracker.nextId());
    }

    @Test
    void lowScoreDetectionsKeepATrackButStartNone() {
        Tracker tracker = new Tracker(SETTINGS);
        for (int frame = 0; frame < 3; frame++) {
            tracker.update(List.of(box(100 + 2 * frame, 100, 0.9)));
        }
        // Ten frames of a partly hidden person scoring 0.3: without the second association the
        // track would be removed after 5.
        for (int frame = 3; frame < 13; frame++) {
            Tracker.Step step = tracker.update(List.of(box(100 + 2 * frame, 100, 0.3), box(600, 300, 0.3)));
            assertArrayEquals(new long[] {1, 0}, ids(step), "frame " + frame);
            assertNull(step.trackOfDetection()[1], "a low score starts no track");
        }
        assertEquals(0, tracker.tracks().get(0).misses());
        assertEquals(1, tracker.tracks().size());
        // Under lowScore a detection is ignored.
        tracker.update(List.of(box(126, 100, 0.05)));
        assertEquals(1, tracker.tracks().get(0).misses());
    }

    @Test
    void lowScoreMatchesNeedTheirOwnGate() {
        Tracker tracker = new Tracker(SETTINGS);
        for (int frame = 0; frame < 3; frame++) {
            tracker.update(List.of(box(100, 100, 0.9)));
        }
        // Shifted by 20 of 40 px: IoU = 20 * 80 / (2 * 3200 - 1600) = 1/3, over matchIou 0.2 but under lowMatchIou 0.4.
        assertArrayEquals(new long[] {0}, ids(tracker.update(List.of(box(120, 100, 0.3)))));
        assertArrayEquals(new long[] {1}, ids(tracker.update(List.of(box(120, 100, 0.9)))));
    }

    @Test
    void newTracksNeedNewTrackScore() {
        Tracker tracker = new Tracker(SETTINGS);
        Tracker.Step step = tracker.update(List.of(box(100, 100, 0.55), box(300, 100, 0.6)));
        assertNull(step.trackOfDetection()[0]);
        assertEquals(1, tracker.tracks().size());
    }

    @Test
    void labelIsTheScoreWeightedVote() {
        Tracker tracker = new Tracker(SETTINGS);
        tracker.update(List.of(new Observation(0, 0, 40, 80, 0.9, 2, "car")));
        tracker.update(List.of(new Observation(0, 0, 40, 80, 0.6, 0, "person")));
        Track track = tracker.tracks().get(0);
        assertEquals("car", track.label(), "0.9 for car against 0.6");
        tracker.update(List.of(new Observation(0, 0, 40, 80, 0.6, 0, "person")));
        assertEquals("person", track.label(), "1.2 for person against 0.9");
        assertEquals(0, track.labelId());
    }

    @Test
    void sameInputSameOutput() {
        List<List<Observation>> frames = new ArrayList<>();
        for (int frame = 0; frame < 30; frame++) {
            frames.add(List.of(box(10 * frame, 0, 0.9), box(10 * frame + 20, 5, 0.9), box(300 - 5 * frame, 0, 0.7)));
        }
        assertEquals(run(frames), run(frames));
    }

    private static List<String> run(List<List<Observation>> frames) {
        Tracker tracker = new Tracker(SETTINGS);
        List<String> out = new ArrayList<>();
        frames.forEach(frame -> out.add(java.util.Arrays.toString(ids(tracker.update(frame)))));
        return out;
    }

    @Test
    void badDetectionsAreNamed() {
        Tracker tracker = new Tracker(SETTINGS);
        Observation inverted = new Observation(10, 0, 0, 10, 0.9, 0, "person");
        assertMessage(() -> tracker.update(List.of(box(0, 0, 0.9), inverted)),
                "detection 1 of the frame: its box has x2 < x1 or y2 < y1 (" + inverted + ")");
        Observation nan = new Observation(0, 0, 10, Double.NaN, 0.9, 0, "person");
        assertMessage(() -> tracker.update(List.of(nan)), "detection 0 of the frame: its box is not finite (" + nan + ")");
        assertTrue(tracker.tracks().isEmpty());
    }

    @Test
    void settingsRanges() {
        assertMessage(() -> new TrackerSettings(0.5, 0.6, 0.6, 0.2, 0.4, 2, 30),
                "tracker settings: need 0 <= lowScore <= highScore <= 1, got lowScore 0.6, highScore 0.5");
        assertMessage(() -> new TrackerSettings(0.5, 0.1, 1.5, 0.2, 0.4, 2, 30),
                "tracker settings: newTrackScore must be within [0, 1], got 1.5");
        assertMessage(() -> new TrackerSettings(0.5, 0.1, 0.6, 0, 0.4, 2, 30),
                "tracker settings: matchIou must be within (0, 1], got 0.0");
        assertMessage(() -> new TrackerSettings(0.5, 0.1, 0.6, 0.2, Double.NaN, 2, 30),
                "tracker settings: lowMatchIou must be within (0, 1], got NaN");
        assertMessage(() -> new TrackerSettings(0.5, 0.1, 0.6, 0.2, 0.4, 0, 30),
                "tracker settings: minHits must be at least 1, got 0");
        assertMessage(() -> new TrackerSettings(0.5, 0.1, 0.6, 0.2, 0.4, 1, 0),
                "tracker settings: maxMisses must be at least 1, got 0");
        assertMessage(() -> new AnalyticsSettings(TrackerSettings.DEFAULT, java.time.Duration.ofSeconds(-1),
                        Anchor.CENTER, 1), "analytics settings: dwell must not be negative, got PT-1S");
        assertMessage(() -> new AnalyticsSettings(TrackerSettings.DEFAULT, java.time.Duration.ZERO, Anchor.CENTER, -1),
                "analytics settings: lineTolerance must be a finite number of pixels >= 0, got -1.0");
    }

    @Test
    void minHitsOneConfirmsOnBirth() {
        Tracker tracker = new Tracker(new TrackerSettings(0.5, 0.1, 0.6, 0.2, 0.4, 1, 5));
        Tracker.Step step = tracker.update(List.of(box(0, 0, 0.9), box(200, 0, 0.9)));
        assertArrayEquals(new long[] {1, 2}, ids(step));
        assertEquals(2, step.confirmed().size());
    }
}
