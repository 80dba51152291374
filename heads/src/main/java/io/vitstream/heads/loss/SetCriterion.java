package io.vitstream.heads.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.nn.Ops;
import io.vitstream.heads.box.NdBoxes;
import io.vitstream.heads.detr.DetrConfig;
import io.vitstream.heads.match.Assignment;
import io.vitstream.heads.match.HungarianMatcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DETR's set loss (Carion et al. 2020, section 3.1): predictions are matched one-to-one to the
 * targets by the Hungarian matcher, then
 * <ul>
 *   <li>cross-entropy over all queries, unmatched ones labelled "no object", whose weight is
 *       down-weighted by {@code eos_coefficient} (the many empty queries would drown the few
 *       matched ones); normalized by the sum of weights, as PyTorch's weighted cross-entropy;
 *   <li>L1 between matched boxes (cx, cy, w, h) and 1 - GIoU between them as corners, both
 *       summed and divided by the number of target boxes in the batch (at least 1).
 * </ul>
 * With auxiliary losses every decoder layer is matched and scored on its own and the terms add.
 */
public final class SetCriterion {

    private final DetrConfig config;
    private final HungarianMatcher matcher;

    public SetCriterion(DetrConfig config) {
        this.config = config;
        this.matcher = HungarianMatcher.builder().optClassWeight(config.classCost())
                .optBboxWeight(config.bboxCost()).optGiouWeight(config.giouCost()).build();
    }

    /**
     * The loss of one batch and what it is made of.
     *
     * @param total the weighted sum to back-propagate (a scalar)
     * @param terms each unweighted term by name ({@code loss_ce.3}, {@code loss_bbox.3}, ... per layer)
     * @param matches per decoder layer, per image, the (query, target) assignment
     */
    public record Losses(NDArray total, Map<String, Float> terms, List<List<Assignment>> matches) {}

    /**
     * @param logits {@code [L, B, Q, K+1]} class logits of every decoder layer
     * @param boxes {@code [L, B, Q, 4]} predicted (cx, cy, w, h), normalized
     * @param targets one per image
     */
    public Losses compute(NDArray logits, NDArray boxes, List<DetectionTarget> targets) {
        int layers = (int) logits.getShape().get(0);
        if (logits.getShape().get(1) != targets.size()) {
            throw new IllegalArgumentException(logits.getShape().get(1) + " images in the batch but " + targets.size() + " targets");
        }
        float numBoxes = Math.max(1, targets.stream().mapToInt(DetectionTarget::size).sum());
        Map<String, Float> terms = new LinkedHashMap<>();
        List<List<Assignment>> matches = new ArrayList<>();
        NDArray total = null;
        for (int l = config.auxiliaryLoss() ? 0 : layers - 1; l < layers; l++) {
            NDArray layerLogits = logits.get(l);
            NDArray layerBoxes = boxes.get(l);
            List<Assignment> assignment = match(layerLogits, layerBoxes, targets);
            matches.add(assignment);
            NDArray ce = classification(layerLogits, targets, assignment);
            NDArray[] box = boxTerms(layerBoxes, targets, assignment, numBoxes);
            terms.put("loss_ce." + l, ce.getFloat());
            terms.put("loss_bbox." + l, box[0].getFloat());
            terms.put("loss_giou." + l, box[1].getFloat());
            // Ops.scalar, not mul(float): DJL frees the Number overloads' scalar before backward.
            NDArray sum = ce.add(box[0].mul(Ops.scalar(ce, (float) config.bboxLossCoefficient())))
                    .add(box[1].mul(Ops.scalar(ce, (float) config.giouLossCoefficient())));
            total = total == null ? sum : total.add(sum);
        }
        return new Losses(total, terms, matches);
    }

    private List<Assignment> match(NDArray logits, NDArray boxes, List<DetectionTarget> targets) {
        NDArray probs = logits.toType(DataType.FLOAT32, false).softmax(-1);
        NDArray b32 = boxes.toType(DataType.FLOAT32, false);
        List<float[][]> p = new ArrayList<>();
        List<float[][]> bx = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        List<float[][]> tb = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            p.add(rows(probs.get(i)));
            bx.add(rows(b32.get(i)));
            labels.add(targets.get(i).labels());
            tb.add(targets.get(i).boxes());
        }
        return matcher.matchBatch(p, bx, labels, tb);
    }

    /** Weighted cross-entropy over {@code [B, Q]} queries. */
    private NDArray classification(NDArray logits, List<DetectionTarget> targets, List<Assignment> assignment) {
        int b = (int) logits.getShape().get(0);
        int q = (int) logits.getShape().get(1);
        int k = config.numLabels();
        float[] classes = new float[b * q * (k + 1)];
        float[] weights = new float[b * q];
        for (int i = 0; i < b * q; i++) {
            classes[i * (k + 1) + k] = 1f;
            weights[i] = (float) config.eosCoefficient();
        }
        for (int i = 0; i < b; i++) {
            Assignment a = assignment.get(i);
            for (int m = 0; m < a.size(); m++) {
                int query = i * q + a.rowIndices()[m];
                classes[query * (k + 1) + k] = 0f;
                classes[query * (k + 1) + targets.get(i).labels()[a.colIndices()[m]]] = 1f;
                weights[query] = 1f;
            }
        }
        NDManager m = logits.getManager();
        NDArray oneHot = m.create(classes, new Shape(b, q, k + 1));
        NDArray w = m.create(weights, new Shape(b, q));
        NDArray nll = logits.toType(DataType.FLOAT32, false).logSoftmax(-1).mul(oneHot).sum(new int[] {-1}).neg();
        return nll.mul(w).sum().div(w.sum());
    }

    /** {L1, 1 - GIoU} over matched pairs, each summed and divided by the batch's box count. */
    private NDArray[] boxTerms(NDArray boxes, List<DetectionTarget> targets, List<Assignment> assignment, float numBoxes) {
        int q = (int) boxes.getShape().get(1);
        List<Long> index = new ArrayList<>();
        List<float[]> matched = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Assignment a = assignment.get(i);
            for (int m = 0; m < a.size(); m++) {
                index.add((long) i * q + a.rowIndices()[m]);
                matched.add(targets.get(i).boxes()[a.colIndices()[m]]);
            }
        }
        NDManager m = boxes.getManager();
        if (index.isEmpty()) {
            // Keep the graph connected so an all-empty batch still back-propagates zeros.
            NDArray zero = boxes.sum().mul(Ops.scalar(boxes, 0f));
            return new NDArray[] {zero, zero};
        }
        long[] idx = index.stream().mapToLong(Long::longValue).toArray();
        float[] flat = new float[matched.size() * 4];
        for (int i = 0; i < matched.size(); i++) System.arraycopy(matched.get(i), 0, flat, i * 4, 4);
        NDArray pred = boxes.toType(DataType.FLOAT32, false).reshape(-1, 4).get(m.create(idx));
        NDArray target = m.create(flat, new Shape(matched.size(), 4));
        NDArray l1 = pred.sub(target).abs().sum().div(Ops.scalar(pred, numBoxes));
        NDArray giou = NdBoxes.generalizedIouPaired(NdBoxes.cxcywhToXyxy(pred), NdBoxes.cxcywhToXyxy(target));
        return new NDArray[] {l1, giou.neg().add(1f).sum().div(Ops.scalar(pred, numBoxes))};
    }

    /** {@code [R, C]} array to rows. */
    private static float[][] rows(NDArray a) {
        int r = (int) a.getShape().get(0);
        int c = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        float[][] out = new float[r][c];
        for (int i = 0; i < r; i++) System.arraycopy(flat, i * c, out[i], 0, c);
        return out;
    }
}
