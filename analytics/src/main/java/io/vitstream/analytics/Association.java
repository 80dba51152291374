package io.vitstream.analytics;

import io.vitstream.heads.match.Assignment;
import io.vitstream.heads.match.LinearAssignment;
import java.util.Arrays;

/**
 * One association step of the tracker: tracks against detections by IoU, with a gate.
 *
 * <p>The matching maximises the sum of {@code IoU - minIou} over the matched pairs, each with
 * IoU of at least {@code minIou}. That is ByteTrack's rule (a pair is matched only when its cost
 * {@code 1 - IoU} is below the cost of leaving its track and its detection both unmatched) in a
 * form {@link LinearAssignment} can solve: pairs under the gate cost 0, as much as not matching,
 * and are dropped from its answer.
 *
 * <p>Tracks and detections linked by pairs over the gate form groups (connected components); the
 * sum splits over them, so each group is solved on its own: in a scene of separate objects most
 * groups are one track and one detection, and the cubic solver only sees the crowds. Within a
 * group, rows and columns keep their order, and ties are broken by index, as the solver breaks
 * them.
 */
final class Association {

    /**
     * Makes a pair exactly at the gate worth a little more than no pair, so "at least minIou"
     * holds; small enough never to outweigh a real difference of IoU.
     */
    private static final double AT_GATE = 1e-9;

    private Association() {}

    /**
     * Matches rows (tracks) to columns (detections).
     *
     * @param iou {@code [tracks][detections]} IoU in [0, 1]
     * @param minIou the gate, in (0, 1]
     * @return for each row, its column, or -1 when it stays unmatched
     */
    static int[] match(double[][] iou, double minIou) {
        int rows = iou.length;
        int cols = rows == 0 ? 0 : iou[0].length;
        int[] match = new int[rows];
        Arrays.fill(match, -1);
        int[] parent = groups(iou, minIou, rows, cols);
        // Each group's members as a list in index order: rows first, then columns.
        int[] first = new int[rows + cols];
        int[] next = new int[rows + cols];
        Arrays.fill(first, -1);
        for (int i = rows + cols - 1; i >= 0; i--) {
            int root = find(parent, i);
            next[i] = first[root];
            first[root] = i;
        }
        int[][] buffers = {new int[rows], new int[cols]};
        for (int r = 0; r < rows; r++) {
            if (first[r] == r) { // a group's root is its smallest index, so a row when it has one
                solveGroup(iou, minIou, r, next, buffers, match);
            }
        }
        return match;
    }

    /**
     * Union-find over rows (0 .. rows - 1) and columns (rows .. rows + cols - 1), joined by every
     * pair over the gate.
     */
    private static int[] groups(double[][] iou, double minIou, int rows, int cols) {
        int[] parent = new int[rows + cols];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (iou[r][c] >= minIou) {
                    int a = find(parent, r);
                    int b = find(parent, rows + c);
                    parent[Math.max(a, b)] = Math.min(a, b);
                }
            }
        }
        return parent;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /**
     * Solves one group, writing its pairs into {@code match}.
     *
     * @param head its first member; {@code next} links the others, rows before columns, in order
     * @param buffers room for the group's rows and columns
     */
    private static void solveGroup(double[][] iou, double minIou, int head, int[] next, int[][] buffers, int[] match) {
        int rows = iou.length;
        int[] groupRows = buffers[0];
        int[] groupCols = buffers[1];
        int nRows = 0;
        int nCols = 0;
        for (int i = head; i >= 0; i = next[i]) {
            if (i < rows) {
                groupRows[nRows++] = i;
            } else {
                groupCols[nCols++] = i - rows;
            }
        }
        if (nCols == 0) {
            return;
        }
        if (nRows == 1 && nCols == 1) {
            match[groupRows[0]] = groupCols[0]; // joined, so over the gate
            return;
        }
        double[][] cost = new double[nRows][nCols];
        for (int i = 0; i < nRows; i++) {
            for (int j = 0; j < nCols; j++) {
                double value = iou[groupRows[i]][groupCols[j]];
                cost[i][j] = value >= minIou ? minIou - value - AT_GATE : 0;
            }
        }
        Assignment assignment = LinearAssignment.solve(cost);
        int[] r = assignment.rowIndices();
        int[] c = assignment.colIndices();
        for (int k = 0; k < r.length; k++) {
            if (iou[groupRows[r[k]]][groupCols[c[k]]] >= minIou) {
                match[groupRows[r[k]]] = groupCols[c[k]];
            }
        }
    }
}
