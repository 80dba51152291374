package io.vitstream.backbone.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.BackboneBlock;
import io.vitstream.backbone.Features;
import io.vitstream.backbone.Grid;
import io.vitstream.backbone.nn.Group;
import io.vitstream.backbone.nn.Init;
import io.vitstream.backbone.nn.LayerScope;
import io.vitstream.backbone.nn.Norm;
import io.vitstream.backbone.nn.Ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Vision Transformer encoder (Dosovitskiy et al. 2020) with Hugging Face {@code ViTModel}
 * checkpoint names: conv patch embedding, class token, learned position embeddings (resampled
 * for other input sizes), optional register tokens, pre-norm encoder layers, final LayerNorm.
 *
 * <p>Input {@code [B, C, H, W]}, H and W multiples of the patch; output tokens
 * {@code [B, P + H/p * W/p, D]} with P = class token + registers.
 */
public final class ViT extends BackboneBlock {

    private final ViTConfig config;
    private final Parameter clsToken;
    private final Parameter registerTokens;
    private final Parameter positionEmbeddings;
    private final PatchEmbedding patchEmbedding;
    private final List<EncoderLayer> layers = new ArrayList<>();
    private final Norm finalNorm;

    /** Builds the blocks for a config; parameters are declared but have no arrays yet. */
    public ViT(ViTConfig config) {
        this.config = config;
        int d = config.hiddenSize();
        Init init = Init.truncatedNormal(config.initializerRange());
        Group embeddings = child("embeddings", new Group());
        this.clsToken = config.useClassToken()
                ? embeddings.declare("cls_token", Parameter.Type.WEIGHT, new Shape(1, 1, d), init) : null;
        this.registerTokens = config.numRegisterTokens() > 0
                ? embeddings.declare("register_tokens", Parameter.Type.WEIGHT,
                        new Shape(1, config.numRegisterTokens(), d), init)
                : null;
        int positions = (config.useClassToken() ? 1 : 0) + config.gridHeight() * config.gridWidth();
        this.positionEmbeddings = embeddings.declare("position_embeddings", Parameter.Type.WEIGHT,
                new Shape(1, positions, d), init);
        this.patchEmbedding = embeddings.add("patch_embeddings", new PatchEmbedding(config.numChannels(), config.hiddenSize(), config.patchSize(), init));
        Group encoder = child("encoder", new Group());
        Group layerGroup = encoder.add("layer", new Group());
        for (int i = 0; i < config.numLayers(); i++) {
            // Stochastic depth grows linearly with depth (Huang et al. 2016; DeiT).
            float rate = config.numLayers() == 1 ? 0f
                    : (float) (config.dropPathRate() * i / (config.numLayers() - 1));
            layers.add(layerGroup.add(Integer.toString(i), new EncoderLayer(config, rate)));
        }
        this.finalNorm = child("layernorm", new Norm(d, config.layerNormEps()));
    }

    /** The config this encoder was built from. */
    public ViTConfig config() {
        return config;
    }

    @Override
    public Features features(ParameterStore ps, NDArray images, boolean training, boolean withAttentions) {
        Grid grid = checkedGrid(images, config.numChannels());
        return encode(ps, embed(ps, images, grid, training), grid, layers.stream().<LayerScope.Layer>map(l -> l::apply).toList(),
                finalNorm, training, withAttentions);
    }

    /** Patch tokens plus class token, position embeddings, then registers: {@code [B, T, D]}. */
    private NDArray embed(ParameterStore ps, NDArray images, Grid grid, boolean training) {
        NDArray x = patchEmbedding.apply(ps, images, training);
        long b = x.getShape().get(0);
        long d = config.hiddenSize();
        int prefix = 0;
        if (clsToken != null) {
            x = value(ps, clsToken, x.getDevice(), training).broadcast(b, 1, d).concat(x, 1);
            prefix = 1;
        }
        NDArray pos = PositionEmbeddings.resample(value(ps, positionEmbeddings, x.getDevice(), training),
                prefix, config.gridHeight(), config.gridWidth(), grid.height(), grid.width());
        x = x.add(pos);
        if (registerTokens != null) {
            NDArray regs = value(ps, registerTokens, x.getDevice(), training)
                    .broadcast(b, config.numRegisterTokens(), d);
            x = prefix == 0 ? regs.concat(x, 1)
                    : x.get(":, :1, :").concat(regs, 1).concat(x.get(":, 1:, :"), 1);
        }
        return Ops.dropout(x, (float) config.hiddenDropout(), training);
    }

    @Override public String architecture() { return "vit"; }
    @Override public int hiddenSize() { return config.hiddenSize(); }
    @Override public int patchSize() { return config.patchSize(); }
    @Override public int numPrefixTokens() { return config.numPrefixTokens(); }
    @Override public boolean hasClassToken() { return config.useClassToken(); }
    @Override public int numHeads() { return config.numHeads(); }
    @Override public int numLayers() { return config.numLayers(); }
    @Override public int[] defaultImageSize() { return new int[] {config.imageHeight(), config.imageWidth()}; }
    @Override public String describe() { return config.toString(); }
    @Override public ObjectNode toConfigJson() { return ViTConfigJson.write(config); }

    /**
     * Keys of HF ViT checkpoints that this encoder deliberately does not use: the pooler of
     * {@code ViTModel} (a dense+tanh on the class token; heads here own pooling) and the mask
     * token of masked-image-modelling checkpoints.
     */
    @Override
    public Set<String> ignorableKeys() {
        return Set.of("pooler.dense.weight", "pooler.dense.bias", "embeddings.mask_token");
    }

}
