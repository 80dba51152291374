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
 * and are dropped from its answer. Ties are broken by index, as the solver breaks them.
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
        int[] match = new int[rows];
        Arrays.fill(match, -1);
        if (rows == 0 || iou[0].length == 0) {
            return match;
        }
        // Only rows and columns with a pair over the gate take part: the others stay unmatched.
        int[] liveRows = live(iou, minIou, true);
        int[] liveCols = live(iou, minIou, false);
        if (liveRows.length == 0) {
            return match;
        }
        double[][] cost = new double[liveRows.length][liveCols.length];
        for (int i = 0; i < liveRows.length; i++) {
            for (int j = 0; j < liveCols.length; j++) {
                double value = iou[liveRows[i]][liveCols[j]];
                cost[i][j] = value >= minIou ? minIou - value - AT_GATE : 0;
            }
        }
        Assignment assignment = LinearAssignment.solve(cost);
        int[] r = assignment.rowIndices();
        int[] c = assignment.colIndices();
        for (int k = 0; k < r.length; k++) {
            if (iou[liveRows[r[k]]][liveCols[c[k]]] >= minIou) {
                match[liveRows[r[k]]] = liveCols[c[k]];
            }
        }
        return match;
    }

    /** The rows (or columns) that have at least one entry of at least {@code minIou}, in order. */
    private static int[] live(double[][] iou, double minIou, boolean byRow) {
        int count = byRow ? iou.length : iou[0].length;
        int[] live = new int[count];
        int n = 0;
        for (int a = 0; a < count; a++) {
            int other = byRow ? iou[0].length : iou.length;
            for (int b = 0; b < other; b++) {
                if ((byRow ? iou[a][b] : iou[b][a]) >= minIou) {
                    live[n++] = a;
                    break;
                }
            }
        }
        return Arrays.copyOf(live, n);
    }
}
