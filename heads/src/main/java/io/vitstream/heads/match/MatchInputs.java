package io.vitstream.heads.match;

import io.vitstream.heads.box.Boxes;

/** Checks on one image's matcher inputs, so a bad input fails with its name and position. */
final class MatchInputs {

    private MatchInputs() {}

    /**
     * Checks shapes, finiteness and label range of one image's inputs.
     *
     * @param probs {@code [Q][K + 1]}, {@code K >= 1}, finite
     * @param predBoxes {@code [Q][4]}
     * @param labels {@code [T]}, each in {@code [0, K)} (checked only when {@code Q > 0},
     *     since K is read from {@code probs})
     * @param targetBoxes {@code [T][4]}
     */
    static void requireValid(float[][] probs, float[][] predBoxes, int[] labels, float[][] targetBoxes) {
        requireNonNull(probs, "probs");
        requireNonNull(predBoxes, "predBoxes");
        requireNonNull(labels, "labels");
        requireNonNull(targetBoxes, "targetBoxes");
        if (predBoxes.length != probs.length) {
            throw new IllegalArgumentException(
                    "predBoxes has " + predBoxes.length + " queries but probs has " + probs.length);
        }
        if (targetBoxes.length != labels.length) {
            throw new IllegalArgumentException(
                    "targetBoxes has " + targetBoxes.length + " targets but labels has " + labels.length);
        }
        if (probs.length > 0) {
            int numClasses = requireProbs(probs);
            requireLabels(labels, numClasses);
        }
    }

    /**
     * Converts boxes to corner form, naming the argument in any error.
     *
     * @param boxes {@code [n][4]} (cx, cy, w, h)
     * @param name the argument name for messages
     * @return {@code [n][4]} (x0, y0, x1, y1)
     */
    static float[][] toXyxy(float[][] boxes, String name) {
        try {
            return Boxes.cxcywhToXyxy(boxes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** Returns K, the number of real classes, after checking probs is rectangular and finite. */
    private static int requireProbs(float[][] probs) {
        int width = requireNonNull(probs[0], "probs[0]").length;
        if (width < 2) {
            throw new IllegalArgumentException(
                    "probs must have at least 2 columns (a class and 'no object'), got " + width);
        }
        for (int q = 0; q < probs.length; q++) {
            float[] row = requireNonNull(probs[q], "probs[" + q + "]");
            if (row.length != width) {
                throw new IllegalArgumentException(
                        "probs[" + q + "] has " + row.length + " columns but probs[0] has " + width);
            }
            for (int k = 0; k < width; k++) {
                if (!Float.isFinite(row[k])) {
                    throw new IllegalArgumentException("probs[" + q + "][" + k + "] is " + row[k]);
                }
            }
        }
        return width - 1;
    }

    private static void requireLabels(int[] labels, int numClasses) {
        for (int t = 0; t < labels.length; t++) {
            if (labels[t] < 0 || labels[t] >= numClasses) {
                throw new IllegalArgumentException(
                        "labels[" + t + "] = " + labels[t] + " is outside [0, " + numClasses
                                + "); class " + numClasses + " is 'no object' and cannot be a target");
            }
        }
    }

    private static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        return value;
    }
}
