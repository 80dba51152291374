package io.vitstream.analytics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    private static final AnalyticsSettings SETTINGS = new AnalyticsSettings(
            new TrackerSettings(0.5, 0.1, 0.6, 0.2, 0.4, 3, 15), Duration.ofSeconds(2), Anchor.BOTTOM_CENTER, 1.0);
    private static final int FRAMES = 2000;

    private record Frame(List<Observation> detections, long timeMs) {}

    private static List<Frame> scene(long seed, int objects) {
        MovingBoxes boxes = new MovingBoxes(seed, objects);
        List<Frame> frames = new ArrayList<>();
        for (int f = 0; f < FRAMES; f++) {
            frames.add(new Frame(boxes.next(), boxes.timeMs()));
        }
        return frames;
    }

    @Test
    void restoredMidSequenceContinuesExactlyAsAnUninterruptedRun() {
        List<Frame> frames = scene(7, 12);
        CameraAnalytics uninterrupted = new CameraAnalytics(MovingBoxes.config(), SETTINGS);
        List<CameraAnalytics.Outcome> expected = new ArrayList<>();
        frames.forEach(f -> expected.add(uninterrupted.update(f.detections(), f.timeMs())));

        // The same frames, restarted from a snapshot every 1 to 150 frames.
        java.util.Random restarts = new java.util.Random(3);
        CameraAnalytics restarted = new CameraAnalytics(MovingBoxes.config(), SETTINGS);
        int nextRestart = 1;
        int restores = 0;
        for (int f = 0; f < FRAMES; f++) {
            if (f == nextRestart) {
                String snapshot = restarted.snapshot();
                restarted = CameraAnalytics.restore(MovingBoxes.config(), SETTINGS, snapshot);
                assertEquals(snapshot, restarted.snapshot(), "a restored state writes the same snapshot");
                nextRestart += 1 + restarts.nextInt(150);
                restores++;
            }
            CameraAnalytics.Outcome outcome = restarted.update(frames.get(f).detections(), frames.get(f).timeMs());
            assertArrayEquals(expected.get(f).trackIds(), outcome.trackIds(), "track ids of frame " + f);
            assertEquals(expected.get(f).events(), outcome.events(), "events of frame " + f);
        }
        assertTrue(restores > 20);
        assertEquals(uninterrupted.snapshot(), restarted.snapshot());
        assertEquals(uninterrupted.counts(), restarted.counts());
        assertEquals(uninterrupted.tracks(), restarted.tracks());
        assertEquals(FRAMES, restarted.framesSeen());
        assertSceneHadEverything(expected);
    }

    /** The sequence must exercise what a snapshot holds, or the comparison proves little. */
    private static void assertSceneHadEverything(List<CameraAnalytics.Outcome> outcomes) {
        Map<String, Integer> byType = new HashMap<>();
        long maxId = 0;
        for (CameraAnalytics.Outcome outcome : outcomes) {
            outcome.events().forEach(e -> byType.merge(e.type() + " " + e.direction(), 1, Integer::sum));
            for (long id : outcome.trackIds()) {
                maxId = Math.max(maxId, id);
            }
        }
        for (String type : List.of("line-cross in", "line-cross out", "zone-enter null", "zone-exit null", "dwell null")) {
            assertTrue(byType.getOrDefault(type, 0) >= 5, type + " happened " + byType.get(type) + " times: " + byType);
        }
        assertTrue(maxId > 20, "tracks ended and new ones started: " + maxId);
    }

    @Test
    void snapshotOfTwentyTracksIsAFewKilobytes() {
        CameraAnalytics analytics = new CameraAnalytics(MovingBoxes.config(), SETTINGS);
        MovingBoxes boxes = new MovingBoxes(11, 20);
        for (int f = 0; f < 300; f++) {
            analytics.update(boxes.next(), boxes.timeMs());
        }
        int tracks = analytics.tracks().size();
        int bytes = analytics.snapshot().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertTrue(tracks >= 18, tracks + " tracks");
        assertTrue(bytes < 400 * tracks + 1000, bytes + " bytes for " + tracks + " tracks");
    }

    @Test
    void restoreUnderANewConfigDropsCountsOfNamesGone() {
        CameraAnalytics analytics = new CameraAnalytics(MovingBoxes.config(), SETTINGS);
        MovingBoxes boxes = new MovingBoxes(5, 10);
        for (int f = 0; f < 500; f++) {
            analytics.update(boxes.next(), boxes.timeMs());
        }
        CameraConfig onlyDoor = new CameraConfig(List.of(MovingBoxes.config().lines().get(0)), List.of());
        CameraAnalytics restored = CameraAnalytics.restore(onlyDoor, SETTINGS, analytics.snapshot());
        assertEquals(onlyDoor, restored.config());
        assertEquals(Map.of("lines", Map.of("door", analytics.counts().get("lines").get("door")), "zones", Map.of()),
                restored.counts());
        assertEquals(analytics.tracks(), restored.tracks());
    }

    @Test
    void unreadableSnapshotsAreRefused() {
        LineSpecTest.assertMessage(() -> CameraAnalytics.restore(CameraConfig.EMPTY, SETTINGS, "{\"format\": 2}"),
                "camera analytics snapshot is not readable: format 2, this code reads format 1");
        LineSpecTest.assertMessage(() -> CameraAnalytics.restore(CameraConfig.EMPTY, SETTINGS, "{\"format\": 1}"),
                "camera analytics snapshot is not readable: 'config' is missing");
    }
}
