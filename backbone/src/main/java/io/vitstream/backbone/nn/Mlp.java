package io.vitstream.backbone.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The transformer feed-forward block: {@code fc2(act(fc1(x)))}. The two layers' checkpoint
 * names are given by the caller (HF ViT nests them as {@code intermediate.dense} and
 * {@code output.dense}; DETR uses {@code fc1}, {@code fc2}).
 */
public final class Mlp extends NamedBlock {

    private final Dense fc1;
    private final Dense fc2;
    private final Activation activation;

    /**
     * @param dim model width D
     * @param hidden inner width
     * @param activation the activation between the layers
     * @param fc1Name checkpoint path of the first layer, e.g. {@code "intermediate.dense"}
     * @param fc2Name checkpoint path of the second layer, e.g. {@code "output.dense"}
     */
    public Mlp(int dim, int hidden, Activation activation, String fc1Name, String fc2Name, Init init) {
        this.activation = activation;
        this.fc1 = childAt(fc1Name, new Dense(dim, hidden, true, init));
        this.fc2 = childAt(fc2Name, new Dense(hidden, dim, true, init));
    }

    /**
     * Applies the block.
     *
     * @param x {@code [..., D]}
     * @param activationDropout dropout after the activation (training only; DETR uses it, ViT not)
     * @param outputDropout dropout after the second layer (training only)
     * @return {@code [..., D]}
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training, float activationDropout, float outputDropout) {
        NDArray h = Ops.dropout(Ops.activate(activation, fc1.apply(ps, x, training)), activationDropout, training);
        return Ops.dropout(fc2.apply(ps, h, training), outputDropout, training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training, 0f, 0f));
    }
}
