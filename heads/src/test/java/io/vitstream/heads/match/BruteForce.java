package io.vitstream.heads.match;

/** Exhaustive minimum-cost assignment, the reference for small matrices. */
final class BruteForce {

    private BruteForce() {}

    /**
     * Least total cost over every one-to-one matching of the smaller side into the larger.
     *
     * @param cost {@code [rows][cols]}, both at least 1 and small (it tries every injection)
     */
    static double minCost(double[][] cost) {
        boolean byRow = cost.length <= cost[0].length;
        int small = byRow ? cost.length : cost[0].length;
        int large = byRow ? cost[0].length : cost.length;
        return search(cost, byRow, 0, small, new boolean[large], 0.0);
    }

    /** Places item {@code next} of the smaller side in each free slot of the larger, recursively. */
    private static double search(
            double[][] cost, boolean byRow, int next, int small, boolean[] used, double sofar) {
        if (next == small) {
            return sofar;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int slot = 0; slot < used.length; slot++) {
            if (!used[slot]) {
                used[slot] = true;
                double c = byRow ? cost[next][slot] : cost[slot][next];
                best = Math.min(best, search(cost, byRow, next + 1, small, used, sofar + c));
                used[slot] = false;
            }
        }
        return best;
    }
}
