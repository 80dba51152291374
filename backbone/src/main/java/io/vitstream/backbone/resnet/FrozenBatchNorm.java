package io.vitstream.backbone.resnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.vitstream.backbone.nn.Init;
import io.vitstream.backbone.nn.NamedBlock;

/**
 * Batch norm with fixed statistics and affine parameters, as HF's {@code DetrFrozenBatchNorm2d}:
 * {@code x * scale + (bias - running_mean * scale)} with
 * {@code scale = weight / sqrt(running_var + 1e-5)} (HF: {@code weight * rsqrt(...)}, equal
 * to an ulp). Keys {@code weight}, {@code bias}, {@code running_mean}, {@code running_var};
 * none is trained (DETR freezes them).
 */
final class FrozenBatchNorm extends NamedBlock {

    /** HF's epsilon, written into DetrFrozenBatchNorm2d (torchvision's frozen norm has none). */
    static final float EPS = 1e-5f;

    private final Parameter weight;
    private final Parameter bias;
    private final Parameter mean;
    private final Parameter var;

    FrozenBatchNorm(int channels) {
        Shape s = new Shape(channels);
        this.weight = frozen("weight", s, Init.ONES);
        this.bias = frozen("bias", s, Init.ZEROS);
        this.mean = frozen("running_mean", s, Init.ZEROS);
        this.var = frozen("running_var", s, Init.ONES);
    }

    private Parameter frozen(String name, Shape s, Init init) {
        Parameter p = param(name, Parameter.Type.RUNNING_MEAN, s, init);
        p.freeze(true);
        return p;
    }

    /**
     * @param x {@code [B, C, H, W]}
     * @return {@code [B, C, H, W]}
     */
    NDArray apply(NDArray x) {
        long c = x.getShape().get(1);
        NDArray[] ss = scaleAndShift();
        return x.mul(ss[0].reshape(1, c, 1, 1)).add(ss[1].reshape(1, c, 1, 1));
    }

    /** {@link #scaleAndShift()} computed in fp32 whatever the parameters' precision. */
    NDArray[] scaleAndShiftFp32() {
        NDArray w = weight.getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray b = bias.getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray m = mean.getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray v = var.getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray scale = w.div(v.add(EPS).sqrt());
        return new NDArray[] {scale, b.sub(m.mul(scale))};
    }

    /** {@code {scale, shift}}, each {@code [C]}: the norm is {@code x * scale + shift}. */
    NDArray[] scaleAndShift() {
        NDArray scale = weight.getArray().div(var.getArray().add(EPS).sqrt());
        NDArray shift = bias.getArray().sub(mean.getArray().mul(scale));
        return new NDArray[] {scale, shift};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(inputs.head()));
    }
}
