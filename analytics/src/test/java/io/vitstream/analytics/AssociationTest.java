package io.vitstream.analytics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AssociationTest {

    @Test
    void oneGoodPairBeatsTwoPoorOnes() {
        // Both ways: A-0 gives 0.9 - 0.2 = 0.7; A-1 and B-0 give 0.05 + 0.05.
        double[][] iou = {{0.9, 0.25}, {0.25, 0.0}};
        assertArrayEquals(new int[] {0, -1}, Association.match(iou, 0.2));
    }

    @Test
    void optimalNotGreedy() {
        // Greedy takes A-0 (0.9) and leaves B with 0.1, under the gate: 0.7 in all.
        // A-1 and B-0 give 0.6 + 0.65 = 1.25.
        double[][] iou = {{0.9, 0.8}, {0.85, 0.1}};
        assertArrayEquals(new int[] {1, 0}, Association.match(iou, 0.2));
    }

    @Test
    void gateIsInclusive() {
        assertArrayEquals(new int[] {-1}, Association.match(new double[][] {{0.19}}, 0.2));
        assertArrayEquals(new int[] {0}, Association.match(new double[][] {{0.2}}, 0.2));
        assertArrayEquals(new int[] {-1, 2}, Association.match(new double[][] {{0, 0, 0}, {0, 0, 0.5}}, 0.2));
    }

    @Test
    void tiesGoByIndexAndEmptyIsFine() {
        assertArrayEquals(new int[] {0, 1}, Association.match(new double[][] {{0.5, 0.5}, {0.5, 0.5}}, 0.2));
        assertArrayEquals(new int[] {-1, -1}, Association.match(new double[2][0], 0.2));
        assertEquals(0, Association.match(new double[0][0], 0.2).length);
    }

    @Test
    void iouOfBoxes() {
        double[] a = {0, 0, 10, 10};
        double[] b = {5, 0, 15, 10};
        assertEquals(50.0 / 150, Boxes.iou(a, 0, b, 0), 1e-15);
        assertEquals(1.0, Boxes.iou(a, 0, a, 0), 0.0);
        assertEquals(0.0, Boxes.iou(a, 0, new double[] {10, 0, 20, 10}, 0), 0.0, "touching");
        assertEquals(0.0, Boxes.iou(a, 0, new double[] {8, 8, 2, 2}, 0), 0.0, "inverted box is empty");
        double[] packed = {99, 99, 0, 0, 5, 5};
        assertEquals(25.0 / 100, Boxes.iou(a, 0, packed, 2), 1e-15);
    }
}
