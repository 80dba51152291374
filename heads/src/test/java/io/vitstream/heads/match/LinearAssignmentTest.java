package io.vitstream.heads.match;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearAssignmentTest {

    @Test
    void squareHandCase() {
        double[][] cost = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        // Taking the cheapest entry (1,1)=0 first forces 4+0+2=6; the optimum is 1+2+2=5.
        Assignment assignment = LinearAssignment.solve(cost);
        assertArrayEquals(new int[] {0, 1, 2}, assignment.rowIndices());
        assertArrayEquals(new int[] {1, 0, 2}, assignment.colIndices());
        assertEquals(5.0, assignment.totalCost(), 0.0);
    }

    @Test
    void moreRowsThanColumnsLeavesTheCostlyRowsOut() {
        double[][] cost = {{9, 9}, {1, 8}, {9, 9}, {7, 2}};
        Assignment assignment = LinearAssignment.solve(cost);
        assertArrayEquals(new int[] {1, 3}, assignment.rowIndices());
        assertArrayEquals(new int[] {0, 1}, assignment.colIndices());
        assertEquals(3.0, assignment.totalCost(), 0.0);
    }

    @Test
    void moreColumnsThanRowsLeavesTheCostlyColumnsOut() {
        double[][] cost = {{9, 1, 9, 7}, {9, 8, 9, 2}};
        Assignment assignment = LinearAssignment.solve(cost);
        assertArrayEquals(new int[] {0, 1}, assignment.rowIndices());
        assertArrayEquals(new int[] {1, 3}, assignment.colIndices());
        assertEquals(3.0, assignment.totalCost(), 0.0);
    }

    @Test
    void optimalAgainstBruteForceOnSmallRandomMatrices() {
        Random random = new Random(1234);
        for (int trial = 0; trial < 1500; trial++) {
            int rows = 1 + random.nextInt(6);
            int cols = 1 + random.nextInt(6);
            double[][] cost = randomCost(random, rows, cols, trial % 3);
            Assignment assignment = LinearAssignment.solve(cost);
            String where = "trial " + trial + ", cost " + Arrays.deepToString(cost);
            assertValidMatching(cost, assignment, where);
            assertEquals(BruteForce.minCost(cost), assignment.totalCost(), 1e-9, where);
        }
    }

    @Test
    void emptyMatricesGiveAnEmptyAssignment() {
        assertEquals(Assignment.EMPTY, LinearAssignment.solve(new double[0][0]));
        assertEquals(Assignment.EMPTY, LinearAssignment.solve(new double[3][0]));
        assertEquals(0, LinearAssignment.solve(new double[3][0]).size());
    }

    @Test
    void rejectsNaNNamingItsPosition() {
        double[][] cost = {{1, 2, 3}, {4, 5, Double.NaN}};
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(cost));
        assertTrue(e.getMessage().contains("row 1, column 2") && e.getMessage().contains("NaN"),
                e.getMessage());
    }

    @Test
    void rejectsInfinityAndRaggedRows() {
        double[][] infinite = {{1, Double.NEGATIVE_INFINITY}};
        IllegalArgumentException inf =
                assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(infinite));
        assertTrue(inf.getMessage().contains("row 0, column 1"), inf.getMessage());
        double[][] ragged = {{1, 2}, {3}};
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(ragged));
        assertTrue(e.getMessage().contains("row 1 has 1"), e.getMessage());
    }

    @Test
    void largeMatrixIsFastAndBeatsGreedy() {
        Random random = new Random(99);
        for (int[] size : new int[][] {{200, 200}, {300, 100}, {100, 300}}) {
            double[][] cost = randomCost(random, size[0], size[1], 0);
            Assignment assignment = assertTimeoutPreemptively(
                    Duration.ofSeconds(10), () -> LinearAssignment.solve(cost));
            String where = size[0] + "x" + size[1];
            assertValidMatching(cost, assignment, where);
            assertTrue(assignment.totalCost() <= greedyCost(cost) + 1e-9, where);
        }
    }

    @Test
    void deterministic() {
        double[][] ties = new double[5][5];
        assertEquals(LinearAssignment.solve(ties), LinearAssignment.solve(ties));
    }

    /** Kind 0: continuous in [-1, 1); 1: integers in [-2, 2], many ties; 2: all equal rows. */
    private static double[][] randomCost(Random random, int rows, int cols, int kind) {
        double[][] cost = new double[rows][cols];
        double[] sharedRow = new double[cols];
        for (int j = 0; j < cols; j++) {
            sharedRow[j] = random.nextInt(3) - 1;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                cost[i][j] = switch (kind) {
                    case 0 -> 2 * random.nextDouble() - 1;
                    case 1 -> random.nextInt(5) - 2;
                    default -> sharedRow[j];
                };
            }
        }
        return cost;
    }

    /** Each row in turn takes its cheapest free column (the rows are the smaller side). */
    private static double greedyCost(double[][] cost) {
        int rows = cost.length;
        int cols = cost[0].length;
        boolean byRow = rows <= cols;
        boolean[] taken = new boolean[Math.max(rows, cols)];
        double total = 0;
        for (int a = 0; a < Math.min(rows, cols); a++) {
            int best = -1;
            for (int b = 0; b < Math.max(rows, cols); b++) {
                double c = byRow ? cost[a][b] : cost[b][a];
                if (!taken[b] && (best < 0 || c < (byRow ? cost[a][best] : cost[best][a]))) {
                    best = b;
                }
            }
            taken[best] = true;
            total += byRow ? cost[a][best] : cost[best][a];
        }
        return total;
    }

    static void assertValidMatching(double[][] cost, Assignment assignment, String where) {
        int[] rows = assignment.rowIndices();
        int[] cols = assignment.colIndices();
        assertEquals(Math.min(cost.length, cost[0].length), rows.length, where);
        boolean[] colUsed = new boolean[cost[0].length];
        double total = 0;
        for (int k = 0; k < rows.length; k++) {
            assertTrue(k == 0 || rows[k] > rows[k - 1], "rows not increasing: " + where);
            assertTrue(!colUsed[cols[k]], "column used twice: " + where);
            colUsed[cols[k]] = true;
            total += cost[rows[k]][cols[k]];
        }
        assertEquals(total, assignment.totalCost(), 1e-9, where);
    }
}
