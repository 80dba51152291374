package io.vitstream.backbone.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention with separate query, key and value projections (the Hugging Face
 * ViT layout: {@code attention.query}, {@code attention.key}, {@code attention.value},
 * {@code output.dense}).
 */
public final class SelfAttention extends NamedBlock {

    private final Dense query;
    private final Dense key;
    private final Dense value;
    private final Dense output;
    private final int heads;
    private final int headDim;
    private final float attentionDropout;

    /**
     * @param dim model width D
     * @param heads number of heads; must divide D
     * @param qkvBias whether query, key and value have biases
     * @param attentionDropout dropout on the attention probabilities (training only)
     * @param init initializer of the projection weights
     */
    public SelfAttention(int dim, int heads, boolean qkvBias, double attentionDropout, Init init) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("hidden size " + dim + " is not a multiple of the number of heads " + heads);
        }
        this.heads = heads;
        this.headDim = dim / heads;
        this.attentionDropout = (float) attentionDropout;
        Group attention = child("attention", new Group());
        this.query = attention.add("query", new Dense(dim, dim, qkvBias, init));
        this.key = attention.add("key", new Dense(dim, dim, qkvBias, init));
        this.value = attention.add("value", new Dense(dim, dim, qkvBias, init));
        this.output = child("output", new Group()).add("dense", new Dense(dim, dim, true, init));
    }

    /**
     * Attends.
     *
     * @param x {@code [B, T, D]}
     * @param hiddenDropout dropout on the output projection (training only)
     * @return {@code [B, T, D]} and, second, the attention probabilities {@code [B, heads, T, T]}
     */
    public NDList apply(ParameterStore ps, NDArray x, boolean training, float hiddenDropout) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        // Scaling q before the product costs T*D multiplies instead of T*T per head.
        NDArray q = split(query.apply(ps, x, training).mul(Ops.scalar(x, (float) (1 / Math.sqrt(headDim)))), b, t);
        NDArray k = split(key.apply(ps, x, training), b, t);
        NDArray v = split(value.apply(ps, x, training), b, t);
        NDArray probs = Ops.softmax(q.matMul(k.transpose(0, 1, 3, 2)), -1);
        NDArray context = Ops.dropout(probs, attentionDropout, training).matMul(v)
                .transpose(0, 2, 1, 3).reshape(b, t, (long) heads * headDim);
        NDArray out = Ops.dropout(output.apply(ps, context, training), hiddenDropout, training);
        return new NDList(out, probs);
    }

    /** {@code [B, T, D] -> [B, heads, T, headDim]}. */
    private NDArray split(NDArray x, long b, long t) {
        return x.reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return apply(ps, inputs.singletonOrThrow(), training, 0f);
    }
}
