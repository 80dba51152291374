package io.vitstream.heads.box;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BoxesTest {

    private static final double TOL = 1e-6;

    @Test
    void cxcywhToXyxyOnAHandCase() {
        assertArrayEquals(
                new float[] {0.4f, 0.3f, 0.6f, 0.7f},
                Boxes.cxcywhToXyxy(new float[] {0.5f, 0.5f, 0.2f, 0.4f}),
                1e-7f);
    }

    @Test
    void identicalBoxes() {
        float[] box = {0.1f, 0.2f, 0.5f, 0.9f};
        assertEquals(1.0, giou(box, box.clone()), TOL);
    }

    @Test
    void disjointBoxesSideBySide() {
        float[] a = {0f, 0f, 1f, 1f};
        float[] b = {2f, 0f, 3f, 1f};
        // |C| = 3, |A ∪ B| = 2: GIoU = 0 - 1/3.
        assertEquals(-1.0 / 3.0, giou(a, b), TOL);
    }

    @Test
    void disjointBoxesDiagonal() {
        float[] a = {0f, 0f, 1f, 1f};
        float[] b = {2f, 2f, 3f, 3f};
        // |C| = 9, |A ∪ B| = 2: GIoU = -7/9.
        assertEquals(-7.0 / 9.0, giou(a, b), TOL);
    }

    @Test
    void partialOverlap() {
        float[] a = {0f, 0f, 2f, 2f};
        float[] b = {1f, 1f, 3f, 3f};
        // Intersection 1, union 7, |C| = 9: GIoU = 1/7 - 2/9.
        assertEquals(1.0 / 7.0 - 2.0 / 9.0, giou(a, b), TOL);
    }

    @Test
    void containment() {
        float[] outer = {0f, 0f, 4f, 4f};
        float[] inner = {1f, 1f, 3f, 3f};
        // The enclosing box is the outer box, so GIoU has no penalty: it is the IoU, 4/16.
        assertEquals(0.25, giou(outer, inner), TOL);
    }

    @Test
    void touchingEdges() {
        float[] a = {0f, 0f, 1f, 1f};
        float[] b = {1f, 0f, 2f, 1f};
        // The two boxes fill their enclosing box exactly: no penalty.
        assertEquals(0.0, giou(a, b), TOL);
    }

    @Test
    void zeroAreaBoxAgainstARealBox() {
        float[] box = {0f, 0f, 1f, 1f};
        float[] pointInside = {0.5f, 0.5f, 0.5f, 0.5f};
        float[] pointOutside = {2f, 2f, 2f, 2f};
        assertEquals(0.0, giou(box, pointInside), TOL);
        // |C| = 4, |A ∪ B| = 1.
        assertEquals(-0.75, giou(box, pointOutside), TOL);
    }

    @Test
    void zeroAreaPairsGiveZeroNotNaN() {
        float[] point = {0.5f, 0.5f, 0.5f, 0.5f};
        float[] otherPoint = {0.7f, 0.5f, 0.7f, 0.5f};
        float[] segment = {0.1f, 0.5f, 0.9f, 0.5f};
        float[][] cases = {point, otherPoint, segment};
        for (float[] a : cases) {
            for (float[] b : cases) {
                // All on one horizontal line: |C| = 0, so the penalty is defined as 0.
                assertEquals(0.0, giou(a, b), 0.0);
            }
        }
    }

    @Test
    void invertedBoxCountsAsEmpty() {
        float[] box = {0f, 0f, 1f, 1f};
        float[] inverted = {0.8f, 0.8f, 0.2f, 0.2f};
        assertEquals(0.0, giou(box, inverted), TOL);
    }

    @Test
    void randomPairsStayInRangeAndAreSymmetric() {
        Random random = new Random(2019);
        float[][] a = RandomBoxes.xyxy(random, 100);
        float[][] b = RandomBoxes.xyxy(random, 50);
        double[][] ab = Boxes.generalizedIouMatrix(a, b);
        double[][] ba = Boxes.generalizedIouMatrix(b, a);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                String pair = RandomBoxes.describe(a[i], b[j]);
                assertTrue(ab[i][j] >= -1 && ab[i][j] <= 1, "GIoU " + ab[i][j] + " for " + pair);
                assertEquals(ab[i][j], ba[j][i], 1e-12, "GIoU symmetry for " + pair);
            }
        }
    }

    @Test
    void matrixHasOneRowPerBoxOfTheFirstArgument() {
        Random random = new Random(5);
        float[][] a = RandomBoxes.xyxy(random, 4);
        float[][] b = RandomBoxes.xyxy(random, 3);
        double[][] giou = Boxes.generalizedIouMatrix(a, b);
        assertEquals(4, giou.length);
        for (double[] row : giou) {
            assertEquals(3, row.length);
        }
        assertEquals(0, Boxes.generalizedIouMatrix(new float[0][], b).length);
        assertEquals(0, Boxes.generalizedIouMatrix(a, new float[0][])[0].length);
    }

    @Test
    void rejectsWrongLengthAndNonFiniteCoordinates() {
        IllegalArgumentException length = assertThrows(
                IllegalArgumentException.class, () -> Boxes.cxcywhToXyxy(new float[] {0f, 0f, 1f}));
        assertTrue(length.getMessage().contains("got 3"), length.getMessage());
        IllegalArgumentException nan = assertThrows(
                IllegalArgumentException.class,
                () -> Boxes.generalizedIouMatrix(new float[][] {{0f, 0f, 1f, 1f}, {0f, Float.NaN, 1f, 1f}},
                        new float[][] {{0f, 0f, 1f, 1f}}));
        assertTrue(nan.getMessage().contains("a[1]") && nan.getMessage().contains("NaN"),
                nan.getMessage());
    }

    /** The GIoU of one pair, through the pairwise function the matcher uses. */
    private static double giou(float[] a, float[] b) {
        return Boxes.generalizedIouMatrix(new float[][] {a}, new float[][] {b})[0][0];
    }
}
