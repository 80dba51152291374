package io.vitstream.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;

import io.vitstream.backbone.Features;
import io.vitstream.heads.Head;
import io.vitstream.heads.VisionModel;
import io.vitstream.heads.detr.DetrHead;
import io.vitstream.heads.loss.DetectionTarget;
import io.vitstream.heads.loss.SetCriterion;
import io.vitstream.train.data.BoxTransform;
import io.vitstream.train.data.DetectionSet;
import io.vitstream.train.eval.Accuracy;
import io.vitstream.train.eval.DetectionEval;
import io.vitstream.train.model.FeatureCache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * DETR head training with the set loss (Hungarian matching, auxiliary losses per decoder layer),
 * plus, optionally, a classification head trained on the same features to name the largest
 * object. With the backbone frozen, the backbone runs once per image and augmented view
 * (view 0 unaugmented, the others with random scale jitter and flips) and the heads train on the
 * cached tokens; otherwise every step augments afresh and trains the whole model.
 */
public final class DetectionTask implements Task {

    private static final int EVAL_BATCH = 64;

    private final VisionModel model;
    private final DetrHead detr;
    private final Head dominant;
    private final SetCriterion criterion;
    private final DetectionBatches train;
    private final DetectionBatches val;
    private final Augment augment;
    private final FeatureCache trainCache;
    private final FeatureCache valCache;
    private final List<BoxTransform> cachedTransforms = new ArrayList<>();
    private DetectionEval.Result last;

    /**
     * Detection augmentation.
     *
     * @param minScale smallest scale jitter factor
     * @param maxScale largest scale jitter factor
     * @param flipProbability chance of a left-right mirror
     * @param views with a frozen backbone: cached views per image (1 = no augmentation)
     * @param seed seeds the cached views
     */
    public record Augment(double minScale, double maxScale, double flipProbability, int views, long seed) {}

    /**
     * @param model backbone, a DETR head named "detection", optionally a classification head "dominant"
     */
    public DetectionTask(VisionModel model, DetectionSet train, DetectionSet val, boolean frozenBackbone, Augment augment) {
        this.model = model;
        if (!(model.heads().get("detection") instanceof DetrHead)) {
            throw new IllegalArgumentException("model needs a DETR head named 'detection'; heads: " + model.heads().keySet());
        }
        this.detr = (DetrHead) model.heads().get("detection");
        this.dominant = model.heads().get("dominant");
        this.criterion = new SetCriterion(detr.config());
        float[] mean = model.preprocessorConfig().mean();
        float[] std = model.preprocessorConfig().std();
        this.train = new DetectionBatches(train, mean, std);
        this.val = new DetectionBatches(val, mean, std);
        this.augment = augment;
        if (frozenBackbone) {
            Random rng = new Random(augment.seed());
            for (int v = 0; v < augment.views(); v++) {
                for (int i = 0; i < train.size(); i++) cachedTransforms.add(v == 0 ? BoxTransform.IDENTITY : randomTransform(rng));
            }
            this.trainCache = FeatureCache.compute(model.backbone(), cachedTransforms.size(), EVAL_BATCH,
                    (m, idx) -> this.train.images(m, originals(idx), transforms(idx)), model.manager());
            this.valCache = FeatureCache.compute(model.backbone(), val.size(), EVAL_BATCH,
                    (m, idx) -> this.val.images(m, idx, identities(idx.length)), model.manager());
        } else {
            this.trainCache = null;
            this.valCache = null;
        }
    }

    private BoxTransform randomTransform(Random rng) {
        DetectionSet d = train.data();
        return BoxTransform.random(rng, d.height(), d.width(), augment.minScale(), augment.maxScale(), augment.flipProbability());
    }

    private int[] originals(int[] idx) {
        return Arrays.stream(idx).map(i -> i % train.data().size()).toArray();
    }

    private BoxTransform[] transforms(int[] idx) {
        return Arrays.stream(idx).mapToObj(cachedTransforms::get).toArray(BoxTransform[]::new);
    }

    private static BoxTransform[] identities(int n) {
        BoxTransform[] t = new BoxTransform[n];
        Arrays.fill(t, BoxTransform.IDENTITY);
        return t;
    }

    @Override public VisionModel model() { return model; }
    @Override public int size() { return trainCache != null ? trainCache.size() : train.data().size(); }

    @Override
    public Map<String, Parameter> trainable() {
        return trainCache != null ? ModelParams.heads(model) : ModelParams.learnable(model);
    }

    @Override
    public NDArray loss(NDManager manager, int[] batch, Random rng) {
        Features f;
        List<DetectionTarget> targets;
        if (trainCache != null) {
            f = trainCache.features(manager, batch);
            targets = train.targets(originals(batch), transforms(batch));
        } else {
            BoxTransform[] t = new BoxTransform[batch.length];
            for (int i = 0; i < t.length; i++) t[i] = randomTransform(rng);
            f = model.backbone().features(null, train.images(manager, batch, t), true, false);
            targets = train.targets(batch, t);
        }
        NDList raw = detr.forward(null, f, true);
        NDArray loss = criterion.compute(raw.get(0), raw.get(1), targets).total();
        return dominant == null ? loss : loss.add(dominantLoss(f, targets));
    }

    /** Cross-entropy of the "dominant" head against the largest object, over images that have one. */
    private NDArray dominantLoss(Features f, List<DetectionTarget> targets) {
        int[] labels = targets.stream().mapToInt(DetectionBatches::largest).toArray();
        int[] rows = IntStream.range(0, labels.length).filter(i -> labels[i] >= 0).toArray();
        NDArray logits = dominant.forward(null, f, true).head();
        if (rows.length < labels.length) {
            logits = logits.get(logits.getManager().create(Arrays.stream(rows).asLongStream().toArray()));
        }
        return ClassificationTask.crossEntropy(logits, Arrays.stream(rows).map(i -> labels[i]).toArray(), 0.0);
    }

    @Override
    public Map<String, Double> evaluate() {
        int n = val.data().size();
        List<List<DetectionEval.Detection>> detections = new ArrayList<>();
        Accuracy acc = dominant == null ? null : new Accuracy(dominant.labels().size());
        for (int start = 0; start < n; start += EVAL_BATCH) {
            int[] idx = IntStream.range(start, Math.min(n, start + EVAL_BATCH)).toArray();
            try (NDManager m = model.manager().newSubManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                Features f = valCache != null ? valCache.features(m, idx)
                        : model.backbone().features(null, val.images(m, idx, identities(idx.length)), false, false);
                NDList raw = detr.forward(null, f, false);
                long layers = raw.get(0).getShape().get(0);
                detections.addAll(Predictions.detections(raw.get(0).get(layers - 1).softmax(-1).toFloatArray(),
                        raw.get(1).get(layers - 1).toFloatArray(), idx.length, val.data().width(), val.data().height()));
                if (acc != null) {
                    List<DetectionTarget> t = val.targets(idx, identities(idx.length));
                    acc.add(dominant.forward(null, f, false).head().toFloatArray(), t.stream().mapToInt(DetectionBatches::largest).toArray());
                }
            }
        }
        last = new DetectionEval(detr.config().numLabels(), 100).evaluate(Predictions.truths(val.data()), detections);
        Map<String, Double> out = new LinkedHashMap<>(last.summary());
        if (acc != null) out.put("dominant_top1", acc.top1());
        return out;
    }

    /** The latest evaluation with per-class figures, or {@code null}. */
    public DetectionEval.Result lastResult() {
        return last;
    }
}
