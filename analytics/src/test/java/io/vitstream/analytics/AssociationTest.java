package io.vitstream.analytics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void separateGroupsAreSolvedAlone() {
        // Rows 0 and 2 compete for column 2; row 1 only reaches column 0; column 1 reaches nobody.
        double[][] iou = {{0, 0, 0.6}, {0.9, 0, 0}, {0, 0, 0.7}};
        assertArrayEquals(new int[] {-1, 0, 2}, Association.match(iou, 0.2));
    }

    /** Against every partial matching of small random matrices: the best sum of IoU - minIou. */
    @Test
    void optimalAgainstBruteForce() {
        java.util.Random random = new java.util.Random(42);
        for (int trial = 0; trial < 3000; trial++) {
            int rows = random.nextInt(6);
            int cols = random.nextInt(6);
            double[][] iou = new double[rows][cols];
            for (double[] row : iou) {
                for (int c = 0; c < cols; c++) {
                    row[c] = random.nextDouble() < 0.5 ? 0 : random.nextDouble();
                }
            }
            int[] match = Association.match(iou, 0.3);
            boolean[] used = new boolean[cols];
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                if (match[r] >= 0) {
                    assertTrue(iou[r][match[r]] >= 0.3 && !used[match[r]], "trial " + trial);
                    used[match[r]] = true;
                    sum += iou[r][match[r]] - 0.3;
                }
            }
            assertEquals(best(iou, 0, new boolean[cols], 0.3), sum, 1e-9, "trial " + trial);
        }
    }

    /** The best sum over rows from {@code row} on, each taking a free column over the gate or none. */
    private static double best(double[][] iou, int row, boolean[] used, double minIou) {
        if (row == iou.length) {
            return 0;
        }
        double best = best(iou, row + 1, used, minIou);
        for (int c = 0; c < used.length; c++) {
            if (!used[c] && iou[row][c] >= minIou) {
                used[c] = true;
                best = Math.max(best, iou[row][c] - minIou + best(iou, row + 1, used, minIou));
                used[c] = false;
            }
        }
        return best;
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
