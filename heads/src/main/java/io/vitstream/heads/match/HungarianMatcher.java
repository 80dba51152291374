package io.vitstream.heads.match;

import io.vitstream.heads.box.Boxes;
import java.util.ArrayList;
import java.util.List;

/**
 * DETR's bipartite matcher (Carion et al. 2020): pairs each target of an image with one
 * query so that the summed matching cost is least; unmatched queries are "no object".
 *
 * <p>The cost of query {@code q} for target {@code t} is
 * {@code classWeight * -prob[q][label[t]] + bboxWeight * L1(box[q], box[t])
 * + giouWeight * -GIoU(box[q], box[t])}, L1 on {@code (cx, cy, w, h)} and GIoU on the
 * corner form. The class term approximates {@code 1 - prob[target class]}; the constant 1
 * is dropped because it shifts every matching by the same amount.
 *
 * <p>Matching works on plain arrays, off the autograd graph: the loss only needs the
 * indices it returns. Weights default to the DETR paper's 1, 5 and 2.
 */
public final class HungarianMatcher {

    private final double classWeight;
    private final double bboxWeight;
    private final double giouWeight;

    private HungarianMatcher(Builder builder) {
        this.classWeight = builder.classWeight;
        this.bboxWeight = builder.bboxWeight;
        this.giouWeight = builder.giouWeight;
    }

    /**
     * Starts a matcher with the DETR defaults: class 1, L1 box 5, GIoU 2.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Weight of the class term.
     *
     * @return {@code >= 0}
     */
    public double classWeight() {
        return classWeight;
    }

    /**
     * Weight of the L1 box term.
     *
     * @return {@code >= 0}
     */
    public double bboxWeight() {
        return bboxWeight;
    }

    /**
     * Weight of the GIoU term.
     *
     * @return {@code >= 0}
     */
    public double giouWeight() {
        return giouWeight;
    }

    /**
     * Matches the targets of one image to its queries.
     *
     * @param probs {@code [Q][K + 1]} class probabilities per query (already softmaxed), the
     *     last column being "no object"
     * @param predBoxes {@code [Q][4]} predicted boxes (cx, cy, w, h), normalized to [0, 1]
     * @param labels {@code [T]} target classes, each in {@code [0, K)}
     * @param targetBoxes {@code [T][4]} target boxes (cx, cy, w, h), normalized to [0, 1]
     * @return {@code min(Q, T)} pairs: rows are query indices (sorted), columns the target
     *     index matched to each; empty when there are no targets or no queries
     */
    public Assignment match(float[][] probs, float[][] predBoxes, int[] labels, float[][] targetBoxes) {
        return LinearAssignment.solve(costMatrix(probs, predBoxes, labels, targetBoxes));
    }

    /**
     * Matches each image of a batch on its own. Queries never compete across images, so this
     * is exactly {@link #match} per image; DETR builds one batch-wide matrix only to feed a
     * GPU, which plain arrays do not need. Images may have different numbers of targets.
     *
     * @param probs per image {@code [Q][K + 1]} class probabilities, "no object" last
     * @param predBoxes per image {@code [Q][4]} boxes (cx, cy, w, h), normalized
     * @param labels per image {@code [T_i]} target classes
     * @param targetBoxes per image {@code [T_i][4]} boxes (cx, cy, w, h), normalized
     * @return one assignment per image, in batch order
     */
    public List<Assignment> matchBatch(
            List<float[][]> probs,
            List<float[][]> predBoxes,
            List<int[]> labels,
            List<float[][]> targetBoxes) {
        int batch = probs.size();
        requireBatchSize("predBoxes", predBoxes.size(), batch);
        requireBatchSize("labels", labels.size(), batch);
        requireBatchSize("targetBoxes", targetBoxes.size(), batch);
        List<Assignment> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            try {
                out.add(match(probs.get(b), predBoxes.get(b), labels.get(b), targetBoxes.get(b)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("image " + b + " of the batch: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * The matching cost of every query for every target of one image.
     *
     * @param probs {@code [Q][K + 1]} class probabilities, "no object" last
     * @param predBoxes {@code [Q][4]} boxes (cx, cy, w, h), normalized
     * @param labels {@code [T]} target classes in {@code [0, K)}
     * @param targetBoxes {@code [T][4]} boxes (cx, cy, w, h), normalized
     * @return {@code [Q][T]} costs, lower is a better match
     */
    public double[][] costMatrix(
            float[][] probs, float[][] predBoxes, int[] labels, float[][] targetBoxes) {
        MatchInputs.requireValid(probs, predBoxes, labels, targetBoxes);
        double[][] giou = Boxes.generalizedIouMatrix(
                MatchInputs.toXyxy(predBoxes, "predBoxes"), MatchInputs.toXyxy(targetBoxes, "targetBoxes"));
        double[][] cost = new double[probs.length][labels.length];
        for (int q = 0; q < probs.length; q++) {
            for (int t = 0; t < labels.length; t++) {
                cost[q][t] = classWeight * -probs[q][labels[t]]
                        + bboxWeight * l1(predBoxes[q], targetBoxes[t])
                        + giouWeight * -giou[q][t];
            }
        }
        return cost;
    }

    private static double l1(float[] a, float[] b) {
        double sum = 0.0;
        for (int k = 0; k < 4; k++) {
            sum += Math.abs((double) a[k] - b[k]);
        }
        return sum;
    }

    private static void requireBatchSize(String name, int size, int batch) {
        if (size != batch) {
            throw new IllegalArgumentException(
                    name + " has " + size + " images but probs has " + batch);
        }
    }

    /** Collects the cost weights; unset ones keep the DETR defaults. */
    public static final class Builder {

        private double classWeight = 1.0;
        private double bboxWeight = 5.0;
        private double giouWeight = 2.0;

        private Builder() {}

        /**
         * Sets the weight of the class term (default 1).
         *
         * @param weight finite, {@code >= 0}
         * @return this builder
         */
        public Builder optClassWeight(double weight) {
            this.classWeight = weight;
            return this;
        }

        /**
         * Sets the weight of the L1 box term (default 5).
         *
         * @param weight finite, {@code >= 0}
         * @return this builder
         */
        public Builder optBboxWeight(double weight) {
            this.bboxWeight = weight;
            return this;
        }

        /**
         * Sets the weight of the GIoU term (default 2).
         *
         * @param weight finite, {@code >= 0}
         * @return this builder
         */
        public Builder optGiouWeight(double weight) {
            this.giouWeight = weight;
            return this;
        }

        /**
         * Validates the weights and builds the matcher.
         *
         * @return the matcher
         * @throws IllegalArgumentException if a weight is negative or not finite, or all are 0
         */
        public HungarianMatcher build() {
            requireWeight("classWeight", classWeight);
            requireWeight("bboxWeight", bboxWeight);
            requireWeight("giouWeight", giouWeight);
            if (classWeight == 0 && bboxWeight == 0 && giouWeight == 0) {
                throw new IllegalArgumentException(
                        "classWeight, bboxWeight and giouWeight are all 0: every matching would cost the same");
            }
            return new HungarianMatcher(this);
        }

        private static void requireWeight(String name, double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
            }
        }
    }
}
