package io.vitstream.backbone.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.Djl;

/** Stateless tensor functions shared by the blocks. */
public final class Ops {

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    private Ops() {}

    /**
     * Softmax over an axis that also works on bfloat16 arrays (DJL's softmax passes a dtype the
     * 0.35 JNI cannot map for bfloat16, see {@link Djl}): over the last axis (attention) by
     * PyTorch's own kernel through a TorchScript module, over another axis composed of max, exp
     * and sum.
     */
    public static NDArray softmax(NDArray x, int axis) {
        if (!Djl.isBfloat16(x)) {
            return x.softmax(axis);
        }
        int last = x.getShape().dimension() - 1;
        if (axis == -1 || axis == last) {
            return Djl.softmaxLastAxis(x);
        }
        NDArray e = x.sub(x.max(new int[] {axis}, true)).exp();
        return e.div(e.sum(new int[] {axis}, true));
    }

    /**
     * A 0-d array holding {@code value} in the floating type of {@code like}, in its manager.
     *
     * <p>Use it instead of the {@code Number} overloads ({@code x.mul(0.5f)}, {@code x.div(n)},
     * {@code x.maximum(0f)}) on arrays that take part in a backward pass. DJL 0.35.1 makes the
     * scalar of those overloads from a Java direct buffer without copying and closes it at once;
     * autograd keeps the tensor for the backward pass, and once the garbage collector frees the
     * buffer the gradient reads freed memory (seen as rare, non-reproducible infinite or NaN
     * gradients, always in the operand multiplied by a constant). This array owns its memory and
     * lives until its manager closes.
     */
    public static NDArray scalar(NDArray like, float value) {
        NDArray s = like.getManager().full(new Shape(), value, DataType.FLOAT32);
        return sameType(s, like);
    }

    /** Inverted dropout: zeroes a fraction {@code rate} and rescales the rest, in training only. */
    public static NDArray dropout(NDArray x, float rate, boolean training) {
        if (!training || rate <= 0f) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow();
    }

    /**
     * Stochastic depth (Huang et al. 2016): in training, drops a residual branch for a whole
     * sample with probability {@code rate}, scaling kept samples by {@code 1 / (1 - rate)}.
     *
     * @param branch {@code [B, ...]}
     */
    public static NDArray dropPath(NDArray branch, float rate, boolean training) {
        if (!training || rate <= 0f) {
            return branch;
        }
        Shape s = branch.getShape();
        long[] maskShape = new long[s.dimension()];
        java.util.Arrays.fill(maskShape, 1);
        maskShape[0] = s.get(0);
        NDArray keep = branch.getManager().randomUniform(0f, 1f, new Shape(maskShape))
                .gte(rate).toType(DataType.FLOAT32, false).div(1f - rate);
        return branch.mul(sameType(keep, branch));
    }

    /**
     * The same {@code [B, C, H, W]} values laid out channels-last in memory (NHWC strides; PyTorch's
     * {@code channels_last} memory format). DJL has no memory-format call, so the array is
     * permuted to NHWC, copied dense by a flattening reshape (a permuted view cannot be flattened
     * without a copy) and permuted back: the logical shape is unchanged, only the strides differ.
     *
     * <p>A convolution whose input is channels-last runs oneDNN's NHWC kernels and returns
     * channels-last, so the layout carries through a whole ResNet (ReLU, max pool and residual
     * adds keep it). On CPU that is what makes bf16 convolutions fast: in the NCHW layout oneDNN
     * reorders every activation in and out of its blocked form and bf16 gains almost nothing.
     */
    public static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("channels-last needs [B, C, H, W], got " + s);
        }
        return x.transpose(0, 2, 3, 1).reshape(-1).reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2);
    }

    /** Casts an fp32 array to the floating type of {@code like} (bfloat16 included). */
    public static NDArray sameType(NDArray fp32, NDArray like) {
        if (Djl.isBfloat16(like)) {
            return Djl.toBfloat16(fp32);
        }
        return like.getDataType() == fp32.getDataType() ? fp32 : fp32.toType(like.getDataType(), false);
    }

    /** Activation by Hugging Face {@code hidden_act} semantics. */
    public static NDArray activate(Activation act, NDArray x) {
        switch (act) {
            case GELU: return x.getNDArrayInternal().gelu();
            case GELU_TANH: {
                NDArray inner = x.add(x.mul(x).mul(x).mul(scalar(x, 0.044715f))).mul(scalar(x, SQRT_2_OVER_PI));
                return x.mul(scalar(x, 0.5f)).mul(inner.tanh().add(1f));
            }
            case QUICK_GELU: return x.mul(x.mul(scalar(x, 1.702f)).getNDArrayInternal().sigmoid());
            case RELU: return x.getNDArrayInternal().relu();
            case SILU: return x.mul(x.getNDArrayInternal().sigmoid());
            default: throw new IllegalStateException(act.name());
        }
    }
}
