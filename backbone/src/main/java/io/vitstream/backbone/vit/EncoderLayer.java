package io.vitstream.backbone.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.vitstream.backbone.nn.Init;
import io.vitstream.backbone.nn.Mlp;
import io.vitstream.backbone.nn.MultiHeadAttention;
import io.vitstream.backbone.nn.NamedBlock;
import io.vitstream.backbone.nn.Norm;
import io.vitstream.backbone.nn.Ops;

/**
 * One pre-norm transformer layer: {@code x + attn(LN(x))}, then {@code x + mlp(LN(x))}.
 * Checkpoint names follow HF {@code ViTLayer}: {@code layernorm_before}, {@code attention},
 * {@code layernorm_after}, {@code intermediate.dense}, {@code output.dense}.
 */
final class EncoderLayer extends NamedBlock {

    private final Norm before;
    private final MultiHeadAttention attention;
    private final Norm after;
    private final Mlp mlp;
    private final float hiddenDropout;
    private final float dropPath;

    EncoderLayer(ViTConfig c, float dropPath) {
        Init init = Init.truncatedNormal(c.initializerRange());
        this.hiddenDropout = (float) c.hiddenDropout();
        this.dropPath = dropPath;
        this.before = child("layernorm_before", new Norm(c.hiddenSize(), c.layerNormEps()));
        this.attention = child("attention",
                new MultiHeadAttention(c.hiddenSize(), c.numHeads(), c.qkvBias(), c.attentionDropout(),
                        MultiHeadAttention.Names.HF_VIT, init));
        this.after = child("layernorm_after", new Norm(c.hiddenSize(), c.layerNormEps()));
        this.mlp = child("", new Mlp(c.hiddenSize(), c.intermediateSize(), c.activation(),
                "intermediate.dense", "output.dense", init));
    }

    /**
     * @param x {@code [B, T, D]}
     * @return the new {@code [B, T, D]} and the attention probabilities {@code [B, heads, T, T]}
     */
    NDList apply(ParameterStore ps, NDArray x, boolean training) {
        NDList attended = attention.selfAttention(ps, before.apply(ps, x, training), training);
        NDArray a = Ops.dropout(attended.get(0), hiddenDropout, training);
        NDArray h = x.add(Ops.dropPath(a, dropPath, training));
        NDArray m = mlp.apply(ps, after.apply(ps, h, training), training, 0f, hiddenDropout);
        return new NDList(h.add(Ops.dropPath(m, dropPath, training)), attended.get(1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return apply(ps, inputs.singletonOrThrow(), training);
    }
}
