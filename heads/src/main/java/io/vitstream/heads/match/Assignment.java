package io.vitstream.heads.match;

import java.util.Arrays;

/**
 * A one-to-one matching between the rows and columns of a cost matrix: row
 * {@code rowIndices[k]} is matched to column {@code colIndices[k]}. Pairs are sorted by row,
 * no row or column appears twice, and there are {@code min(rows, cols)} pairs.
 *
 * <p>For a DETR matcher, rows are queries (predictions) and columns are targets.
 *
 * @param rowIndices matched rows, strictly increasing
 * @param colIndices the column matched to each row, same length as {@code rowIndices}
 * @param totalCost the sum of the matched entries of the cost matrix
 */
public record Assignment(int[] rowIndices, int[] colIndices, double totalCost) {

    /** The assignment of an empty matrix: no pairs, cost 0. */
    public static final Assignment EMPTY = new Assignment(new int[0], new int[0], 0.0);

    /** Copies the arrays so the record stays immutable, and checks they form a matching. */
    public Assignment {
        if (rowIndices.length != colIndices.length) {
            throw new IllegalArgumentException(
                    "assignment has " + rowIndices.length + " rows but " + colIndices.length + " columns");
        }
        rowIndices = rowIndices.clone();
        colIndices = colIndices.clone();
        requireMatching(rowIndices, colIndices);
    }

    private static void requireMatching(int[] rows, int[] cols) {
        for (int k = 0; k < rows.length; k++) {
            if (rows[k] < 0 || (k > 0 && rows[k] <= rows[k - 1])) {
                throw new IllegalArgumentException(
                        "assignment rows must be >= 0 and strictly increasing, got "
                                + Arrays.toString(rows));
            }
        }
        int[] sortedCols = cols.clone();
        Arrays.sort(sortedCols);
        for (int k = 0; k < sortedCols.length; k++) {
            if (sortedCols[k] < 0 || (k > 0 && sortedCols[k] == sortedCols[k - 1])) {
                throw new IllegalArgumentException(
                        "assignment columns must be >= 0 and distinct, got " + Arrays.toString(cols));
            }
        }
    }

    /**
     * Number of matched pairs.
     *
     * @return {@code rowIndices().length}
     */
    public int size() {
        return rowIndices.length;
    }

    /**
     * The matched rows.
     *
     * @return a copy, strictly increasing
     */
    @Override
    public int[] rowIndices() {
        return rowIndices.clone();
    }

    /**
     * The matched columns, aligned with {@link #rowIndices()}.
     *
     * @return a copy
     */
    @Override
    public int[] colIndices() {
        return colIndices.clone();
    }

    /** Compares the pairs by content, not by array identity. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Assignment that
                && Arrays.equals(rowIndices, that.rowIndices)
                && Arrays.equals(colIndices, that.colIndices)
                && Double.compare(totalCost, that.totalCost) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(rowIndices) + Arrays.hashCode(colIndices))
                + Double.hashCode(totalCost);
    }

    @Override
    public String toString() {
        return "Assignment[rows=" + Arrays.toString(rowIndices)
                + ", cols=" + Arrays.toString(colIndices) + ", totalCost=" + totalCost + "]";
    }
}
