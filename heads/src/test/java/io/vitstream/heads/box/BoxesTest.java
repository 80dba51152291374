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
    void xyxyToCxcywhOnAHandCase() {
        assertArrayEquals(
                new float[] {2f, 3f, 4f, 2f}, Boxes.xyxyToCxcywh(new float[] {0f, 2f, 4f, 4f}), 0f);
    }

    @Test
    void conversionsRoundTrip() {
        Random random = new Random(11);
        float[][] cxcywh = new float[200][];
        for (int i = 0; i < cxcywh.length; i++) {
            cxcywh[i] = new float[] {
                random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat()
            };
        }
        float[][] back = Boxes.xyxyToCxcywh(Boxes.cxcywhToXyxy(cxcywh));
        for (int i = 0; i < cxcywh.length; i++) {
            assertArrayEquals(cxcywh[i], back[i], 1e-6f, "box " + i);
        }
    }

    @Test
    void areaOfBoxesAndOfInvertedBoxes() {
        assertEquals(6.0, Boxes.area(new float[] {1f, 1f, 3f, 4f}), TOL);
        assertEquals(0.0, Boxes.area(new float[] {1f, 1f, 1f, 4f}), 0.0);
        assertEquals(0.0, Boxes.area(new float[] {3f, 1f, 1f, 4f}), 0.0, "inverted in x");
        assertEquals(0.0, Boxes.area(new float[] {1f, 4f, 3f, 1f}), 0.0, "inverted in y");
    }

    @Test
    void identicalBoxes() {
        float[] box = {0.1f, 0.2f, 0.5f, 0.9f};
        assertEquals(1.0, Boxes.iou(box, box.clone()), TOL);
        assertEquals(1.0, Boxes.generalizedIou(box, box.clone()), TOL);
    }

    @Test
    void disjointBoxesSideBySide() {
        float[] a = {0f, 0f, 1f, 1f};
        float[] b = {2f, 0f, 3f, 1f};
        assertEquals(0.0, Boxes.iou(a, b), 0.0);
        // |C| = 3, |A ∪ B| = 2: GIoU = 0 - 1/3.
        assertEquals(-1.0 / 3.0, Boxes.generalizedIou(a, b), TOL);
    }

    @Test
    void disjointBoxesDiagonal() {
        float[] a = {0f, 0f, 1f, 1f};
        float[] b = {2f, 2f, 3f, 3f};
        // |C| = 9, |A ∪ B| = 2: GIoU = -7/9.
        assertEquals(-7.0 / 9.0, Boxes.generalizedIou(a, b), TOL);
    }

    @Test
    void partialOverlap() {
        float[] a = {0f, 0f, 2f, 2f};
        float[] b = {1f, 1f, 3f, 3f};
        // Intersection 1, union 7, |C| = 9: GIoU = 1/7 - 2/9.
        assertEquals(1.0 / 7.0, Boxes.iou(a, b), TOL);
        assertEquals(1.0 / 7.0 - 2.0 / 9.0, Boxes.generalizedIou(a, b), TOL);
    }

    @Test
    void containment() {
        float[] outer = {0f, 0f, 4f, 4f};
        float[] inner = {1f, 1f, 3f, 3f};
        // The enclosing box is the outer box, so GIoU has no penalty: both are 4/16.
        assertEquals(0.25, Boxes.iou(outer, inner), TOL);
        assertEquals(0.25, Boxes.generalizedIou(outer, inner), TOL);
    }

    @Test
    void touchingEdges() {
        float[] a = {0f, 0f, 1f, 1f};
        float[] b = {1f, 0f, 2f, 1f};
        assertEquals(0.0, Boxes.iou(a, b), 0.0);
        // The two boxes fill their enclosing box exactly: no penalty.
        assertEquals(0.0, Boxes.generalizedIou(a, b), TOL);
    }

    @Test
    void zeroAreaBoxAgainstARealBox() {
        float[] box = {0f, 0f, 1f, 1f};
        float[] pointInside = {0.5f, 0.5f, 0.5f, 0.5f};
        float[] pointOutside = {2f, 2f, 2f, 2f};
        assertEquals(0.0, Boxes.iou(box, pointInside), 0.0);
        assertEquals(0.0, Boxes.generalizedIou(box, pointInside), TOL);
        assertEquals(0.0, Boxes.iou(box, pointOutside), 0.0);
        // |C| = 4, |A ∪ B| = 1.
        assertEquals(-0.75, Boxes.generalizedIou(box, pointOutside), TOL);
    }

    @Test
    void zeroAreaPairsGiveZeroNotNaN() {
        float[] point = {0.5f, 0.5f, 0.5f, 0.5f};
        float[] otherPoint = {0.7f, 0.5f, 0.7f, 0.5f};
        float[] segment = {0.1f, 0.5f, 0.9f, 0.5f};
        float[][] cases = {point, otherPoint, segment};
        for (float[] a : cases) {
            for (float[] b : cases) {
                assertEquals(0.0, Boxes.iou(a, b), 0.0);
                // All on one horizontal line: |C| = 0, so the penalty is defined as 0.
                assertEquals(0.0, Boxes.generalizedIou(a, b), 0.0);
            }
        }
    }

    @Test
    void invertedBoxCountsAsEmpty() {
        float[] box = {0f, 0f, 1f, 1f};
        float[] inverted = {0.8f, 0.8f, 0.2f, 0.2f};
        assertEquals(0.0, Boxes.iou(box, inverted), 0.0);
        assertEquals(0.0, Boxes.generalizedIou(box, inverted), TOL);
    }

    @Test
    void randomPairsStayInRangeAndAreSymmetric() {
        Random random = new Random(2019);
        for (int n = 0; n < 5000; n++) {
            float[] a = RandomBoxes.xyxy(random);
            float[] b = RandomBoxes.xyxy(random);
            double iou = Boxes.iou(a, b);
            double giou = Boxes.generalizedIou(a, b);
            String pair = RandomBoxes.describe(a, b);
            assertTrue(iou >= 0 && iou <= 1, "IoU " + iou + " for " + pair);
            assertTrue(giou >= -1 && giou <= 1, "GIoU " + giou + " for " + pair);
            assertTrue(giou <= iou + 1e-12, "GIoU above IoU for " + pair);
            assertEquals(iou, Boxes.iou(b, a), 1e-12, "IoU symmetry for " + pair);
            assertEquals(giou, Boxes.generalizedIou(b, a), 1e-12, "GIoU symmetry for " + pair);
        }
    }

    @Test
    void matricesMatchTheScalarFunctions() {
        Random random = new Random(5);
        float[][] a = RandomBoxes.xyxy(random, 4);
        float[][] b = RandomBoxes.xyxy(random, 3);
        double[][] iou = Boxes.iouMatrix(a, b);
        double[][] giou = Boxes.generalizedIouMatrix(a, b);
        assertEquals(4, iou.length);
        assertEquals(4, giou.length);
        for (int i = 0; i < 4; i++) {
            assertEquals(3, iou[i].length);
            for (int j = 0; j < 3; j++) {
                assertEquals(Boxes.iou(a[i], b[j]), iou[i][j], 0.0);
                assertEquals(Boxes.generalizedIou(a[i], b[j]), giou[i][j], 0.0);
            }
        }
        assertEquals(0, Boxes.iouMatrix(new float[0][], b).length);
        assertEquals(0, Boxes.generalizedIouMatrix(a, new float[0][])[0].length);
    }

    @Test
    void clipClampsToTheImage() {
        float[][] clipped = Boxes.clip(new float[][] {{-5f, 10f, 700f, 500f}}, 640, 480);
        assertArrayEquals(new float[] {0f, 10f, 640f, 480f}, clipped[0], 0f);
    }

    @Test
    void clipRejectsANegativeWidth() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Boxes.clip(new float[][] {}, -1, 10));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void rejectsWrongLengthAndNonFiniteCoordinates() {
        IllegalArgumentException length = assertThrows(
                IllegalArgumentException.class, () -> Boxes.area(new float[] {0f, 0f, 1f}));
        assertTrue(length.getMessage().contains("got 3"), length.getMessage());
        IllegalArgumentException nan = assertThrows(
                IllegalArgumentException.class,
                () -> Boxes.iouMatrix(new float[][] {{0f, 0f, 1f, 1f}, {0f, Float.NaN, 1f, 1f}},
                        new float[][] {{0f, 0f, 1f, 1f}}));
        assertTrue(nan.getMessage().contains("a[1]") && nan.getMessage().contains("NaN"),
                nan.getMessage());
    }
}
