package io.vitstream.backbone.resnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.vitstream.backbone.nn.NamedBlock;
import io.vitstream.backbone.nn.Ops;
import io.vitstream.backbone.onnx.OnnxGraph;

import java.util.List;

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

    /**
     * This convolution followed by {@code norm}, in one convolution: the norm's per-channel
     * scale folded into the weights and its shift passed as the bias, so the activations are
     * read and written once instead of three times. The weights are scaled on every call (a few
     * million multiplications against the convolution's billions), so nothing is cached and
     * a change of weights is always seen. The same function as {@code norm.apply(apply(x))}, up
     * to rounding; for inference.
     */
    NDArray applyWithNorm(ParameterStore ps, NDArray x, FrozenBatchNorm norm) {
        NDArray w = value(ps, weight, x.getDevice(), false);
        // Folded in fp32 and cast once: in bf16 the scale's own arithmetic would round at every step.
        NDArray[] scaleShift = norm.scaleAndShiftFp32();
        NDArray folded = Ops.sameType(w.toType(DataType.FLOAT32, false).mul(scaleShift[0].reshape(w.getShape().get(0), 1, 1, 1)), w);
        NDArray bias = Ops.sameType(scaleShift[1], w);
        return x.getNDArrayInternal().convolution(x, folded, bias, new Shape(stride, stride), new Shape(padding, padding),
                new Shape(dilation, dilation), 1).head();
    }

    /**
     * Writes this convolution with {@code norm} folded in (as {@link #applyWithNorm}, from the
     * arrays the parameters hold now, in fp32) as one ONNX {@code Conv} on {@code x}; returns
     * its output's name.
     */
    String writeWithNorm(OnnxGraph g, String name, String x, FrozenBatchNorm norm) {
        float[] w;
        float[] b;
        long[] dims = weight.getArray().getShape().getShape();
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray[] scaleShift = norm.scaleAndShiftFp32();
            w = weight.getArray().toType(DataType.FLOAT32, false).mul(scaleShift[0].reshape(dims[0], 1, 1, 1)).toFloatArray();
            b = scaleShift[1].toFloatArray();
        }
        int k = (int) dims[2];
        return g.op("Conv", List.of(x, g.weight(name + ".weight", w, dims), g.weight(name + ".bias", b, dims[0])),
                OnnxGraph.Attr.ints("kernel_shape", k, k),
                OnnxGraph.Attr.ints("strides", stride, stride),
                OnnxGraph.Attr.ints("pads", padding, padding, padding, padding),
                OnnxGraph.Attr.ints("dilations", dilation, dilation));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.head(), training));
    }
}
