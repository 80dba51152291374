package io.vitstream.heads.box;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NdBoxesTest {

    private static final double TOL = 1e-5;

    @Test
    void cxcywhToXyxyMatchesPlainArrays() {
        float[][] boxes = RandomBoxes.cxcywh(new Random(3), 9);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray xyxy = NdBoxes.cxcywhToXyxy(manager.create(boxes));
            assertEquals(new Shape(9, 4), xyxy.getShape());
            assertMatrixEquals(toDouble(Boxes.cxcywhToXyxy(boxes)), xyxy, 1e-7);
        }
    }

    @Test
    void areaMatchesPlainArraysIncludingInvertedBoxes() {
        float[][] boxes = {{0f, 0f, 2f, 3f}, {1f, 1f, 1f, 5f}, {3f, 0f, 1f, 2f}};
        // 2 x 3; zero width; inverted in x.
        float[] expected = {6f, 0f, 0f};
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(expected, NdBoxes.area(manager.create(boxes)).toFloatArray(), 1e-7f);
        }
    }

    @Test
    void generalizedIouMatrixMatchesPlainArraysOnRandomBoxes() {
        Random random = new Random(42);
        for (int trial = 0; trial < 20; trial++) {
            float[][] a = RandomBoxes.xyxy(random, 1 + random.nextInt(12));
            float[][] b = RandomBoxes.xyxy(random, 1 + random.nextInt(12));
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray giou = NdBoxes.generalizedIouMatrix(manager.create(a), manager.create(b));
                assertEquals(new Shape(a.length, b.length), giou.getShape());
                assertMatrixEquals(Boxes.generalizedIouMatrix(a, b), giou, TOL);
            }
        }
    }

    @Test
    void degenerateBoxesGiveTheDocumentedValues() {
        float[][] a = {{0.5f, 0.5f, 0.5f, 0.5f}, {0.1f, 0.5f, 0.9f, 0.5f}, {0f, 0f, 1f, 1f}};
        float[][] b = {{0.5f, 0.5f, 0.5f, 0.5f}, {2f, 2f, 2f, 2f}, {1f, 0f, 2f, 1f}};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray giou = NdBoxes.generalizedIouMatrix(manager.create(a), manager.create(b));
            assertMatrixEquals(Boxes.generalizedIouMatrix(a, b), giou, TOL);
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random random = new Random(7);
        float[][] pred = Boxes.cxcywhToXyxy(RandomBoxes.cxcywh(random, 5));
        float[][] target = Boxes.cxcywhToXyxy(RandomBoxes.cxcywh(random, 4));
        float[] gradient;
        try (NDManager manager = NDManager.newBaseManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray predArray = manager.create(pred);
            predArray.setRequiresGradient(true);
            NDArray loss = NdBoxes.generalizedIouMatrix(predArray, manager.create(target)).sum();
            collector.backward(loss);
            gradient = predArray.getGradient().toFloatArray();
        }
        for (int i = 0; i < pred.length; i++) {
            for (int k = 0; k < 4; k++) {
                double expected = finiteDifference(pred, target, i, k);
                assertEquals(expected, gradient[4 * i + k], 1e-3 * Math.max(1, Math.abs(expected)),
                        "d loss / d pred[" + i + "][" + k + "]");
            }
        }
    }

    @Test
    void gradientFlowsThroughTheConversionAndStaysFiniteOnDegenerateBoxes() {
        float[][] pred = {{0.5f, 0.5f, 0.2f, 0.2f}, {0.3f, 0.3f, 0f, 0f}, {0.9f, 0.1f, 0f, 0.1f}};
        float[][] target = {{0.5f, 0.5f, 0f, 0f}, {0.3f, 0.3f, 0f, 0f}, {0.55f, 0.5f, 0.3f, 0.1f}};
        try (NDManager manager = NDManager.newBaseManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray predArray = manager.create(pred);
            predArray.setRequiresGradient(true);
            NDArray giou = NdBoxes.generalizedIouMatrix(
                    NdBoxes.cxcywhToXyxy(predArray), NdBoxes.cxcywhToXyxy(manager.create(target)));
            collector.backward(giou.neg().add(1f).sum());
            float[] gradient = predArray.getGradient().toFloatArray();
            boolean anyNonZero = false;
            for (float g : gradient) {
                assertTrue(Float.isFinite(g), "gradient has a non-finite entry " + g);
                anyNonZero |= g != 0f;
            }
            assertTrue(anyNonZero, "no gradient reached the predicted boxes");
            for (float value : giou.toFloatArray()) {
                assertTrue(value >= -1 && value <= 1, "GIoU out of range: " + value);
            }
        }
    }

    @Test
    void rejectsBoxesWithoutFourCoordinates() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray three = manager.zeros(new Shape(2, 3));
            NDArray four = manager.zeros(new Shape(2, 4));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> NdBoxes.generalizedIouMatrix(four, three));
            assertTrue(e.getMessage().startsWith("b must have shape [N, 4], got (2, 3)"), e.getMessage());
            IllegalArgumentException flat = assertThrows(
                    IllegalArgumentException.class, () -> NdBoxes.cxcywhToXyxy(three.reshape(6)));
            assertTrue(flat.getMessage().contains("[..., 4], got (6)"), flat.getMessage());
        }
    }

    /** Central difference of the summed GIoU in double, by the exact float step taken. */
    private static double finiteDifference(float[][] pred, float[][] target, int i, int k) {
        float original = pred[i][k];
        float up = original + 1e-4f;
        float down = original - 1e-4f;
        pred[i][k] = up;
        double lossUp = sum(Boxes.generalizedIouMatrix(pred, target));
        pred[i][k] = down;
        double lossDown = sum(Boxes.generalizedIouMatrix(pred, target));
        pred[i][k] = original;
        return (lossUp - lossDown) / ((double) up - down);
    }

    private static double sum(double[][] matrix) {
        double total = 0;
        for (double[] row : matrix) {
            for (double v : row) {
                total += v;
            }
        }
        return total;
    }

    private static double[][] toDouble(float[][] boxes) {
        double[][] out = new double[boxes.length][];
        for (int i = 0; i < boxes.length; i++) {
            out[i] = new double[boxes[i].length];
            for (int k = 0; k < boxes[i].length; k++) {
                out[i][k] = boxes[i][k];
            }
        }
        return out;
    }

    private static void assertMatrixEquals(double[][] expected, NDArray actual, double tolerance) {
        float[] flat = actual.toFloatArray();
        int cols = expected.length == 0 ? 0 : expected[0].length;
        double[] expectedFlat = new double[expected.length * cols];
        double[] actualFlat = new double[flat.length];
        for (int i = 0; i < expected.length; i++) {
            System.arraycopy(expected[i], 0, expectedFlat, i * cols, cols);
        }
        for (int n = 0; n < flat.length; n++) {
            actualFlat[n] = flat[n];
        }
        assertArrayEquals(expectedFlat, actualFlat, tolerance);
    }
}
