package io.vitstream.heads.match;

import java.util.Arrays;

/**
 * Minimum-cost assignment for rectangular cost matrices (the linear sum assignment
 * problem), by successive shortest augmenting paths with dual potentials, in the manner
 * of Jonker and Volgenant.
 *
 * <p>The smaller side is matched completely: with {@code r} rows and {@code c} columns the
 * result has {@code min(r, c)} pairs and the least total cost among all such matchings.
 * Internally the matrix is transposed when it has more rows than columns, so each
 * augmentation starts from a row and always finds a free column. Time is
 * {@code O(min(r, c)^2 * max(r, c))}, memory {@code O(r + c)} beyond the input (plus a
 * transposed copy when {@code r > c}).
 *
 * <p>Costs may be negative; ties are broken deterministically (lowest index first), so the
 * same matrix always yields the same assignment.
 */
public final class LinearAssignment {

    private LinearAssignment() {}

    /**
     * Solves the assignment problem.
     *
     * @param cost {@code [rows][cols]} finite costs; every row the same length; rows are
     *     typically predictions (queries) and columns targets, either may be the larger side
     * @return the optimal matching, pairs sorted by row; {@link Assignment#EMPTY} when the
     *     matrix has no rows or no columns
     * @throws IllegalArgumentException if the matrix is null, ragged, or holds NaN or an
     *     infinity (the message names the row and column)
     */
    public static Assignment solve(double[][] cost) {
        int cols = requireRectangularFinite(cost);
        int rows = cost.length;
        if (rows == 0 || cols == 0) {
            return Assignment.EMPTY;
        }
        boolean transposed = rows > cols;
        double[][] wide = transposed ? transpose(cost, cols) : cost;
        int[] partner = new ShortestPaths(wide).solve();
        return toAssignment(cost, partner, transposed);
    }

    /** Returns the column count after checking the matrix is rectangular and finite. */
    private static int requireRectangularFinite(double[][] cost) {
        if (cost == null) {
            throw new IllegalArgumentException("cost matrix is null");
        }
        if (cost.length == 0) {
            return 0;
        }
        for (int i = 0; i < cost.length; i++) {
            if (cost[i] == null) {
                throw new IllegalArgumentException("cost matrix row " + i + " is null");
            }
            if (cost[i].length != cost[0].length) {
                throw new IllegalArgumentException(
                        "cost matrix is not rectangular: row 0 has " + cost[0].length
                                + " columns but row " + i + " has " + cost[i].length);
            }
            for (int j = 0; j < cost[i].length; j++) {
                if (!Double.isFinite(cost[i][j])) {
                    throw new IllegalArgumentException(
                            "cost matrix entry at row " + i + ", column " + j + " is " + cost[i][j]
                                    + "; costs must be finite");
                }
            }
        }
        return cost[0].length;
    }

    private static double[][] transpose(double[][] cost, int cols) {
        double[][] out = new double[cols][cost.length];
        for (int i = 0; i < cost.length; i++) {
            for (int j = 0; j < cols; j++) {
                out[j][i] = cost[i][j];
            }
        }
        return out;
    }

    /**
     * Turns the solver's partner array (for each row of the solved, wide matrix, its column)
     * into pairs of the caller's matrix, sorted by the caller's row.
     */
    private static Assignment toAssignment(double[][] cost, int[] partner, boolean transposed) {
        int pairs = partner.length;
        int[] rows = new int[pairs];
        int[] cols = new int[pairs];
        if (transposed) {
            // partner[col] = row; listing by row means inverting that map.
            int[] colOfRow = new int[cost.length];
            Arrays.fill(colOfRow, -1);
            for (int col = 0; col < pairs; col++) {
                colOfRow[partner[col]] = col;
            }
            int k = 0;
            for (int row = 0; row < colOfRow.length; row++) {
                if (colOfRow[row] >= 0) {
                    rows[k] = row;
                    cols[k++] = colOfRow[row];
                }
            }
        } else {
            for (int row = 0; row < pairs; row++) {
                rows[row] = row;
                cols[row] = partner[row];
            }
        }
        double total = 0.0;
        for (int k = 0; k < pairs; k++) {
            total += cost[rows[k]][cols[k]];
        }
        return new Assignment(rows, cols, total);
    }
}
