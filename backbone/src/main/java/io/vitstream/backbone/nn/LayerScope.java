package io.vitstream.backbone.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

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
}
