package io.vitstream.train.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.LineSpec;
import io.vitstream.analytics.Observation;
import io.vitstream.analytics.Point;
import io.vitstream.analytics.sequences.DemoCamera;
import io.vitstream.analytics.sequences.SequenceGenerator;
import io.vitstream.analytics.sequences.SequenceSettings;
import io.vitstream.analytics.sequences.Sprites;
import io.vitstream.analytics.sequences.TruthFrame;
import io.vitstream.analytics.sequences.TruthObject;
import io.vitstream.train.data.FashionMnist;
import io.vitstream.train.eval.EventMetrics;
import io.vitstream.train.eval.TrackingMetrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class TrackingEvaluationTest {

    private static final TrackingEvaluation DEFAULTS = new TrackingEvaluation(AnalyticsSettings.DEFAULT, 0.5, 5);

    @Test
    void oneItemCrossingALineWithExactDetections() {
        // A 400x100 box moving right 100 px a frame: x1 = 100, 200, ..., 500 on frames 0-4, so its
        // bottom-centre anchor x = 300, ..., 700 passes the line x = 640 (drawn upwards: moving
        // right is "in") between frames 3 and 4.
        CameraConfig config = new CameraConfig(List.of(new LineSpec("door", new Point(640, 720), new Point(640, 0))), List.of());
        List<TruthFrame> truth = new ArrayList<>();
        List<List<Observation>> detections = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            int x = 100 + 100 * t;
            truth.add(new TruthFrame(t, 100L * t, List.of(new TruthObject(1, 8, "Bag", x, 200, x + 400, 300, true, 1.0))));
            detections.add(List.of(new Observation(x, 200, x + 400, 300, 0.9, 8, "Bag")));
        }
        TrackingEvaluation.Outcome o = DEFAULTS.score(new EvalSequence("hand", 1, 1280, 720, truth, config, i -> new byte[0]), detections);
        // Frame 0 starts a tentative track (minHits 2): its box is no track box, a miss. Frames 1-4
        // carry confirmed track 1. MOTA = 1 - 1/5 = 0.8; IDTP 4, IDF1 = 2*4/(5+4) = 8/9.
        assertEquals(new TrackingMetrics.Counts(5, 5, 4, 4, 0, 1, 0, 4), o.tracking());
        assertEquals(8.0 / 9, o.tracking().idf1(), 1e-12);
        // The truth and the tracker both see the crossing on frame 4.
        assertEquals(Map.of("line-cross", new EventMetrics.Counts(1, 1, 1)), o.events());
    }

    @Test
    void perfectDetectionsGiveNoFalseBoxesNoSwitchesAndEveryEvent() {
        var s = SequenceGenerator.generate(new SequenceSettings(320, 180, 200, 10, 3, 0.6, 1.2, 0.05, 0.25, 0.002, 0.02, 4, 0.15),
                Sprites.bundled(), 77);
        EvalSequence e = EvalSequence.of("perfect", s, DemoCamera.config(320, 180));
        TrackingEvaluation.Outcome o = DEFAULTS.run(e, new NoisyTruth(0, 0, 0, FashionMnist.CLASSES));
        assertEquals(0, o.tracking().falsePositives());
        assertEquals(0, o.tracking().idSwitches());
        // Only a track's first, tentative frame can be missed.
        assertTrue(o.tracking().misses() <= s.items(), o.tracking().toString());
        assertTrue(o.events().values().stream().mapToLong(EventMetrics.Counts::truths).sum() > 0, "no events in the sequence");
        o.events().forEach((type, c) -> assertEquals(new EventMetrics.Counts(c.truths(), c.truths(), c.truths()), c, type));
    }

    @Test
    void noisyTruthDropsJittersAndAddsFalseBoxesAsAsked() {
        var s = SequenceGenerator.generate(new SequenceSettings(320, 180, 400, 10, 3, 0.6, 1.2, 0.05, 0.25, 0.002, 0.02, 4, 0.15),
                Sprites.bundled(), 5);
        EvalSequence e = EvalSequence.of("noisy", s, DemoCamera.config(320, 180));
        long drawn = s.frames().stream().flatMap(f -> f.objects().stream()).filter(TruthObject::visible).count();
        List<List<Observation>> exact = new NoisyTruth(0, 0, 0, FashionMnist.CLASSES).detect(e);
        assertEquals(drawn, exact.stream().mapToLong(List::size).sum());
        List<List<Observation>> none = new NoisyTruth(0, 0.999, 0, FashionMnist.CLASSES).detect(e);
        assertTrue(none.stream().mapToLong(List::size).sum() < drawn / 100);
        // Only false boxes, a mean of 2 per frame over 400 frames: 800 expected, sd about 28.
        long falseBoxes = new NoisyTruth(0, 0.999, 2, FashionMnist.CLASSES).detect(e).stream().mapToLong(List::size).sum();
        assertTrue(falseBoxes > 650 && falseBoxes < 950, falseBoxes + " false boxes");
    }
}
