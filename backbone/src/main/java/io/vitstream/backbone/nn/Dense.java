package io.vitstream.backbone.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A fully connected layer {@code y = x W^T + b} over the last axis, with PyTorch's weight layout
 * {@code weight [out, in]}, {@code bias [out]}.
 */
public final class Dense extends NamedBlock {

    private final Parameter weight;
    private final Parameter bias;
    private final int in;
    private final int out;

    /**
     * @param in input width
     * @param out output width
     * @param withBias whether there is a bias
     * @param init initializer of the weight
     */
    public Dense(int in, int out, boolean withBias, Init init) {
        this.in = in;
        this.out = out;
        this.weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in), init);
        this.bias = withBias ? param("bias", Parameter.Type.BIAS, new Shape(out), Init.ZEROS) : null;
    }

    /**
     * Applies the layer.
     *
     * @param x {@code [..., in]}
     * @return {@code [..., out]}
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = value(ps, weight, x.getDevice(), training);
        NDArray b = bias == null ? null : value(ps, bias, x.getDevice(), training);
        return x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
    }

    /** Input width. */
    public int in() {
        return in;
    }

    /** Output width. */
    public int out() {
        return out;
    }
}
