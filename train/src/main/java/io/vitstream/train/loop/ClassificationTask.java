package io.vitstream.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import io.vitstream.backbone.Features;
import io.vitstream.heads.Head;
import io.vitstream.heads.VisionModel;
import io.vitstream.train.data.ClassificationBatches;
import io.vitstream.train.eval.Accuracy;
import io.vitstream.train.model.FeatureCache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Image classification with label-smoothed cross-entropy. With the backbone frozen (linear
 * probe) the backbone runs once over the training images and the head trains on the cached
 * tokens, so augmentation is off in that mode; otherwise every step runs the whole model on
 * freshly augmented images.
 */
public final class ClassificationTask implements Task {

    private final VisionModel model;
    private final Head head;
    private final ClassificationBatches train;
    private final ClassificationBatches eval;
    private final double labelSmoothing;
    private final FeatureCache cache;
    private final int evalBatch;
    private Accuracy last;

    /**
     * @param model backbone plus a classification head
     * @param headName the head to train
     * @param train training images (with augmentation, unless the backbone is frozen)
     * @param eval held-out images
     * @param frozenBackbone train the head only, on cached features
     * @param labelSmoothing share of the target mass spread over all classes (0.1 for ViTs)
     */
    public ClassificationTask(VisionModel model, String headName, ClassificationBatches train, ClassificationBatches eval,
            boolean frozenBackbone, double labelSmoothing) {
        this.model = model;
        this.head = model.heads().get(headName);
        if (head == null) throw new IllegalArgumentException("model has no head '" + headName + "'; heads: " + model.heads().keySet());
        this.train = train;
        this.eval = eval;
        this.labelSmoothing = labelSmoothing;
        this.evalBatch = 256;
        this.cache = frozenBackbone ? FeatureCache.compute(model.backbone(), train.data().size(), evalBatch,
                (m, idx) -> train.plain().images(m, idx, null), model.manager()) : null;
    }

    @Override public VisionModel model() { return model; }
    @Override public int size() { return train.data().size(); }

    @Override
    public Map<String, Parameter> trainable() {
        return cache != null ? ModelParams.heads(model) : ModelParams.learnable(model);
    }

    @Override
    public NDArray loss(NDManager manager, int[] batch, Random rng) {
        Features f = cache != null ? cache.features(manager, batch)
                : model.backbone().features(null, train.images(manager, batch, rng), true, false);
        NDArray logits = head.forward(null, f, true).head();
        return crossEntropy(logits, train.labels(batch), labelSmoothing);
    }

    /**
     * Mean cross-entropy with label smoothing (Szegedy et al. 2016).
     *
     * @param logits {@code [B, K]}
     * @param labels {@code [B]} true classes
     * @param smoothing target {@code (1 - s)} on the true class plus {@code s / K} on every class
     * @return a scalar
     */
    public static NDArray crossEntropy(NDArray logits, int[] labels, double smoothing) {
        int k = (int) logits.getShape().get(1);
        float[] target = new float[labels.length * k];
        float off = (float) (smoothing / k);
        java.util.Arrays.fill(target, off);
        for (int i = 0; i < labels.length; i++) target[i * k + labels[i]] += (float) (1 - smoothing);
        NDArray t = logits.getManager().create(target, new Shape(labels.length, k));
        return logits.logSoftmax(-1).mul(t).sum(new int[] {1}).neg().mean();
    }

    @Override
    public Map<String, Double> evaluate() {
        Accuracy acc = new Accuracy(head.labels().size());
        int n = eval.data().size();
        for (int start = 0; start < n; start += evalBatch) {
            int[] idx = IntStream.range(start, Math.min(n, start + evalBatch)).toArray();
            try (NDManager m = model.manager().newSubManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                Features f = model.backbone().features(null, eval.images(m, idx, null), false, false);
                acc.add(head.forward(null, f, false).head().toFloatArray(), eval.labels(idx));
            }
        }
        last = acc;
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("top1", acc.top1());
        out.put("top5", acc.top5());
        return out;
    }

    /** The accuracy (with its confusion matrix) of the latest evaluation, or {@code null}. */
    public Accuracy lastAccuracy() {
        return last;
    }
}
