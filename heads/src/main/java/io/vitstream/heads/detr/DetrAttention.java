package io.vitstream.heads.detr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.vitstream.backbone.nn.Dense;
import io.vitstream.backbone.nn.Init;
import io.vitstream.backbone.nn.NamedBlock;
import io.vitstream.backbone.nn.Ops;

/**
 * Multi-head attention with separate query, key and value inputs, HF DETR names
 * ({@code q_proj}, {@code k_proj}, {@code v_proj}, {@code out_proj}). Position embeddings are
 * added by the caller to the query and key inputs only, as DETR does.
 */
final class DetrAttention extends NamedBlock {

    private final Dense q;
    private final Dense k;
    private final Dense v;
    private final Dense out;
    private final int heads;
    private final int headDim;
    private final float attentionDropout;

    DetrAttention(int d, int heads, double attentionDropout) {
        Init init = Init.truncatedNormal(0.02);
        this.heads = heads;
        this.headDim = d / heads;
        this.attentionDropout = (float) attentionDropout;
        this.q = child("q_proj", new Dense(d, d, true, init));
        this.k = child("k_proj", new Dense(d, d, true, init));
        this.v = child("v_proj", new Dense(d, d, true, init));
        this.out = child("out_proj", new Dense(d, d, true, init));
    }

    /**
     * @param query {@code [B, Lq, d]} (with position embedding)
     * @param key {@code [B, Lk, d]} (with position embedding)
     * @param value {@code [B, Lk, d]}
     * @return {@code [B, Lq, d]}
     */
    NDArray apply(ParameterStore ps, NDArray query, NDArray key, NDArray value, boolean training) {
        long b = query.getShape().get(0);
        long lq = query.getShape().get(1);
        NDArray qh = split(q.apply(ps, query, training).mul(Ops.scalar(query, (float) (1 / Math.sqrt(headDim)))), b);
        NDArray kh = split(k.apply(ps, key, training), b);
        NDArray vh = split(v.apply(ps, value, training), b);
        NDArray probs = Ops.dropout(Ops.softmax(qh.matMul(kh.transpose(0, 1, 3, 2)), -1), attentionDropout, training);
        NDArray context = probs.matMul(vh).transpose(0, 2, 1, 3).reshape(b, lq, (long) heads * headDim);
        return out.apply(ps, context, training);
    }

    /** {@code [B, L, d] -> [B, heads, L, headDim]}. */
    private NDArray split(NDArray x, long b) {
        return x.reshape(b, x.getShape().get(1), heads, headDim).transpose(0, 2, 1, 3);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }
}
