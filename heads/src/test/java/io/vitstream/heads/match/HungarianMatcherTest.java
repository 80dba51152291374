package io.vitstream.heads.match;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HungarianMatcherTest {

    private static final HungarianMatcher DEFAULT = HungarianMatcher.builder().build();

    @Test
    void defaultsAreTheDetrPaperWeights() {
        assertEquals(1.0, DEFAULT.classWeight(), 0.0);
        assertEquals(5.0, DEFAULT.bboxWeight(), 0.0);
        assertEquals(2.0, DEFAULT.giouWeight(), 0.0);
    }

    @Test
    void obviousMatch() {
        float[][] probs = {{0.05f, 0.9f, 0.05f}, {0.1f, 0.1f, 0.8f}, {0.9f, 0.05f, 0.05f}};
        float[][] predBoxes = {
            {0.7f, 0.7f, 0.3f, 0.3f}, {0.5f, 0.5f, 0.1f, 0.1f}, {0.21f, 0.2f, 0.2f, 0.19f}
        };
        int[] labels = {0, 1};
        float[][] targetBoxes = {{0.2f, 0.2f, 0.2f, 0.2f}, {0.7f, 0.7f, 0.3f, 0.3f}};
        Assignment match = DEFAULT.match(probs, predBoxes, labels, targetBoxes);
        assertArrayEquals(new int[] {0, 2}, match.rowIndices());
        assertArrayEquals(new int[] {1, 0}, match.colIndices());
    }

    @Test
    void costOnAHandCase() {
        float[][] probs = {{0.2f, 0.7f, 0.1f}};
        float[][] pred = {{0.5f, 0.5f, 0.2f, 0.2f}};
        float[][] target = {{0.6f, 0.5f, 0.2f, 0.2f}};
        // Class -0.7; L1 0.1; corners (0.4,0.4,0.6,0.6) vs (0.5,0.4,0.7,0.6): intersection
        // 0.02, union 0.06, enclosing 0.06, so GIoU = IoU = 1/3.
        double expected = -0.7 + 5 * 0.1 - 2.0 / 3.0;
        assertEquals(expected, DEFAULT.costMatrix(probs, pred, new int[] {1}, target)[0][0], 1e-6);
    }

    @Test
    void classTermAloneFollowsTheTargetClassProbability() {
        HungarianMatcher classOnly =
                HungarianMatcher.builder().optBboxWeight(0).optGiouWeight(0).build();
        float[][] probs = {{0.2f, 0.7f, 0.1f}, {0.6f, 0.3f, 0.1f}};
        float[][] sameBoxes = {{0.5f, 0.5f, 0.2f, 0.2f}, {0.5f, 0.5f, 0.2f, 0.2f}};
        Assignment match = classOnly.match(probs, sameBoxes, new int[] {0, 1}, sameBoxes);
        assertArrayEquals(new int[] {1, 0}, match.colIndices());
    }

    @Test
    void boxTermsAloneFollowTheNearestBox() {
        float[][] uniform = {{0.5f, 0.5f}, {0.5f, 0.5f}};
        float[][] pred = {{0.75f, 0.8f, 0.1f, 0.1f}, {0.2f, 0.25f, 0.1f, 0.1f}};
        float[][] target = {{0.2f, 0.2f, 0.1f, 0.1f}, {0.8f, 0.8f, 0.1f, 0.1f}};
        HungarianMatcher l1Only = HungarianMatcher.builder().optClassWeight(0).optGiouWeight(0).build();
        HungarianMatcher giouOnly = HungarianMatcher.builder().optClassWeight(0).optBboxWeight(0).build();
        assertArrayEquals(new int[] {1, 0}, l1Only.match(uniform, pred, new int[] {0, 0}, target).colIndices());
        assertArrayEquals(new int[] {1, 0}, giouOnly.match(uniform, pred, new int[] {0, 0}, target).colIndices());
    }

    @Test
    void noTargetsGiveNoPairs() {
        Random random = new Random(1);
        Assignment match = DEFAULT.match(
                randomProbs(random, 5, 4), randomBoxes(random, 5), new int[0], new float[0][]);
        assertEquals(0, match.size());
    }

    @Test
    void batchedEqualsOneImageAtATime() {
        Random random = new Random(2020);
        int queries = 6;
        int classes = 3;
        List<float[][]> probs = new ArrayList<>();
        List<float[][]> predBoxes = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        List<float[][]> targetBoxes = new ArrayList<>();
        for (int targets : new int[] {2, 0, 6, 3, 8, 1}) {
            probs.add(randomProbs(random, queries, classes + 1));
            predBoxes.add(randomBoxes(random, queries));
            labels.add(random.ints(targets, 0, classes).toArray());
            targetBoxes.add(randomBoxes(random, targets));
        }
        List<Assignment> batched = DEFAULT.matchBatch(probs, predBoxes, labels, targetBoxes);
        assertEquals(probs.size(), batched.size());
        for (int b = 0; b < probs.size(); b++) {
            Assignment alone = DEFAULT.match(probs.get(b), predBoxes.get(b), labels.get(b), targetBoxes.get(b));
            assertEquals(alone, batched.get(b), "image " + b);
            assertEquals(Math.min(queries, labels.get(b).length), alone.size(), "image " + b);
        }
    }

    @Test
    void rejectsTheNoObjectClassAsATargetLabel() {
        float[][] probs = {{0.2f, 0.7f, 0.1f}};
        float[][] boxes = {{0.5f, 0.5f, 0.2f, 0.2f}};
        float[][] targets = {{0.5f, 0.5f, 0.2f, 0.2f}, {0.5f, 0.5f, 0.2f, 0.2f}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DEFAULT.match(probs, boxes, new int[] {0, 2}, targets));
        assertTrue(e.getMessage().contains("labels[1] = 2"), e.getMessage());
    }

    @Test
    void rejectsMismatchedInputsNamingThem() {
        float[][] probs = {{0.2f, 0.7f, 0.1f}};
        float[][] twoBoxes = {{0.5f, 0.5f, 0.2f, 0.2f}, {0.5f, 0.5f, 0.2f, 0.2f}};
        IllegalArgumentException queries = assertThrows(IllegalArgumentException.class,
                () -> DEFAULT.match(probs, twoBoxes, new int[0], new float[0][]));
        assertTrue(queries.getMessage().contains("predBoxes has 2"), queries.getMessage());
        float[][] badBox = {{0.5f, Float.NaN, 0.2f, 0.2f}};
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> DEFAULT.match(probs, badBox, new int[] {0}, new float[][] {{0.5f, 0.5f, 0.2f, 0.2f}}));
        assertTrue(nan.getMessage().startsWith("predBoxes"), nan.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> DEFAULT.matchBatch(List.<float[][]>of(probs), List.of(), List.of(), List.of()));
        assertTrue(batch.getMessage().contains("predBoxes has 0 images"), batch.getMessage());
    }

    @Test
    void builderRejectsNegativeNonFiniteAndAllZeroWeights() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> HungarianMatcher.builder().optBboxWeight(-1).build());
        assertTrue(negative.getMessage().contains("bboxWeight") && negative.getMessage().contains("-1.0"),
                negative.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> HungarianMatcher.builder().optGiouWeight(Double.NaN).build());
        assertThrows(IllegalArgumentException.class,
                () -> HungarianMatcher.builder().optClassWeight(0).optBboxWeight(0).optGiouWeight(0).build());
    }

    /** Softmax of random logits, {@code [queries][width]}. */
    private static float[][] randomProbs(Random random, int queries, int width) {
        float[][] probs = new float[queries][width];
        for (int q = 0; q < queries; q++) {
            double[] exp = new double[width];
            double sum = 0;
            for (int k = 0; k < width; k++) {
                exp[k] = Math.exp(2 * random.nextGaussian());
                sum += exp[k];
            }
            for (int k = 0; k < width; k++) {
                probs[q][k] = (float) (exp[k] / sum);
            }
        }
        return probs;
    }

    private static float[][] randomBoxes(Random random, int n) {
        float[][] boxes = new float[n][];
        for (int i = 0; i < n; i++) {
            boxes[i] = new float[] {
                random.nextFloat(), random.nextFloat(), 0.3f * random.nextFloat(), 0.3f * random.nextFloat()
            };
        }
        return boxes;
    }
}
