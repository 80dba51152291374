package io.vitstream.stream.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.results.Box;
import io.vitstream.results.Detection;
import io.vitstream.results.Event;
import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;
import io.vitstream.results.Label;
import io.vitstream.results.ResultsJson;
import io.vitstream.stream.pipeline.Frame;
import io.vitstream.stream.pipeline.OutputRecord;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class LiveStateTest {

    private static Frame frame(String camera, long offset) {
        return new Frame(camera, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) offset}, "frames", 0, offset, null, 1000 + offset, 0);
    }

    private static OutputRecord detections(Frame f, Detection... ds) {
        return result(f, "detection", new HeadResult.Detections(List.of(ds)));
    }

    private static OutputRecord result(Frame f, String head, HeadResult r) {
        FrameResult fr = new FrameResult(FrameResult.SCHEMA, f.camera(), head, FrameResult.Status.OK, null,
                new FrameResult.FrameRef(f.topic(), f.partition(), f.offset(), null, f.captureTimeMs(), 640, 480),
                new FrameResult.ModelRef("m", "sha256:0", "fp32", "cpu"), new FrameResult.Timings(1, 2, 3, 40 + f.offset()), 0, r);
        return new OutputRecord("detections", f.camera(), new byte[0], Map.of(), f, OutputRecord.Kind.RESULT, fr);
    }

    private static Detection det(long track, float x1, float y1, float x2, float y2) {
        return new Detection(1, "Bag", 0.9f, new Box(x1, y1, x2, y2), track);
    }

    @Test
    void keepsTheNewestFrameWithItsAnswersAndIgnoresALateOlderOne() {
        LiveState s = new LiveState(8, 4, 5, 1 << 20);
        Frame f1 = frame("cam-1", 10);
        Frame f2 = frame("cam-1", 11);
        s.record(List.of(detections(f1, det(1, 0, 0, 10, 10)), result(f1, "classifier",
                new HeadResult.Classification(List.of(new Label(3, "Dress", 0.7f))))), 1_000);
        s.record(List.of(detections(f2, det(1, 10, 0, 20, 10))), 1_500);
        s.record(List.of(detections(f1, det(1, 0, 0, 10, 10))), 1_600); // acknowledged late
        LiveState.View v = s.view("cam-1", 1_700).orElseThrow();
        assertEquals(2, v.last().version());
        assertEquals(11, v.last().frame().offset());
        assertSame(f2.bytes(), v.last().bytes());
        assertEquals("detection", v.detectionHead());
        assertEquals(15f, v.detections().detections().get(0).box().x1() + 5, 1e-6);
        // The classification belonged to frame 10: frame 11 has none yet.
        assertNull(v.classification());
        assertEquals(51.0, v.latencyMs(), 1e-9);
        assertTrue(s.view("cam-2").isEmpty());
    }

    @Test
    void trailsFollowATrackAndEndWhenItIsGone() {
        LiveState s = new LiveState(8, 3, 5, 1 << 20);
        for (int i = 0; i < 5; i++) {
            s.record(List.of(detections(frame("c", i), det(7, 10 * i, 0, 10 * i + 10, 20))), 1000 + i);
        }
        LiveState.View v = s.view("c", 2000).orElseThrow();
        assertEquals(1, v.trails().size());
        List<double[]> pts = v.trails().get(0).points();
        assertEquals(3, pts.size(), "at most trail-length centres");
        assertArrayEquals(new double[] {25, 10}, pts.get(0), 1e-9);
        assertArrayEquals(new double[] {45, 10}, pts.get(2), 1e-9);
        // Frames without track 7: not drawn at once, and forgotten after trail-length frames.
        s.record(List.of(detections(frame("c", 5), det(8, 0, 0, 2, 2))), 1006);
        assertEquals(List.of(8L), s.view("c", 2000).orElseThrow().trails().stream().map(LiveState.Trail::trackId).toList());
        s.record(List.of(detections(frame("c", 6))), 1007);
        s.record(List.of(detections(frame("c", 7))), 1008);
        s.record(List.of(detections(frame("c", 8), det(7, 0, 0, 2, 2))), 1009);
        assertEquals(1, s.view("c", 2000).orElseThrow().trails().get(0).points().size(), "track 7's old trail was dropped");
    }

    @Test
    void eventsNewestFirstAndBounded() {
        LiveState s = new LiveState(8, 3, 2, 1 << 20);
        s.record(List.of(detections(frame("c", 1))), 1000);
        List<OutputRecord> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Event e = new Event(Event.SCHEMA, "line-cross", "c", i, "Bag", 8, "middle", null, "in", null, null, Map.of(), 0);
            events.add(new OutputRecord("events", "c", ResultsJson.write(e), Map.of(), frame("c", 1), OutputRecord.Kind.EVENT, null));
        }
        s.record(events, 1001);
        List<Long> ids = s.view("c").orElseThrow().events().stream().map(n -> n.get("track_id").asLong()).toList();
        assertEquals(List.of(2L, 1L), ids);
    }

    @Test
    void framesPerSecondOverTheWindowAndCamerasBounded() {
        LiveState s = new LiveState(2, 3, 2, 1 << 20);
        for (int i = 0; i < 40; i++) {
            s.record(List.of(detections(frame("a", i))), 1000 + 500L * i); // 2 frames/s for 20 s
        }
        // At 20.5 s: the 21 frames of 10.5..20.5 s (both ends in the window) over 10 s.
        assertEquals(2.1, s.view("a", 20_500).orElseThrow().fps(), 1e-9);
        assertEquals(0.0, s.view("a", 40_000).orElseThrow().fps(), 1e-9, "nothing in the last 10 s");
        // A burst: 10 frames acknowledged within 50 ms right after the camera's first frame is not 200 frames/s.
        for (int i = 0; i < 10; i++) {
            s.record(List.of(detections(frame("burst", i))), 50_000 + 5L * i);
        }
        assertEquals(10.0, s.view("burst", 50_100).orElseThrow().fps(), 1e-9, "10 frames over the 1 s floor");
        assertEquals(2.0, s.view("burst", 55_000).orElseThrow().fps(), 1e-9, "10 frames over 5 s of the camera's life");
        s.record(List.of(detections(frame("b", 1))), 62_000);
        s.record(List.of(detections(frame("c", 1))), 62_001);
        assertEquals(java.util.Set.of("b", "c"), s.known(), "the least recently updated camera is forgotten");
    }

    @Test
    void framesKeptWithinTheByteBudget() {
        LiveState s = new LiveState(100, 3, 2, 10_000);
        for (int cam = 0; cam < 5; cam++) {
            Frame f = new Frame("cam-" + cam, new byte[3_000], "frames", cam, 1, null, 0, 0);
            s.record(List.of(detections(f)), 1000 + cam);
        }
        // 5 x 3000 bytes > 10000: the two least recently updated cameras are forgotten.
        assertEquals(java.util.Set.of("cam-2", "cam-3", "cam-4"), s.known());
        assertEquals(9_000, s.keptBytes());
        // One frame alone over the budget is still kept (the others go).
        s.record(List.of(detections(new Frame("big", new byte[20_000], "frames", 9, 1, null, 0, 0))), 2000);
        assertEquals(java.util.Set.of("big"), s.known());
        assertEquals(20_000, s.keptBytes());
    }
}
