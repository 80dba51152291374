package io.vitstream.backbone.resnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.vitstream.backbone.nn.NamedBlock;

/** A bias-free square 2-D convolution (key {@code weight}, {@code [out, in, k, k]}), as ResNets use. */
final class Conv extends NamedBlock {

    private final Parameter weight;
    private final int stride;
    private final int padding;
    private final int dilation;

    Conv(int in, int out, int kernel, int stride, int dilation) {
        int fanIn = in * kernel * kernel;
        // He initialization (fan-in, ReLU), for training from scratch.
        this.weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in, kernel, kernel),
                (m, s) -> m.randomNormal(0f, (float) Math.sqrt(2.0 / fanIn), s, ai.djl.ndarray.types.DataType.FLOAT32));
        this.stride = stride;
        this.dilation = dilation;
        // timm's get_padding: "same" for stride 1, and ceil(H / stride) outputs for stride 2.
        this.padding = ((stride - 1) + dilation * (kernel - 1)) / 2;
    }

    /**
     * @param x {@code [B, in, H, W]}
     * @return {@code [B, out, floor((H + 2p - d(k-1) - 1) / s) + 1, ...]}
     */
    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return x.getNDArrayInternal().convolution(x, value(ps, weight, x.getDevice(), training), null,
                new Shape(stride, stride), new Shape(padding, padding), new Shape(dilation, dilation), 1).head();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.head(), training));
    }
}
