package io.vitstream.backbone.dinov2;

import static io.vitstream.backbone.ConfigChecks.positive;
import static io.vitstream.backbone.ConfigChecks.rate;

import io.vitstream.backbone.nn.Activation;

import java.util.Locale;

/**
 * Everything that fixes the shape and behaviour of a DINOv2 encoder (Oquab et al. 2023), with
 * or without registers (Darcet et al. 2023). Field meanings and defaults follow Hugging Face
 * {@code Dinov2Config} / {@code Dinov2WithRegistersConfig}; {@link Dinov2ConfigJson} reads and
 * writes their {@code config.json}.
 *
 * @param withRegisters the {@code dinov2_with_registers} variant: register tokens after the class
 *     token, a mask token always present, antialiased position-embedding interpolation
 * @param imageSize side of the square input the position embeddings were trained for (518 for
 *     the released checkpoints)
 * @param patchSize side of a square patch (14)
 * @param numChannels input channels
 * @param hiddenSize token width D
 * @param numLayers encoder layers
 * @param numHeads attention heads per layer; must divide D
 * @param mlpRatio MLP width over D
 * @param activation MLP activation ({@code hidden_act}; the SwiGLU MLP always uses SiLU)
 * @param layerNormEps LayerNorm epsilon
 * @param qkvBias whether query, key and value have biases
 * @param layerscaleValue initial value of the layer scales (loaded checkpoints override it)
 * @param useSwiglu the SwiGLU MLP of the giant model instead of fc1/GELU/fc2
 * @param numRegisterTokens register tokens (only with registers)
 * @param useMaskToken whether the checkpoint has {@code embeddings.mask_token} (masked-image
 *     pretraining only; accepted and not used at inference)
 * @param hiddenDropout dropout on the embeddings and the attention output, training only
 * @param attentionDropout dropout on the attention probabilities, training only
 * @param dropPathRate stochastic depth, the same rate in every layer as in HF
 * @param initializerRange standard deviation of the initial weights
 */
public record Dinov2Config(boolean withRegisters, int imageSize, int patchSize, int numChannels, int hiddenSize,
        int numLayers, int numHeads, double mlpRatio, Activation activation, double layerNormEps, boolean qkvBias,
        double layerscaleValue, boolean useSwiglu, int numRegisterTokens, boolean useMaskToken, double hiddenDropout,
        double attentionDropout, double dropPathRate, double initializerRange) {

    public Dinov2Config {
        positive("image_size", imageSize);
        positive("patch_size", patchSize);
        positive("num_channels", numChannels);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException("image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
        }
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + numHeads);
        }
        if (!(mlpRatio > 0) || (int) (hiddenSize * mlpRatio) <= 0) {
            throw new IllegalArgumentException("mlp_ratio must give a positive MLP width, got " + mlpRatio);
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layer_norm_eps must be > 0, got " + layerNormEps);
        }
        if (numRegisterTokens < 0 || (!withRegisters && numRegisterTokens > 0)) {
            throw new IllegalArgumentException("num_register_tokens must be >= 0, and 0 unless model_type is"
                    + " dinov2_with_registers, got " + numRegisterTokens);
        }
        rate("hidden_dropout_prob", hiddenDropout);
        rate("attention_probs_dropout_prob", attentionDropout);
        rate("drop_path_rate", dropPathRate);
        if (activation == null) {
            throw new IllegalArgumentException("hidden_act must be set");
        }
    }

    /** The HF {@code model_type}: {@code dinov2} or {@code dinov2_with_registers}. */
    public String modelType() {
        return withRegisters ? Dinov2ConfigJson.WITH_REGISTERS : Dinov2ConfigJson.PLAIN;
    }

    /** Patch rows (and columns) of the trained input size. */
    public int gridSize() {
        return imageSize / patchSize;
    }

    /** Class token plus registers. */
    public int numPrefixTokens() {
        return 1 + numRegisterTokens;
    }

    /** Inner width of the GELU MLP: HF's {@code int(hidden_size * mlp_ratio)}. */
    public int mlpWidth() {
        return (int) (hiddenSize * mlpRatio);
    }

    /** Inner width of the SwiGLU MLP: two thirds of {@link #mlpWidth()}, rounded up to a multiple of 8. */
    public int swigluWidth() {
        return ((int) (mlpWidth() * 2 / 3.0) + 7) / 8 * 8;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(D=%d, layers=%d, heads=%d, mlp=%s%d, patch=%d, image=%d, registers=%d)",
                modelType(), hiddenSize, numLayers, numHeads, useSwiglu ? "swiglu " : "",
                useSwiglu ? swigluWidth() : mlpWidth(), patchSize, imageSize, numRegisterTokens);
    }
}
