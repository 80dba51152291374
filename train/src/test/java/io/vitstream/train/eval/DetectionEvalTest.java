package io.vitstream.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

/** COCO AP on cases whose value can be worked out by hand. */
class DetectionEvalTest {

    private static final float[] A = {10, 10, 30, 30};
    private static final float[] B = {50, 50, 70, 90};
    private static final DetectionEval EVAL = new DetectionEval(3, 100);

    private static DetectionEval.Truth truth(int label, float[] box) {
        return new DetectionEval.Truth(label, box);
    }

    private static DetectionEval.Detection det(int label, double score, float[] box) {
        return new DetectionEval.Detection(label, (float) score, box);
    }

    @Test
    void perfectDetectionsScoreOne() {
        DetectionEval.Result r = EVAL.evaluate(List.of(List.of(truth(0, A), truth(1, B)), List.of(truth(0, B))),
                List.of(List.of(det(0, 0.9, A), det(1, 0.8, B)), List.of(det(0, 0.7, B))));
        assertEquals(1.0, r.ap(), 1e-12);
        assertEquals(1.0, r.ap50(), 1e-12);
        assertEquals(1.0, r.ap75(), 1e-12);
        assertTrue(Double.isNaN(r.perClass()[2][0]), "class 2 has no ground truth and is left out");
    }

    @Test
    void noDetectionsOrWrongClassesScoreZero() {
        assertEquals(0.0, EVAL.evaluate(List.of(List.of(truth(0, A))), List.of(List.of())).ap(), 1e-12);
        assertEquals(0.0, EVAL.evaluate(List.of(List.of(truth(0, A))), List.of(List.of(det(1, 0.9, A)))).ap50(), 1e-12);
    }

    @Test
    void aDuplicateBelowTheMatchCostsNothingAboveItHalves() {
        List<List<DetectionEval.Truth>> gt = List.of(List.of(truth(0, A)));
        // Ranked TP then FP: precision 1 at recall 1 -> every recall point reads 1.
        assertEquals(1.0, EVAL.evaluate(gt, List.of(List.of(det(0, 0.9, A), det(0, 0.8, A)))).ap50(), 1e-12);
        // A far-off box ranked first: precision 1/2 once recall reaches 1 -> all 101 points read 0.5.
        assertEquals(0.5, EVAL.evaluate(gt, List.of(List.of(det(0, 0.9, B), det(0, 0.8, A)))).ap50(), 1e-12);
    }

    @Test
    void halfTheObjectsFoundReadsFiftyOneOfTheHundredAndOnePoints() {
        DetectionEval.Result r = EVAL.evaluate(List.of(List.of(truth(0, A), truth(0, B))), List.of(List.of(det(0, 0.9, A))));
        assertEquals(51.0 / 101, r.ap50(), 1e-12);
    }

    @Test
    void iouThresholdsSeparateLooseFromTightBoxes() {
        // IoU of {10,10,30,30} and {10,10,30,26} is 16/20 = 0.8: a hit at 0.50..0.80, a miss at 0.85..0.95.
        DetectionEval.Result r = EVAL.evaluate(List.of(List.of(truth(0, A))), List.of(List.of(det(0, 0.9, new float[] {10, 10, 30, 26}))));
        assertEquals(1.0, r.ap50(), 1e-12);
        assertEquals(1.0, r.ap75(), 1e-12);
        assertEquals(0.7, r.ap(), 1e-12);
    }

    @Test
    void eachTruthIsMatchedOnceAcrossImagesAndClasses() {
        DetectionEval.Result r = EVAL.evaluate(
                List.of(List.of(truth(0, A)), List.of(truth(1, A))),
                List.of(List.of(det(0, 0.9, A)), List.of(det(1, 0.3, A), det(1, 0.6, B))));
        assertEquals(1.0, r.perClass()[0][1], 1e-12);
        assertEquals(0.5, r.perClass()[1][1], 1e-12);
        assertEquals(0.75, r.ap50(), 1e-12);
    }
}
