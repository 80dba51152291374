package io.vitstream.train.optim;

import ai.djl.ndarray.types.Shape;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How each parameter is optimized, decided from its checkpoint key and shape.
 *
 * <p>No weight decay on biases, LayerNorm parameters (every 1-D tensor), position embeddings,
 * class and register tokens and DETR's query embeddings: decaying them pulls them towards 0
 * for no regularization benefit (the usual ViT / DeiT / DETR practice).
 *
 * <p>Layer-wise learning-rate decay (Clark et al. 2020, BEiT): ViT parameters get the learning
 * rate scaled by {@code decay^(L + 1 - depth)} where depth is 0 for the embeddings, {@code i + 1}
 * for encoder layer i and {@code L + 1} for the final norm and every head, so layers near the
 * input, which hold the most general features, move least.
 */
public final class ParamGroups {

    private static final Pattern LAYER = Pattern.compile("(?:^|\\.)encoder\\.layer\\.(\\d+)\\.");

    private ParamGroups() {}

    /**
     * One parameter's treatment.
     *
     * @param lrScale factor on the scheduled learning rate
     * @param decay whether weight decay applies
     */
    public record Group(double lrScale, boolean decay) {}

    /**
     * @param key full checkpoint key, e.g. {@code vit.encoder.layer.3.output.dense.weight}
     * @param shape the parameter's shape
     * @param backbonePrefix the backbone's key prefix (e.g. {@code "vit."}); other keys are heads
     * @param numLayers L, the backbone's encoder layers
     * @param layerDecay the decay factor, 1 for none
     */
    public static Group of(String key, Shape shape, String backbonePrefix, int numLayers, double layerDecay) {
        boolean decay = shape.dimension() > 1 && !key.contains("position_embeddings") && !key.contains("cls_token")
                && !key.contains("register_tokens") && !key.contains("query_position_embeddings");
        int depth = key.startsWith(backbonePrefix) ? depth(key.substring(backbonePrefix.length()), numLayers) : numLayers + 1;
        return new Group(Math.pow(layerDecay, numLayers + 1 - depth), decay);
    }

    /** 0 for embeddings, {@code i + 1} for encoder layer i, {@code L + 1} for the rest. */
    static int depth(String backboneKey, int numLayers) {
        if (backboneKey.startsWith("embeddings.")) return 0;
        Matcher m = LAYER.matcher(backboneKey);
        return m.find() ? Integer.parseInt(m.group(1)) + 1 : numLayers + 1;
    }
}
