package io.vitstream.backbone.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** How a parameter starts when it is not loaded from a checkpoint. */
@FunctionalInterface
public interface Init {

    /** Creates the starting array in fp32. */
    NDArray create(NDManager manager, Shape shape);

    /** All zeros (biases, LayerNorm shifts). */
    Init ZEROS = (m, s) -> m.zeros(s, DataType.FLOAT32);

    /** All ones (LayerNorm scales). */
    Init ONES = (m, s) -> m.ones(s, DataType.FLOAT32);

    /**
     * Normal with standard deviation {@code std}, redrawn beyond two deviations: the usual
     * initialization for transformer weights (std 0.02 in ViT and DETR).
     */
    static Init truncatedNormal(double std) {
        return (m, s) -> {
            NDArray x = m.randomNormal(0f, 1f, s, DataType.FLOAT32);
            // Resample the tails instead of clipping them so no mass piles up at the bounds.
            for (int i = 0; i < 8; i++) {
                NDArray out = x.abs().gt(2f);
                if (!out.any().getBoolean()) {
                    break;
                }
                x = ai.djl.ndarray.NDArrays.where(out, m.randomNormal(0f, 1f, s, DataType.FLOAT32), x);
            }
            return x.clip(-2f, 2f).mul((float) std);
        };
    }
}
