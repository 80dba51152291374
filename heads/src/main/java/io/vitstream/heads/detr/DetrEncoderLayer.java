package io.vitstream.heads.detr;

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
 * A DETR encoder layer (post-norm, as in the paper): self-attention with the position
 * embedding added to queries and keys, then a feed-forward block, each followed by a residual
 * and LayerNorm. HF names: {@code self_attn}, {@code self_attn_layer_norm}, {@code fc1},
 * {@code fc2}, {@code final_layer_norm}.
 */
final class DetrEncoderLayer extends NamedBlock {

    private final MultiHeadAttention attention;
    private final Norm attentionNorm;
    private final Mlp ffn;
    private final Norm ffnNorm;
    private final float dropout;
    private final float activationDropout;

    DetrEncoderLayer(DetrConfig c) {
        Init init = Init.truncatedNormal(0.02);
        this.dropout = (float) c.dropout();
        this.activationDropout = (float) c.activationDropout();
        this.attention = child("self_attn", new MultiHeadAttention(c.dModel(), c.encoderHeads(), true,
                c.attentionDropout(), MultiHeadAttention.Names.HF_DETR, init));
        this.attentionNorm = child("self_attn_layer_norm", new Norm(c.dModel(), c.layerNormEps()));
        this.ffn = child("", new Mlp(c.dModel(), c.encoderFfn(), c.activation(), "fc1", "fc2", init));
        this.ffnNorm = child("final_layer_norm", new Norm(c.dModel(), c.layerNormEps()));
    }

    /**
     * @param src {@code [B, HW, d]}
     * @param pos {@code [HW, d]} or {@code [B, HW, d]} position embeddings
     * @param keyBias {@code [B, 1, 1, HW]} hides padding from the attention (0 or very negative),
     *     or {@code null}
     * @return {@code [B, HW, d]}
     */
    NDArray apply(ParameterStore ps, NDArray src, NDArray pos, NDArray keyBias, boolean training) {
        NDArray qk = src.add(pos);
        NDArray attended = Ops.dropout(attention.apply(ps, qk, qk, src, keyBias, training).get(0), dropout, training);
        NDArray x = attentionNorm.apply(ps, src.add(attended), training);
        NDArray f = ffn.apply(ps, x, training, activationDropout, dropout);
        return ffnNorm.apply(ps, x.add(f), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), null, training));
    }
}
