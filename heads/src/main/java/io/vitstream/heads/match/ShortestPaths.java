package io.vitstream.heads.match;

import java.util.Arrays;

/**
 * The core of {@link LinearAssignment}: matches every row of a cost matrix with at least as
 * many columns as rows, one row at a time, each by a shortest augmenting path.
 *
 * <p>It keeps dual potentials {@code u[row]}, {@code v[col]} with
 * {@code cost[i][j] - u[i] - v[j] >= 0} for every matched row {@code i} and equality on
 * matched pairs. Those reduced costs are the edge lengths of a Dijkstra search from the
 * new row: through a matched column the path continues at no cost to its row, and it ends
 * at the first free column reached. Only the new row's own edges may be negative, and
 * they all leave the source, so Dijkstra stays exact. Flipping the path grows the matching
 * by one; shifting the potentials by each node's distance keeps the invariant, which is
 * what makes the final matching optimal (complementary slackness).
 */
final class ShortestPaths {

    private final double[][] cost;
    private final int cols;
    private final double[] rowPotential;
    private final double[] colPotential;
    private final int[] colOfRow;
    private final int[] rowOfCol;

    // Scratch for one search, reused across rows to avoid per-row allocation.
    private final double[] dist;
    private final int[] viaRow;
    private final boolean[] scanned;
    private final int[] scanOrder;

    /** @param cost {@code [rows][cols]} finite costs with {@code rows <= cols}, rows >= 1 */
    ShortestPaths(double[][] cost) {
        this.cost = cost;
        this.cols = cost[0].length;
        this.rowPotential = new double[cost.length];
        this.colPotential = new double[cols];
        this.colOfRow = new int[cost.length];
        this.rowOfCol = new int[cols];
        this.dist = new double[cols];
        this.viaRow = new int[cols];
        this.scanned = new boolean[cols];
        this.scanOrder = new int[cols];
        Arrays.fill(colOfRow, -1);
        Arrays.fill(rowOfCol, -1);
    }

    /**
     * Matches every row.
     *
     * @return for each row the column it is matched to, {@code [rows]}
     */
    int[] solve() {
        for (int row = 0; row < cost.length; row++) {
            augmentFrom(row);
        }
        return colOfRow.clone();
    }

    private void augmentFrom(int start) {
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        Arrays.fill(scanned, false);
        int scannedCount = 0;
        int row = start;
        double rowDist = 0.0;
        int sink;
        while (true) {
            relaxEdgesOf(row, rowDist);
            int col = nearestUnscanned();
            scanned[col] = true;
            scanOrder[scannedCount++] = col;
            if (rowOfCol[col] < 0) {
                sink = col;
                break;
            }
            row = rowOfCol[col];
            rowDist = dist[col];
        }
        updatePotentials(start, sink, scannedCount);
        flipPath(start, sink);
    }

    private void relaxEdgesOf(int row, double rowDist) {
        double[] rowCost = cost[row];
        double u = rowPotential[row];
        for (int col = 0; col < cols; col++) {
            if (!scanned[col]) {
                double d = rowDist + rowCost[col] - u - colPotential[col];
                if (d < dist[col]) {
                    dist[col] = d;
                    viaRow[col] = row;
                }
            }
        }
    }

    private int nearestUnscanned() {
        int best = -1;
        double bestDist = Double.POSITIVE_INFINITY;
        for (int col = 0; col < cols; col++) {
            // The first unscanned column is taken even at infinite distance, so costs so large
            // that their sums overflow cannot turn into an index of -1.
            if (!scanned[col] && (best < 0 || dist[col] < bestDist)) {
                best = col;
                bestDist = dist[col];
            }
        }
        return best;
    }

    /**
     * Shifts each node reached before the sink by how much nearer than the sink it is: the
     * new row by the whole path length, a matched column and its row by
     * {@code sinkDist - dist[col]}. Matched pairs stay tight; no reduced cost goes negative.
     */
    private void updatePotentials(int start, int sink, int scannedCount) {
        double sinkDist = dist[sink];
        rowPotential[start] += sinkDist;
        for (int k = 0; k < scannedCount; k++) {
            int col = scanOrder[k];
            if (col != sink) {
                double shift = sinkDist - dist[col];
                colPotential[col] -= shift;
                rowPotential[rowOfCol[col]] += shift;
            }
        }
    }

    /** Walks back from the free column, handing each column on the path to its new row. */
    private void flipPath(int start, int sink) {
        int col = sink;
        while (true) {
            int row = viaRow[col];
            int previousCol = colOfRow[row];
            colOfRow[row] = col;
            rowOfCol[col] = row;
            if (row == start) {
                return;
            }
            col = previousCol;
        }
    }
}
