package io.vitstream.backbone.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.vitstream.backbone.nn.Group;
import io.vitstream.backbone.nn.Init;
import io.vitstream.backbone.nn.NamedBlock;

/**
 * Cuts the image into non-overlapping patches and projects each to D: a convolution with
 * kernel = stride = patch ({@code projection.weight [D, C, p, p]}, {@code projection.bias [D]}).
 */
public final class PatchEmbedding extends NamedBlock {

    private final Parameter weight;
    private final Parameter bias;
    private final int patch;

    /**
     * @param channels input channels C
     * @param hidden token width D
     * @param patch side p of a square patch
     * @param init initializer of the weight
     */
    public PatchEmbedding(int channels, int hidden, int patch, Init init) {
        this.patch = patch;
        Group projection = child("projection", new Group());
        this.weight = projection.declare("weight", Parameter.Type.WEIGHT, new Shape(hidden, channels, patch, patch), init);
        this.bias = projection.declare("bias", Parameter.Type.BIAS, new Shape(hidden), Init.ZEROS);
    }

    /**
     * @param images {@code [B, C, H, W]}
     * @return patch tokens {@code [B, H/p * W/p, D]}, row-major over the grid
     */
    public NDArray apply(ParameterStore ps, NDArray images, boolean training) {
        NDArray w = value(ps, weight, images.getDevice(), training);
        NDArray b = value(ps, bias, images.getDevice(), training);
        NDArray maps = images.getNDArrayInternal().convolution(images, w, b,
                new Shape(patch, patch), new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
        Shape s = maps.getShape();
        return maps.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
