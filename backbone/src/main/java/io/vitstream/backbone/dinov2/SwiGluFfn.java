package io.vitstream.backbone.dinov2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.vitstream.backbone.nn.Activation;
import io.vitstream.backbone.nn.Dense;
import io.vitstream.backbone.nn.Init;
import io.vitstream.backbone.nn.NamedBlock;
import io.vitstream.backbone.nn.Ops;

/**
 * The SwiGLU feed-forward block of DINOv2-giant (Shazeer 2020), HF {@code Dinov2SwiGLUFFN}:
 * {@code weights_out(silu(a) * b)} where {@code [a, b] = weights_in(x)} split in two halves of
 * the last axis. Keys {@code weights_in.{weight [2H, D], bias}}, {@code weights_out.{weight [D, H], bias}}.
 */
final class SwiGluFfn extends NamedBlock {

    private final Dense in;
    private final Dense out;
    private final int hidden;

    /**
     * @param dim model width D
     * @param hidden inner width H ({@link Dinov2Config#swigluWidth()})
     */
    SwiGluFfn(int dim, int hidden, Init init) {
        this.hidden = hidden;
        this.in = child("weights_in", new Dense(dim, 2 * hidden, true, init));
        this.out = child("weights_out", new Dense(hidden, dim, true, init));
    }

    /**
     * @param x {@code [..., D]}
     * @return {@code [..., D]}
     */
    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray both = in.apply(ps, x, training);
        NDArray gate = both.get(new NDIndex("..., :{}", hidden));
        NDArray value = both.get(new NDIndex("..., {}:", hidden));
        return out.apply(ps, Ops.activate(Activation.SILU, gate).mul(value), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
