package io.vitstream.backbone.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head scaled dot-product attention with separate query, key and value projections and
 * an output projection (Vaswani et al. 2017). Self-attention is the case query = key = value;
 * DETR's attention adds position embeddings to the query and key inputs before the call, so
 * they shift the scores but not the values that are mixed.
 *
 * <p>The four projections carry the checkpoint names given by {@link Names}; dotted names nest,
 * so one class loads both the HF ViT and the HF DETR layouts.
 */
public final class MultiHeadAttention extends NamedBlock {

    /**
     * Checkpoint paths of the projections, relative to the attention block.
     *
     * @param query path of the query projection
     * @param key path of the key projection
     * @param value path of the value projection
     * @param output path of the output projection
     */
    public record Names(String query, String key, String value, String output) {

        /** HF {@code ViTAttention}: {@code attention.query|key|value}, {@code output.dense}. */
        public static final Names HF_VIT = new Names("attention.query", "attention.key", "attention.value", "output.dense");

        /** HF {@code DetrAttention}: {@code q_proj}, {@code k_proj}, {@code v_proj}, {@code out_proj}. */
        public static final Names HF_DETR = new Names("q_proj", "k_proj", "v_proj", "out_proj");
    }

    private final Dense query;
    private final Dense key;
    private final Dense value;
    private final Dense output;
    private final int heads;
    private final int headDim;
    private final float attentionDropout;

    /**
     * @param dim model width D, for queries, keys, values and output alike
     * @param heads number of heads; must divide D
     * @param qkvBias whether query, key and value have biases (the output projection always has)
     * @param attentionDropout dropout on the attention probabilities (training only)
     * @param names checkpoint paths of the projections
     * @param init initializer of the projection weights
     */
    public MultiHeadAttention(int dim, int heads, boolean qkvBias, double attentionDropout, Names names, Init init) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("width " + dim + " is not a multiple of the number of heads " + heads);
        }
        this.heads = heads;
        this.headDim = dim / heads;
        this.attentionDropout = (float) attentionDropout;
        this.query = childAt(names.query(), new Dense(dim, dim, qkvBias, init));
        this.key = childAt(names.key(), new Dense(dim, dim, qkvBias, init));
        this.value = childAt(names.value(), new Dense(dim, dim, qkvBias, init));
        this.output = childAt(names.output(), new Dense(dim, dim, true, init));
    }

    /**
     * Self-attention: every token attends to every token of the same sequence.
     *
     * @param x {@code [B, T, D]}
     * @return {@code [B, T, D]} and, second, the attention probabilities {@code [B, heads, T, T]}
     */
    public NDList selfAttention(ParameterStore ps, NDArray x, boolean training) {
        return apply(ps, x, x, x, training);
    }

    /**
     * Attends from each query to the keys and mixes the matching values. The probabilities
     * returned are before dropout, so they describe the model, not one training sample.
     *
     * @param q {@code [B, Lq, D]} (with any position embedding already added)
     * @param k {@code [B, Lk, D]} (with any position embedding already added)
     * @param v {@code [B, Lk, D]}
     * @return {@code [B, Lq, D]} and, second, the attention probabilities {@code [B, heads, Lq, Lk]}
     */
    public NDList apply(ParameterStore ps, NDArray q, NDArray k, NDArray v, boolean training) {
        return apply(ps, q, k, v, null, training);
    }

    /**
     * As {@link #apply(ParameterStore, NDArray, NDArray, NDArray, boolean)}, with some keys hidden
     * (DETR: the padding of a batch of mixed sizes).
     *
     * @param keyBias {@code [B, 1, 1, Lk]} added to the scores: 0 for a visible key, a large
     *     negative number for a hidden one; {@code null} for none
     */
    public NDList apply(ParameterStore ps, NDArray q, NDArray k, NDArray v, NDArray keyBias, boolean training) {
        long b = q.getShape().get(0);
        long lq = q.getShape().get(1);
        // Scaling q before the product costs Lq*D multiplies instead of Lq*Lk per head.
        NDArray qh = split(query.apply(ps, q, training).mul(Ops.scalar(q, (float) (1 / Math.sqrt(headDim)))), b);
        NDArray kh = split(key.apply(ps, k, training), b);
        NDArray vh = split(value.apply(ps, v, training), b);
        NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));
        NDArray probs = Ops.softmax(keyBias == null ? scores : scores.add(keyBias), -1);
        NDArray context = Ops.dropout(probs, attentionDropout, training).matMul(vh)
                .transpose(0, 2, 1, 3).reshape(b, lq, (long) heads * headDim);
        return new NDList(output.apply(ps, context, training), probs);
    }

    /** {@code [B, L, D] -> [B, heads, L, headDim]}. */
    private NDArray split(NDArray x, long b) {
        return x.reshape(b, x.getShape().get(1), heads, headDim).transpose(0, 2, 1, 3);
    }

    /** One input attends to itself; three inputs are query, key and value. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() == 1) {
            return selfAttention(ps, inputs.singletonOrThrow(), training);
        }
        return apply(ps, inputs.get(0), inputs.get(1), inputs.get(2), training);
    }
}
