package io.vitstream.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.vitstream.backbone.nn.LayerScope;
import io.vitstream.backbone.nn.NamedBlock;
import io.vitstream.backbone.nn.Norm;

import java.util.ArrayList;
import java.util.List;

/**
 * What every {@link Backbone} block shares: DJL's forward returns {@link #features}' tokens,
 * {@code [B, prefix + grid, hidden]}, the input shape is checked the same way, and (for the
 * transformer encoders) the layers and final norm run the same way after each one's embedding.
 */
public abstract class BackboneBlock extends NamedBlock implements Backbone {

    /**
     * The grid of {@code images} after checking they are {@code [B, channels, H, W]}.
     *
     * @throws IllegalArgumentException naming the shape when they are not
     */
    protected final Grid checkedGrid(NDArray images, int channels) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException("images must be [B, " + channels + ", H, W], got " + s);
        }
        return grid((int) s.get(2), (int) s.get(3));
    }

    /**
     * Embedded tokens through the encoder layers ({@link LayerScope#encode}: each inference
     * layer's temporaries freed when it returns) and the final norm, as {@link Features}.
     */
    protected final Features encode(ParameterStore ps, NDArray embedded, Grid grid, List<LayerScope.Layer> layers,
            Norm finalNorm, boolean training, boolean withAttentions) {
        List<NDArray> attentions = new ArrayList<>();
        NDArray x = LayerScope.encode(layers, ps, embedded, training, withAttentions, attentions);
        return new Features(finalNorm.apply(ps, x, training), grid, numPrefixTokens(), hasClassToken(), attentions);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(features(ps, inputs.head(), training, false).tokens());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        Grid g = grid((int) s.get(2), (int) s.get(3));
        return new Shape[] {new Shape(s.get(0), numPrefixTokens() + g.size(), hiddenSize())};
    }
}
