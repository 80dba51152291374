package io.vitstream.stream.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.results.Box;
import io.vitstream.results.Detection;
import io.vitstream.results.Event;
import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;
import io.vitstream.results.ResultsJson;
import io.vitstream.stream.pipeline.Frame;
import io.vitstream.stream.pipeline.OutputRecord;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stage between the model pass and publishing: track ids on the tracked head's results,
 * events after their frame's results, one checkpoint per camera and batch, and state that goes
 * back on rollback and continues from checkpoints.
 *
 * <p>The scene: on camera "cam-a" one bag moves straight down, 20 px per frame, box
 * (100, y, 140, y + 40) with y = 60 + 20 i, so its bottom centre is at y = 100 + 20 i. The line
 * "door" runs from (0, 200) to (400, 200), left to right, so below it is its right-hand side.
 * The bottom centre is above the line (y < 200) up to frame 4 (y = 180), on it at frame 5
 * (y = 200, within the line tolerance: no side change) and below from frame 6 (y = 220): one
 * crossing, direction in, on frame 6.
 */
class AnalyticsStageTest {

    private static final CameraConfig DOOR = CameraConfig.fromJson("{\"lines\": {\"door\": [0, 200, 400, 200]}}");

    private static Frame frame(String camera, long offset) {
        return new Frame(camera, new byte[0], "frames", 0, offset, offset, 1_000_000 + 250 * offset, System.nanoTime());
    }

    private static OutputRecord result(Frame f, String head, List<Detection> dets) {
        FrameResult r = new FrameResult(FrameResult.SCHEMA, f.camera(), head, FrameResult.Status.OK, null,
                new FrameResult.FrameRef(f.topic(), f.partition(), f.offset(), f.sequence(), f.captureTimeMs(), 400, 400),
                new FrameResult.ModelRef("m", "sha256:" + "0".repeat(64), "fp32", "cpu"), new FrameResult.Timings(0, 0, 0, 0), 0,
                new HeadResult.Detections(dets));
        return new OutputRecord("detections", f.camera(), ResultsJson.write(r), Map.of(), f, OutputRecord.Kind.RESULT, r);
    }

    private static List<OutputRecord> batch(long from, long to) {
        List<OutputRecord> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            float y = 60 + 20 * i;
            out.add(result(frame("cam-a", i), "detection", List.of(new Detection(8, "Bag", 0.9f, new Box(100, y, 140, y + 40)))));
        }
        return out;
    }

    private static AnalyticsStage stage(Map<String, Checkpoint> stored) {
        return new AnalyticsStage("detection", AnalyticsSettings.DEFAULT, 0.3, camera -> DOOR, () -> stored, "events", "state");
    }

    private static List<String> describe(List<OutputRecord> records) {
        return records.stream().map(r -> r.kind() + " " + r.topic() + " " + r.key() + " "
                + (r.kind() == OutputRecord.Kind.STATE ? "" : new String(r.value(), StandardCharsets.UTF_8).replaceAll("\"published_at_ms\":\\d+", "")))
                .toList();
    }

    private static List<Event> events(List<OutputRecord> records) {
        return records.stream().filter(r -> r.kind() == OutputRecord.Kind.EVENT).map(r -> ResultsJson.readEvent(r.value())).toList();
    }

    @Test
    void tracksAddsTheCrossingAfterItsFrameAndOneCheckpointPerCamera() {
        AnalyticsStage s = stage(Map.of());
        List<OutputRecord> out = s.apply(batch(0, 8));
        s.commit();
        List<Event> events = events(out);
        assertEquals(1, events.size(), describe(out).toString());
        Event e = events.get(0);
        assertEquals("line-cross", e.type());
        assertEquals("door", e.line());
        assertEquals("in", e.direction());
        assertEquals(6, e.frame().offset());
        assertEquals(Map.of("Bag", Map.of("in", 1L, "out", 0L)), e.counts());
        // the event comes right after frame 6's result
        int at = out.indexOf(out.stream().filter(r -> r.kind() == OutputRecord.Kind.EVENT).findFirst().orElseThrow());
        assertEquals(6, out.get(at - 1).source().offset());
        assertEquals(OutputRecord.Kind.RESULT, out.get(at - 1).kind());
        // confirmed after min-hits frames, same id all along
        long id = e.trackId();
        for (OutputRecord r : out) {
            if (r.kind() == OutputRecord.Kind.RESULT) {
                Detection d = ((HeadResult.Detections) r.result().result()).detections().get(0);
                if (r.source().offset() >= AnalyticsSettings.DEFAULT.tracker().minHits() - 1) {
                    assertEquals(id, d.trackId(), "frame " + r.source().offset());
                } else {
                    assertNull(d.trackId(), "tentative on frame " + r.source().offset());
                }
                assertEquals(r.result(), ResultsJson.read(r.value()), "the value is the result with its ids");
            }
        }
        List<OutputRecord> states = out.stream().filter(r -> r.kind() == OutputRecord.Kind.STATE).toList();
        assertEquals(1, states.size());
        assertEquals(out.get(out.size() - 1), states.get(0), "the checkpoint goes last");
        Checkpoint cp = Checkpoint.fromBytes("cam-a", states.get(0).value());
        assertEquals(7, cp.offset());
        assertTrue(s.view("cam-a").isPresent());
    }

    @Test
    void aMalformedBoxIsLeftOutOfTrackingWithoutLosingTheFrame() {
        AnalyticsStage s = stage(Map.of());
        List<OutputRecord> out = new ArrayList<>();
        for (long i = 0; i < 3; i++) {
            Frame f = frame("cam-c", i);
            out.addAll(s.apply(List.of(result(f, "detection", List.of(new Detection(8, "Bag", 0.9f, new Box(100, 10, 140, 50)),
                    new Detection(8, "Bag", 0.9f, new Box(300, 10, 200, 50)), new Detection(8, "Bag", 0.9f, new Box(0, 0, Float.NaN, 9)))))));
            s.commit();
        }
        OutputRecord last = out.stream().filter(r -> r.kind() == OutputRecord.Kind.RESULT).reduce((a, b) -> b).orElseThrow();
        List<Detection> dets = ((HeadResult.Detections) last.result().result()).detections();
        assertEquals(3, dets.size(), "every detection is still published");
        assertEquals(1L, dets.get(0).trackId(), "the well-formed box is tracked (confirmed after 2 frames)");
        assertNull(dets.get(1).trackId(), "x2 < x1: not tracked");
        assertNull(dets.get(2).trackId(), "NaN: not tracked");
    }

    /**
     * Two boxes on one bag: (100, 10)-(140, 50) at 0.9 and (102, 10)-(142, 50) at 0.8 overlap by
     * 38 x 40 = 1520 of 1600 + 1600 - 1520 = 1680, IoU 0.90 > 0.3: only the first is tracked, so
     * there is one track, not two.
     */
    @Test
    void ofDuplicateBoxesOnlyTheBestIsTracked() {
        AnalyticsStage s = stage(Map.of());
        List<Detection> last = List.of();
        for (long i = 0; i < 3; i++) {
            List<OutputRecord> out = s.apply(List.of(result(frame("cam-d", i), "detection", List.of(
                    new Detection(8, "Bag", 0.9f, new Box(100, 10, 140, 50)), new Detection(2, "Pullover", 0.8f, new Box(102, 10, 142, 50))))));
            s.commit();
            last = ((HeadResult.Detections) out.get(0).result().result()).detections();
        }
        assertEquals(1L, last.get(0).trackId());
        assertNull(last.get(1).trackId(), "the duplicate starts no track of its own");
        assertEquals(1, s.view("cam-d").orElseThrow().tracks().size());
    }

    @Test
    void otherHeadsAndCamerasWithoutDetectionsPassUnchanged() {
        AnalyticsStage s = stage(Map.of());
        OutputRecord other = result(frame("cam-b", 0), "other-head", List.of(new Detection(1, "x", 0.9f, new Box(0, 0, 9, 9))));
        List<OutputRecord> out = s.apply(List.of(other));
        assertEquals(List.of(other), out);
    }

    @Test
    void rollbackPutsTheCameraBackSoTheRetryGivesTheSameRecords() {
        AnalyticsStage once = stage(Map.of());
        once.apply(batch(0, 4));
        once.commit();
        List<String> expected = describe(once.apply(batch(4, 8)));

        AnalyticsStage retried = stage(Map.of());
        retried.apply(batch(0, 4));
        retried.commit();
        retried.apply(batch(4, 8));
        retried.rollback();
        assertEquals(expected, describe(retried.apply(batch(4, 8))), "the aborted batch again, from the committed state");
    }

    /** A batch that fails half-way (here: no configuration for its second camera) is consumed again from the committed state. */
    @Test
    void aBatchThatFailsHalfWayLeavesNoStateBehind() {
        List<String> expected = describe(stage(Map.of()).apply(batch(0, 4)));
        AnalyticsStage s = new AnalyticsStage("detection", AnalyticsSettings.DEFAULT, 0.3, camera -> {
            if (camera.equals("cam-x")) {
                throw new IllegalStateException("no configuration for cam-x");
            }
            return DOOR;
        }, Map::of, "events", "state");
        List<OutputRecord> failing = new ArrayList<>(batch(0, 4));
        failing.add(result(frame("cam-x", 0), "detection", List.of(new Detection(8, "Bag", 0.9f, new Box(0, 0, 9, 9)))));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> s.apply(failing));
        assertEquals(expected, describe(s.apply(batch(0, 4))), "cam-a's frames again, as if the failed batch never ran");
    }

    @Test
    void aNewInstanceContinuesFromTheCheckpointsAndSkipsFramesAlreadyApplied() {
        AnalyticsStage first = stage(Map.of());
        List<OutputRecord> firstOut = first.apply(batch(0, 4));
        first.commit();
        List<String> expected = describe(first.apply(batch(4, 8)));

        Map<String, Checkpoint> stored = new HashMap<>();
        firstOut.stream().filter(r -> r.kind() == OutputRecord.Kind.STATE)
                .forEach(r -> stored.put(r.key(), Checkpoint.fromBytes(r.key(), r.value())));
        AnalyticsStage restarted = stage(stored);
        // frames 2 and 3 come again (consumed again after a restart): applied before, so unchanged
        List<OutputRecord> again = restarted.apply(batch(2, 4));
        assertEquals(describe(batch(2, 4)), describe(again.stream().filter(r -> r.kind() != OutputRecord.Kind.STATE).toList()));
        assertTrue(events(again).isEmpty());
        restarted.commit();
        List<OutputRecord> next = restarted.apply(batch(4, 8));
        assertEquals(expected, describe(next), "continues exactly as the first instance would");
        assertFalse(events(next).isEmpty());
    }
}
