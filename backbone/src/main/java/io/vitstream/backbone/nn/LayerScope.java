package io.vitstream.backbone.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;

import java.util.List;
import java.util.function.Supplier;

/**
 * Runs one encoder layer in inference with its temporaries (q, k, v, scores, MLP activations)
 * freed as soon as it returns: without this a batch holds every layer's temporaries until it
 * ends (ViT-B/16, batch 32, fp32: about 4 GB). The outputs it keeps move to the caller's scope,
 * so they are still freed with the batch.
 */
public final class LayerScope {

    private LayerScope() {}

    /**
     * @param layer the layer's pass, returning the new tokens first and the attention
     *     probabilities second
     * @param keepAttention whether the second output is kept (else it is freed with the rest)
     * @return the layer's outputs
     */
    public static NDList run(Supplier<NDList> layer, boolean keepAttention) {
        NDList out;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            out = layer.get();
            NDScope.unregister(out.get(0));
            if (keepAttention) {
                NDScope.unregister(out.get(1));
            }
        }
        NDScope.register(out.get(0));
        if (keepAttention) {
            NDScope.register(out.get(1));
        }
        return out;
    }

    /** One encoder layer: new tokens first, attention probabilities second. */
    @FunctionalInterface
    public interface Layer {
        NDList apply(ParameterStore ps, NDArray x, boolean training);
    }

    /**
     * Runs encoder layers in order: in training as they are (their temporaries feed the backward
     * pass), in inference each through {@link #run}.
     *
     * @param attentions receives each layer's attention probabilities when {@code withAttentions}
     * @return the last layer's tokens
     */
    public static NDArray encode(List<? extends Layer> layers, ParameterStore ps,
            NDArray x, boolean training, boolean withAttentions, List<NDArray> attentions) {
        for (Layer layer : layers) {
            NDArray in = x;
            NDList out = training ? layer.apply(ps, in, true) : run(() -> layer.apply(ps, in, false), withAttentions);
            x = out.get(0);
            if (withAttentions) {
                attentions.add(out.get(1));
            }
        }
        return x;
    }
}
