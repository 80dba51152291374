package io.vitstream.heads.loss;

/**
 * The ground truth of one image for DETR training.
 *
 * @param labels {@code [T]} class indices in {@code [0, K)}
 * @param boxes {@code [T][4]} boxes (cx, cy, w, h), normalized to [0, 1] of the model input
 */
public record DetectionTarget(int[] labels, float[][] boxes) {

    public DetectionTarget {
        if (labels.length != boxes.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + boxes.length + " boxes");
        }
    }

    /** Number of objects T. */
    public int size() {
        return labels.length;
    }
}
