package io.vitstream.backbone.dinov2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.vitstream.backbone.nn.Group;
import io.vitstream.backbone.nn.Init;
import io.vitstream.backbone.nn.Mlp;
import io.vitstream.backbone.nn.MultiHeadAttention;
import io.vitstream.backbone.nn.NamedBlock;
import io.vitstream.backbone.nn.Norm;
import io.vitstream.backbone.nn.Ops;

/**
 * One DINOv2 layer (HF {@code Dinov2Layer}): pre-norm like ViT, each residual branch scaled per
 * channel by a learned layer scale (Touvron et al. 2021, CaiT):
 * {@code h = x + ls1 * attn(norm1(x))}, {@code out = h + ls2 * mlp(norm2(h))}.
 * Keys {@code norm1}, {@code attention.attention.{query,key,value}}, {@code attention.output.dense},
 * {@code layer_scale1.lambda1 [D]}, {@code norm2}, {@code mlp.fc1|fc2} or
 * {@code mlp.weights_in|weights_out}, {@code layer_scale2.lambda1 [D]}.
 */
final class Dinov2Layer extends NamedBlock {

    private final Norm norm1;
    private final MultiHeadAttention attention;
    private final Parameter scale1;
    private final Norm norm2;
    private final Mlp mlp;
    private final SwiGluFfn swiglu;
    private final Parameter scale2;
    private final float hiddenDropout;
    private final float dropPath;

    Dinov2Layer(Dinov2Config c) {
        Init init = Init.truncatedNormal(c.initializerRange());
        Init layerScale = (m, s) -> m.full(s, (float) c.layerscaleValue());
        int d = c.hiddenSize();
        this.hiddenDropout = (float) c.hiddenDropout();
        this.dropPath = (float) c.dropPathRate();
        this.norm1 = child("norm1", new Norm(d, c.layerNormEps()));
        this.attention = child("attention", new MultiHeadAttention(d, c.numHeads(), c.qkvBias(), c.attentionDropout(),
                MultiHeadAttention.Names.HF_VIT, init));
        this.scale1 = child("layer_scale1", new Group()).declare("lambda1", Parameter.Type.WEIGHT, new Shape(d), layerScale);
        this.norm2 = child("norm2", new Norm(d, c.layerNormEps()));
        this.mlp = c.useSwiglu() ? null : child("mlp", new Mlp(d, c.mlpWidth(), c.activation(), "fc1", "fc2", init));
        this.swiglu = c.useSwiglu() ? child("mlp", new SwiGluFfn(d, c.swigluWidth(), init)) : null;
        this.scale2 = child("layer_scale2", new Group()).declare("lambda1", Parameter.Type.WEIGHT, new Shape(d), layerScale);
    }

    /**
     * @param x {@code [B, T, D]}
     * @return the new {@code [B, T, D]} and the attention probabilities {@code [B, heads, T, T]}
     */
    NDList apply(ParameterStore ps, NDArray x, boolean training) {
        NDList attended = attention.selfAttention(ps, norm1.apply(ps, x, training), training);
        NDArray a = Ops.dropout(attended.get(0), hiddenDropout, training).mul(value(ps, scale1, x.getDevice(), training));
        NDArray h = x.add(Ops.dropPath(a, dropPath, training));
        NDArray n = norm2.apply(ps, h, training);
        NDArray m = mlp != null ? mlp.apply(ps, n, training, 0f, 0f) : swiglu.apply(ps, n, training);
        m = m.mul(value(ps, scale2, x.getDevice(), training));
        return new NDList(h.add(Ops.dropPath(m, dropPath, training)), attended.get(1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return apply(ps, inputs.singletonOrThrow(), training);
    }
}
