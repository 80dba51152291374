package io.vitstream.analytics.sequences;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.Anchor;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.LineSpec;
import io.vitstream.analytics.Point;
import io.vitstream.analytics.TrackerSettings;
import io.vitstream.analytics.ZoneSpec;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

class TruthEventsTest {

    /** Dwell 1 s, bottom-centre anchor, 1 pixel tolerance. */
    private static final AnalyticsSettings SETTINGS =
            new AnalyticsSettings(TrackerSettings.DEFAULT, Duration.ofSeconds(1), Anchor.BOTTOM_CENTER, 1.0);

    /** "door" from (0, 50) to (100, 50): looking along it, the right-hand side is below (y down), so downwards is "in". */
    private static final CameraConfig DOOR = new CameraConfig(List.of(new LineSpec("door", new Point(0, 50), new Point(100, 50))), List.of());

    private static final CameraConfig TILL = new CameraConfig(List.of(), List.of(new ZoneSpec("till",
            List.of(new Point(0, 0), new Point(100, 0), new Point(100, 100), new Point(0, 100)))));

    /** An item whose bottom-centre anchor is (x, y). */
    private static TruthObject item(int id, int x, int y, boolean visible) {
        return new TruthObject(id, 8, "Bag", x - 5, y - 10, x + 5, y, visible, 1.0);
    }

    /** Frames at 10 frames/s (100 ms apart), each listing the items given for it. */
    private static List<TruthFrame> frames(Map<Integer, List<TruthObject>> byFrame, int count) {
        List<TruthFrame> out = new ArrayList<>();
        for (int t = 0; t < count; t++) out.add(new TruthFrame(t, t * 100L, byFrame.getOrDefault(t, List.of())));
        return out;
    }

    @Test
    void crossingsHaveTheLineDirectionAndPointsOnTheLineDoNotCount() {
        // Anchors y: 40, 45, 55 (crosses downwards: in, frame 2), 50 (on the line: no side),
        // 56 (same side as before: nothing), 30 (crosses upwards: out, frame 5).
        int[] ys = {40, 45, 55, 50, 56, 30};
        Map<Integer, List<TruthObject>> byFrame = new TreeMap<>();
        for (int t = 0; t < ys.length; t++) byFrame.put(t, List.of(item(1, 50, ys[t], true)));
        List<FrameEvent> events = TruthEvents.of(frames(byFrame, ys.length), DOOR, SETTINGS);
        assertEquals(List.of(new FrameEvent(2, "line-cross", 1, "Bag", "door", null, "in", null),
                new FrameEvent(5, "line-cross", 1, "Bag", "door", null, "out", null)), events);
    }

    @Test
    void passingBesideTheSegmentIsNoCrossing() {
        // x = 150 is beyond the segment's end at x = 100: the same move crosses only the extension.
        Map<Integer, List<TruthObject>> byFrame = Map.of(0, List.of(item(1, 150, 40, true)), 1, List.of(item(1, 150, 60, true)));
        assertEquals(List.of(), TruthEvents.of(frames(byFrame, 2), DOOR, SETTINGS));
    }

    @Test
    void aCrossingBehindAnOccluderIsSeenWhenTheItemShowsAgain() {
        // Frame 1 is below the line but hidden; frame 2 shows it below: the crossing is on frame 2.
        Map<Integer, List<TruthObject>> byFrame = Map.of(0, List.of(item(1, 50, 40, true)), 1, List.of(item(1, 50, 55, false)),
                2, List.of(item(1, 50, 60, true)));
        assertEquals(List.of(new FrameEvent(2, "line-cross", 1, "Bag", "door", null, "in", null)),
                TruthEvents.of(frames(byFrame, 3), DOOR, SETTINGS));
    }

    @Test
    void enterDwellOnceAndExit() {
        // Outside on frame 0, inside on frames 1-11, outside on frame 12. Entered at 100 ms; the
        // first frame at least 1000 ms later is frame 11 (1100 ms): dwell once, with 1000 ms.
        // Exit on frame 12 (1200 ms), 1100 ms after entering.
        Map<Integer, List<TruthObject>> byFrame = new TreeMap<>();
        byFrame.put(0, List.of(item(1, 150, 50, true)));
        for (int t = 1; t <= 11; t++) byFrame.put(t, List.of(item(1, 90, 50, true)));
        byFrame.put(12, List.of(item(1, 150, 50, true)));
        assertEquals(List.of(new FrameEvent(1, "zone-enter", 1, "Bag", null, "till", null, null),
                new FrameEvent(11, "dwell", 1, "Bag", null, "till", null, 1000L),
                new FrameEvent(12, "zone-exit", 1, "Bag", null, "till", null, 1100L)),
                TruthEvents.of(frames(byFrame, 13), TILL, SETTINGS));
    }

    @Test
    void firstSeenInsideEntersLeavingTheFrameInsideExitsAndTheEndOfTheSequenceDoesNot() {
        // Item 2 is inside on frames 0-2 and gone on frame 3: enter at 0, exit at 3 (300 ms).
        // Item 3 is inside on frames 0-4, the whole 5-frame sequence: enter at 0 only.
        Map<Integer, List<TruthObject>> byFrame = new TreeMap<>();
        for (int t = 0; t < 5; t++) {
            byFrame.put(t, t <= 2 ? List.of(item(2, 50, 50, true), item(3, 20, 20, true)) : List.of(item(3, 20, 20, true)));
        }
        assertEquals(List.of(new FrameEvent(0, "zone-enter", 2, "Bag", null, "till", null, null),
                new FrameEvent(0, "zone-enter", 3, "Bag", null, "till", null, null),
                new FrameEvent(3, "zone-exit", 2, "Bag", null, "till", null, 300L)),
                TruthEvents.of(frames(byFrame, 5), TILL, SETTINGS));
    }
}
