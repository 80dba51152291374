package io.vitstream.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Features;
import io.vitstream.backbone.Grid;

import java.util.function.BiFunction;

/**
 * The backbone's tokens for every image of a data set, computed once. With the backbone frozen
 * the heads see the same tokens every epoch, so caching turns each training step into a
 * head-only pass (for the fashion-scenes DETR head that is most of the cost gone).
 */
public final class FeatureCache implements AutoCloseable {

    private final NDArray tokens;
    private final Grid grid;
    private final int numPrefixTokens;
    private final boolean hasClassToken;

    private FeatureCache(NDArray tokens, Grid grid, int numPrefixTokens, boolean hasClassToken) {
        this.tokens = tokens;
        this.grid = grid;
        this.numPrefixTokens = numPrefixTokens;
        this.hasClassToken = hasClassToken;
    }

    /**
     * Runs the backbone over {@code n} images in batches.
     *
     * @param images makes the input {@code [b, 3, H, W]} of the given indices in the given manager
     * @param owner manager that keeps the cache ({@code [n, T, D]} fp32)
     */
    public static FeatureCache compute(Backbone backbone, int n, int batchSize,
            BiFunction<NDManager, int[], NDArray> images, NDManager owner) {
        NDList parts = new NDList();
        Grid grid = null;
        for (int start = 0; start < n; start += batchSize) {
            int[] idx = java.util.stream.IntStream.range(start, Math.min(n, start + batchSize)).toArray();
            try (NDManager m = owner.newSubManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                Features f = backbone.features(null, images.apply(m, idx), false, false);
                grid = f.grid();
                NDArray kept = f.tokens().toType(ai.djl.ndarray.types.DataType.FLOAT32, true);
                kept.attach(owner);
                NDScope.unregister(kept);
                parts.add(kept);
            }
        }
        NDArray all = NDArrays.concat(parts, 0);
        parts.close();
        return new FeatureCache(all, grid, backbone.numPrefixTokens(), backbone.hasClassToken());
    }

    /** Number of cached images. */
    public int size() {
        return (int) tokens.getShape().get(0);
    }

    /** The cached features of a batch, gathered into {@code manager}. */
    public Features features(NDManager manager, int[] indices) {
        long[] idx = new long[indices.length];
        for (int i = 0; i < idx.length; i++) idx[i] = indices[i];
        NDArray picked = tokens.get(manager.create(idx));
        picked.attach(manager);
        return new Features(picked, grid, numPrefixTokens, hasClassToken, java.util.List.of());
    }

    @Override
    public void close() {
        tokens.close();
    }
}
