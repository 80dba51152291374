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
 * A DETR decoder layer (post-norm): self-attention among the object queries, cross-attention
 * from the queries to the image memory, feed-forward; each with residual and LayerNorm. Query
 * position embeddings are added to the queries (and, in self-attention, the keys); the memory's
 * 2-D sine embeddings to the cross-attention keys. HF names: {@code self_attn},
 * {@code self_attn_layer_norm}, {@code encoder_attn}, {@code encoder_attn_layer_norm},
 * {@code fc1}, {@code fc2}, {@code final_layer_norm}.
 */
final class DetrDecoderLayer extends NamedBlock {

    private final MultiHeadAttention selfAttention;
    private final Norm selfNorm;
    private final MultiHeadAttention crossAttention;
    private final Norm crossNorm;
    private final Mlp ffn;
    private final Norm ffnNorm;
    private final float dropout;
    private final float activationDropout;

    DetrDecoderLayer(DetrConfig c) {
        Init init = Init.truncatedNormal(0.02);
        this.dropout = (float) c.dropout();
        this.activationDropout = (float) c.activationDropout();
        this.selfAttention = child("self_attn", new MultiHeadAttention(c.dModel(), c.decoderHeads(), true,
                c.attentionDropout(), MultiHeadAttention.Names.HF_DETR, init));
        this.selfNorm = child("self_attn_layer_norm", new Norm(c.dModel(), c.layerNormEps()));
        this.crossAttention = child("encoder_attn", new MultiHeadAttention(c.dModel(), c.decoderHeads(), true,
                c.attentionDropout(), MultiHeadAttention.Names.HF_DETR, init));
        this.crossNorm = child("encoder_attn_layer_norm", new Norm(c.dModel(), c.layerNormEps()));
        this.ffn = child("", new Mlp(c.dModel(), c.decoderFfn(), c.activation(), "fc1", "fc2", init));
        this.ffnNorm = child("final_layer_norm", new Norm(c.dModel(), c.layerNormEps()));
    }

    /**
     * @param tgt {@code [B, Q, d]} the queries' content (zeros before the first layer)
     * @param queryPos {@code [Q, d]} learned query position embeddings
     * @param memory {@code [B, HW, d]} the projected (and encoded) patch tokens
     * @param pos {@code [HW, d]} or {@code [B, HW, d]} the memory's position embeddings
     * @param keyBias {@code [B, 1, 1, HW]} hides the memory's padding (0 or very negative), or
     *     {@code null}
     * @return the layer's output {@code [B, Q, d]}, not normalized by the decoder's final norm
     */
    NDArray apply(ParameterStore ps, NDArray tgt, NDArray queryPos, NDArray memory, NDArray pos, NDArray keyBias,
            boolean training) {
        NDArray qk = tgt.add(queryPos);
        NDArray self = Ops.dropout(selfAttention.apply(ps, qk, qk, tgt, training).get(0), dropout, training);
        NDArray x = selfNorm.apply(ps, tgt.add(self), training);
        NDArray cross = crossAttention.apply(ps, x.add(queryPos), memory.add(pos), memory, keyBias, training).get(0);
        x = crossNorm.apply(ps, x.add(Ops.dropout(cross, dropout, training)), training);
        NDArray f = ffn.apply(ps, x, training, activationDropout, dropout);
        return ffnNorm.apply(ps, x.add(f), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), null, training));
    }
}
