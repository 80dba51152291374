package io.vitstream.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * A vision backbone: images in, unpooled tokens out. Implementations are DJL blocks so they
 * train with DJL's optimizers; {@link #features} is the typed entry point heads use.
 */
public interface Backbone extends Block {

    /** The registry name of this architecture, e.g. {@code "vit"}. */
    String architecture();

    /** Token width D. */
    int hiddenSize();

    /** Side of a square patch in pixels. */
    int patchSize();

    /** Number of tokens before the patch tokens (class token, registers). */
    int numPrefixTokens();

    /** Whether token 0 is a class token. */
    boolean hasClassToken();

    /** Number of attention heads per layer (for attention maps); 0 if not a transformer. */
    int numHeads();

    /** Number of encoder layers. */
    int numLayers();

    /** The input size the checkpoint was trained at, {@code {height, width}}. */
    int[] defaultImageSize();

    /**
     * The patch grid for an input of the given size.
     *
     * @throws IllegalArgumentException when a side is not a positive multiple of the patch size
     */
    default Grid grid(int imageHeight, int imageWidth) {
        int p = patchSize();
        if (imageHeight <= 0 || imageWidth <= 0 || imageHeight % p != 0 || imageWidth % p != 0) {
            throw new IllegalArgumentException(
                    "input " + imageHeight + "x" + imageWidth + " is not a multiple of the patch size " + p);
        }
        return new Grid(imageHeight / p, imageWidth / p);
    }

    /**
     * Runs the encoder.
     *
     * @param parameterStore where parameter values come from (DJL training), or {@code null} to
     *     use each parameter's own array
     * @param images {@code [B, C, H, W]} normalized pixels, H and W multiples of the patch size,
     *     in the model's precision
     * @param training whether dropout and other training-only behaviour is on
     * @param withAttentions whether to keep per-layer attention probabilities
     * @return the tokens {@code [B, P + H/p * W/p, D]} and the grid
     */
    Features features(ParameterStore parameterStore, NDArray images, boolean training, boolean withAttentions);

    /** Inference shortcut: {@code features(null, images, false, false)}. */
    default Features features(NDArray images) {
        return features(null, images, false, false);
    }

    /**
     * Every parameter under its checkpoint key (Hugging Face naming, without any model prefix
     * such as {@code "vit."}), in a stable order.
     */
    Map<String, Parameter> namedParameters();

    /** Expected shapes of {@link #namedParameters()}, by the same keys. */
    Map<String, ai.djl.ndarray.types.Shape> parameterShapes();

    /** A one-line description of the architecture for messages and logs. */
    String describe();

    /**
     * The key prefix of this backbone in a full-model checkpoint (HF's {@code base_model_prefix},
     * e.g. {@code "vit."}); HF base-model checkpoints store the same keys without it.
     */
    default String checkpointPrefix() {
        return architecture() + ".";
    }

    /** Checkpoint keys that may appear in a checkpoint and are deliberately not used (logged). */
    default java.util.Set<String> ignorableKeys() {
        return java.util.Set.of();
    }

    /** The backbone's section of {@code config.json}, in the format its provider reads. */
    ObjectNode toConfigJson();
}
