package io.vitstream.heads.classification;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.Features;
import io.vitstream.backbone.nn.Dense;
import io.vitstream.backbone.nn.Init;
import io.vitstream.backbone.nn.NamedBlock;
import io.vitstream.backbone.nn.Norm;
import io.vitstream.heads.Head;
import io.vitstream.heads.HeadContext;
import io.vitstream.heads.PostProcessor;
import io.vitstream.results.HeadResult;
import io.vitstream.results.Label;

import java.util.ArrayList;
import java.util.List;

/**
 * Image classification: pool the tokens (class token, mean of patches, or both concatenated as
 * HF's DINOv2 classifier does), optional LayerNorm,
 * linear layer. Raw output {@code [B, num_labels]} logits; post-processing gives the softmax
 * top-k. Checkpoint keys {@code classifier.weight [L, D]}, {@code classifier.bias [L]} as in HF
 * {@code ViTForImageClassification}, plus {@code classifier.norm.*} when the norm is on.
 */
public final class ClassificationHead extends NamedBlock implements Head {

    private final ClassificationConfig config;
    private final Dense linear;
    private final Norm norm;

    public ClassificationHead(ClassificationConfig config, HeadContext context) {
        if (config.pooling() != ClassificationConfig.Pooling.MEAN && !context.hasClassToken()) {
            throw new IllegalArgumentException("pooling '" + config.pooling().label()
                    + "' needs a backbone with a class token; use 'mean'");
        }
        this.config = config;
        int width = config.pooling().width(context.hiddenSize());
        this.norm = config.useNorm() ? child("norm", new Norm(width, config.normEps())) : null;
        this.linear = child("", new Dense(width, config.labels().size(), true, Init.truncatedNormal(0.02)));
    }

    /** The settings. */
    public ClassificationConfig config() {
        return config;
    }

    /**
     * @return {@code [B, num_labels]} logits
     */
    @Override
    public NDList forward(ParameterStore ps, Features features, boolean training) {
        NDArray pooled;
        switch (config.pooling()) {
            case CLS: pooled = features.classToken(); break;
            case MEAN: pooled = features.patchTokens().mean(new int[] {1}); break;
            case CLS_MEAN: pooled = features.classToken().concat(features.patchTokens().mean(new int[] {1}), 1); break;
            default: throw new IllegalStateException(config.pooling().name());
        }
        if (norm != null) {
            pooled = norm.apply(ps, pooled, training);
        }
        return new NDList(linear.apply(ps, pooled, training));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("call forward(ParameterStore, Features, boolean)");
    }

    @Override
    public PostProcessor postProcessor() {
        return (raw, geometries) -> {
            NDArray probs = raw.head().toType(DataType.FLOAT32, false).softmax(-1);
            int b = (int) probs.getShape().get(0);
            int n = (int) probs.getShape().get(1);
            float[] all = probs.toFloatArray();
            List<HeadResult> out = new ArrayList<>(b);
            for (int i = 0; i < b; i++) {
                out.add(new HeadResult.Classification(topK(all, i * n, n)));
            }
            return out;
        };
    }

    private List<Label> topK(float[] probs, int offset, int n) {
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) order[j] = j;
        java.util.Arrays.sort(order, (a, c) -> Float.compare(probs[offset + c], probs[offset + a]));
        List<Label> top = new ArrayList<>(config.topK());
        for (int k = 0; k < config.topK(); k++) {
            int id = order[k];
            top.add(new Label(id, config.labels().get(id), probs[offset + id]));
        }
        return top;
    }

    @Override public String type() { return "classification"; }
    @Override public List<String> labels() { return config.labels(); }
    @Override public String checkpointPrefix() { return config.prefix(); }
    @Override public ObjectNode toConfigJson() { return config.toJson(); }
}
