package io.vitstream.backbone.dinov2;

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
import io.vitstream.backbone.vit.PatchEmbedding;
import io.vitstream.backbone.vit.PositionEmbeddings;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The DINOv2 encoder (Oquab et al. 2023) with Hugging Face {@code Dinov2Model} and
 * {@code Dinov2WithRegistersModel} checkpoint names: conv patch embedding, class token, learned
 * position embeddings interpolated as HF does for other input sizes, register tokens (with
 * registers), layers with layer scale ({@link Dinov2Layer}), final {@code layernorm}.
 *
 * <p>Input {@code [B, C, H, W]}, H and W multiples of the patch; output tokens
 * {@code [B, 1 + R + H/p * W/p, D]}: class token, R registers, patches.
 */
public final class Dinov2 extends BackboneBlock {

    private final Dinov2Config config;
    private final Parameter clsToken;
    private final Parameter registerTokens;
    private final Parameter positionEmbeddings;
    private final PatchEmbedding patchEmbedding;
    private final List<Dinov2Layer> layers = new ArrayList<>();
    private final Norm finalNorm;

    /** Builds the blocks for a config; parameters are declared but have no arrays yet. */
    public Dinov2(Dinov2Config config) {
        this.config = config;
        int d = config.hiddenSize();
        Init init = Init.truncatedNormal(config.initializerRange());
        Group embeddings = child("embeddings", new Group());
        this.clsToken = embeddings.declare("cls_token", Parameter.Type.WEIGHT, new Shape(1, 1, d), init);
        this.registerTokens = config.numRegisterTokens() > 0
                ? embeddings.declare("register_tokens", Parameter.Type.WEIGHT, new Shape(1, config.numRegisterTokens(), d), init)
                : null;
        int grid = config.gridSize();
        this.positionEmbeddings = embeddings.declare("position_embeddings", Parameter.Type.WEIGHT,
                new Shape(1, 1 + grid * grid, d), init);
        this.patchEmbedding = embeddings.add("patch_embeddings",
                new PatchEmbedding(config.numChannels(), d, config.patchSize(), init));
        Group layerGroup = child("encoder", new Group()).add("layer", new Group());
        for (int i = 0; i < config.numLayers(); i++) {
            layers.add(layerGroup.add(Integer.toString(i), new Dinov2Layer(config)));
        }
        this.finalNorm = child("layernorm", new Norm(d, config.layerNormEps()));
    }

    /** The config this encoder was built from. */
    public Dinov2Config config() {
        return config;
    }

    @Override
    public Features features(ParameterStore ps, NDArray images, boolean training, boolean withAttentions) {
        Grid grid = checkedGrid(images, config.numChannels());
        return encode(ps, embed(ps, images, grid, training), grid, layers.stream().<LayerScope.Layer>map(l -> l::apply).toList(),
                finalNorm, training, withAttentions);
    }

    /**
     * HF's {@code Dinov2Embeddings}: class token and patches plus position embeddings (bicubic
     * interpolation to the grid, antialiased in the with-registers variant as in HF), then the
     * registers inserted after the class token, without position embeddings.
     *
     * @return {@code [B, 1 + R + h*w, D]}
     */
    private NDArray embed(ParameterStore ps, NDArray images, Grid grid, boolean training) {
        NDArray x = patchEmbedding.apply(ps, images, training);
        long b = x.getShape().get(0);
        long d = config.hiddenSize();
        NDArray cls = value(ps, clsToken, x.getDevice(), training).broadcast(b, 1, d);
        x = cls.concat(x, 1);
        int n = config.gridSize();
        x = x.add(PositionEmbeddings.resample(value(ps, positionEmbeddings, x.getDevice(), training), 1, n, n,
                grid.height(), grid.width(), config.withRegisters()));
        if (registerTokens != null) {
            NDArray regs = value(ps, registerTokens, x.getDevice(), training).broadcast(b, config.numRegisterTokens(), d);
            x = x.get(":, :1, :").concat(regs, 1).concat(x.get(":, 1:, :"), 1);
        }
        return Ops.dropout(x, (float) config.hiddenDropout(), training);
    }

    @Override public String architecture() { return config.modelType(); }
    @Override public int hiddenSize() { return config.hiddenSize(); }
    @Override public int patchSize() { return config.patchSize(); }
    @Override public int numPrefixTokens() { return config.numPrefixTokens(); }
    @Override public boolean hasClassToken() { return true; }
    @Override public int numHeads() { return config.numHeads(); }
    @Override public int numLayers() { return config.numLayers(); }
    @Override public int[] defaultImageSize() { return new int[] {config.imageSize(), config.imageSize()}; }
    @Override public String describe() { return config.toString(); }
    @Override public ObjectNode toConfigJson() { return Dinov2ConfigJson.write(config); }

    /**
     * The mask token of masked-image pretraining ({@code embeddings.mask_token [1, D]}): HF
     * checkpoints carry it, inference never uses it (HF applies it only with
     * {@code bool_masked_pos}), so it is accepted and skipped rather than loaded.
     */
    @Override
    public Set<String> ignorableKeys() {
        return Set.of("embeddings.mask_token");
    }
}
