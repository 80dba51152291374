package io.vitstream.backbone.vit;

import static io.vitstream.backbone.ConfigChecks.positive;
import static io.vitstream.backbone.ConfigChecks.rate;

import io.vitstream.backbone.nn.Activation;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything that fixes the shape and behaviour of a Vision Transformer encoder.
 *
 * <p>Sizes follow Dosovitskiy et al. 2020 (Ti, S, B, L, H) with any patch size;
 * {@link #preset(String)} reads names like {@code "B/16"}. Field meanings and defaults follow
 * Hugging Face {@code ViTConfig}; {@link ViTConfigJson} reads and writes its {@code config.json}.
 *
 * @param imageHeight height the position embeddings were trained for, in pixels
 * @param imageWidth width the position embeddings were trained for, in pixels
 * @param patchSize side of a square patch, in pixels
 * @param numChannels input channels (3 for RGB)
 * @param hiddenSize token width D
 * @param numLayers number of encoder layers
 * @param numHeads attention heads per layer; must divide D
 * @param intermediateSize MLP inner width
 * @param qkvBias whether query, key and value projections have biases
 * @param layerNormEps LayerNorm epsilon (HF default 1e-12; timm and torchvision use 1e-6)
 * @param activation MLP activation
 * @param useClassToken whether a class token is prepended
 * @param numRegisterTokens extra learned tokens after the class token, without position
 *     embeddings (Darcet et al. 2023)
 * @param hiddenDropout dropout after attention and MLP outputs, training only
 * @param attentionDropout dropout on attention probabilities, training only
 * @param dropPathRate stochastic depth rate of the last layer (linearly increasing from 0)
 * @param initializerRange standard deviation of the initial weights
 */
public record ViTConfig(
        int imageHeight,
        int imageWidth,
        int patchSize,
        int numChannels,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        boolean qkvBias,
        double layerNormEps,
        Activation activation,
        boolean useClassToken,
        int numRegisterTokens,
        double hiddenDropout,
        double attentionDropout,
        double dropPathRate,
        double initializerRange) {

    /** Widths, depths, heads and MLP sizes of the named model sizes. */
    private static final Map<String, int[]> SIZES = Map.of(
            "Ti", new int[] {192, 12, 3, 768},
            "S", new int[] {384, 12, 6, 1536},
            "B", new int[] {768, 12, 12, 3072},
            "L", new int[] {1024, 24, 16, 4096},
            "H", new int[] {1280, 32, 16, 5120});

    private static final Pattern PRESET = Pattern.compile("(Ti|S|B|L|H)/(8|14|16|32)");

    public ViTConfig {
        positive("image_size (height)", imageHeight);
        positive("image_size (width)", imageWidth);
        positive("patch_size", patchSize);
        positive("num_channels", numChannels);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("intermediate_size", intermediateSize);
        if (imageHeight % patchSize != 0 || imageWidth % patchSize != 0) {
            throw new IllegalArgumentException("image_size " + imageHeight + "x" + imageWidth
                    + " is not a multiple of patch_size " + patchSize);
        }
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + numHeads);
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layer_norm_eps must be > 0, got " + layerNormEps);
        }
        if (numRegisterTokens < 0) {
            throw new IllegalArgumentException("num_register_tokens must be >= 0, got " + numRegisterTokens);
        }
        rate("hidden_dropout_prob", hiddenDropout);
        rate("attention_probs_dropout_prob", attentionDropout);
        rate("drop_path_rate", dropPathRate);
        if (!(initializerRange > 0)) {
            throw new IllegalArgumentException("initializer_range must be > 0, got " + initializerRange);
        }
        if (activation == null) {
            throw new IllegalArgumentException("hidden_act must be set");
        }
    }

    /**
     * A named size at 224x224, e.g. {@code "B/16"}, {@code "S/14"}, {@code "Ti/8"}.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static ViTConfig preset(String name) {
        Matcher m = PRESET.matcher(name == null ? "" : name.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown ViT preset '" + name
                    + "'; known: {Ti,S,B,L,H}/{8,14,16,32}, e.g. B/16");
        }
        int[] s = SIZES.get(m.group(1));
        return builder().setHiddenSize(s[0]).setNumLayers(s[1]).setNumHeads(s[2])
                .setIntermediateSize(s[3]).setPatchSize(Integer.parseInt(m.group(2))).build();
    }

    /** Number of tokens before the patches: class token plus registers. */
    public int numPrefixTokens() {
        return (useClassToken ? 1 : 0) + numRegisterTokens;
    }

    /** Patch rows of the trained input size. */
    public int gridHeight() {
        return imageHeight / patchSize;
    }

    /** Patch columns of the trained input size. */
    public int gridWidth() {
        return imageWidth / patchSize;
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.imageHeight = imageHeight;
        b.imageWidth = imageWidth;
        b.patchSize = patchSize;
        b.numChannels = numChannels;
        b.hiddenSize = hiddenSize;
        b.numLayers = numLayers;
        b.numHeads = numHeads;
        b.intermediateSize = intermediateSize;
        b.qkvBias = qkvBias;
        b.layerNormEps = layerNormEps;
        b.activation = activation;
        b.useClassToken = useClassToken;
        b.numRegisterTokens = numRegisterTokens;
        b.hiddenDropout = hiddenDropout;
        b.attentionDropout = attentionDropout;
        b.dropPathRate = dropPathRate;
        b.initializerRange = initializerRange;
        return b;
    }

    /** A builder with Hugging Face's defaults for the optional fields. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ViT(D=%d, layers=%d, heads=%d, mlp=%d, patch=%d, image=%dx%d)",
                hiddenSize, numLayers, numHeads, intermediateSize, patchSize, imageHeight, imageWidth);
    }

    /** Builds a {@link ViTConfig}: {@code setX} for required fields, {@code optX} for the rest. */
    public static final class Builder {
        private int imageHeight = 224;
        private int imageWidth = 224;
        private int patchSize;
        private int numChannels = 3;
        private int hiddenSize;
        private int numLayers;
        private int numHeads;
        private int intermediateSize;
        private boolean qkvBias = true;
        private double layerNormEps = 1e-12;
        private Activation activation = Activation.GELU;
        private boolean useClassToken = true;
        private int numRegisterTokens;
        private double hiddenDropout;
        private double attentionDropout;
        private double dropPathRate;
        private double initializerRange = 0.02;

        public Builder setPatchSize(int v) { patchSize = v; return this; }
        public Builder setHiddenSize(int v) { hiddenSize = v; return this; }
        public Builder setNumLayers(int v) { numLayers = v; return this; }
        public Builder setNumHeads(int v) { numHeads = v; return this; }
        public Builder setIntermediateSize(int v) { intermediateSize = v; return this; }
        public Builder optImageSize(int side) { imageHeight = side; imageWidth = side; return this; }
        public Builder optImageSize(int height, int width) { imageHeight = height; imageWidth = width; return this; }
        public Builder optNumChannels(int v) { numChannels = v; return this; }
        public Builder optQkvBias(boolean v) { qkvBias = v; return this; }
        public Builder optLayerNormEps(double v) { layerNormEps = v; return this; }
        public Builder optActivation(Activation v) { activation = v; return this; }
        public Builder optUseClassToken(boolean v) { useClassToken = v; return this; }
        public Builder optNumRegisterTokens(int v) { numRegisterTokens = v; return this; }
        public Builder optHiddenDropout(double v) { hiddenDropout = v; return this; }
        public Builder optAttentionDropout(double v) { attentionDropout = v; return this; }
        public Builder optDropPathRate(double v) { dropPathRate = v; return this; }
        public Builder optInitializerRange(double v) { initializerRange = v; return this; }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first invalid field
         */
        public ViTConfig build() {
            return new ViTConfig(imageHeight, imageWidth, patchSize, numChannels, hiddenSize, numLayers,
                    numHeads, intermediateSize, qkvBias, layerNormEps, activation, useClassToken,
                    numRegisterTokens, hiddenDropout, attentionDropout, dropPathRate, initializerRange);
        }
    }
}
