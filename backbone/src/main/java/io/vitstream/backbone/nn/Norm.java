package io.vitstream.backbone.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * LayerNorm over the last axis only, with an explicit epsilon: DJL's own LayerNorm normalizes
 * over all non-batch axes by default and uses eps 1e-5, where ViT checkpoints use 1e-12 or 1e-6.
 * Parameters {@code weight [D]}, {@code bias [D]} as in PyTorch.
 */
public final class Norm extends NamedBlock {

    private final Parameter weight;
    private final Parameter bias;
    private final int dim;
    private final float eps;

    /**
     * @param dim the normalized width D
     * @param eps added to the variance
     */
    public Norm(int dim, double eps) {
        this.dim = dim;
        this.eps = (float) eps;
        this.weight = param("weight", Parameter.Type.GAMMA, new Shape(dim), Init.ONES);
        this.bias = param("bias", Parameter.Type.BETA, new Shape(dim), Init.ZEROS);
    }

    /**
     * Normalizes.
     *
     * @param x {@code [..., D]}
     * @return {@code [..., D]}
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray g = value(ps, weight, x.getDevice(), training);
        NDArray b = value(ps, bias, x.getDevice(), training);
        return x.getNDArrayInternal().layerNorm(x, new Shape(dim), g, b, eps).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
