package io.vitstream.backbone.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A named level of the checkpoint hierarchy with no computation of its own, e.g. the
 * {@code attention} in {@code attention.attention.query.weight}, or a holder of tensors that
 * the parent block applies itself (the ViT's {@code embeddings.cls_token}).
 */
public final class Group extends NamedBlock {

    /** Declares a parameter at this level and returns it. */
    public Parameter declare(String name, Parameter.Type type, Shape shape, Init init) {
        return param(name, type, shape, init);
    }

    /** Adds a child under {@code name} and returns it. */
    public <B extends NamedBlock> B add(String name, B block) {
        return child(name, block);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("a parameter group is not run on its own");
    }
}
