package io.vitstream.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

import java.util.List;

/**
 * What a backbone pass gives the heads: unpooled tokens plus the geometry needed to read them.
 *
 * <p>Heads own pooling; a backbone never pools. The arrays live in the manager of the batch
 * that produced them and are freed with it.
 *
 * @param tokens all output tokens {@code [B, P + H*W, D]}: P prefix tokens (class, registers),
 *     then the patch tokens in row-major grid order
 * @param grid the patch grid {@code (H, W)} of this batch
 * @param numPrefixTokens P, the number of tokens before the patch tokens
 * @param hasClassToken whether token 0 is a class token
 * @param attentions per encoder layer, attention probabilities {@code [B, heads, T, T]}; empty
 *     unless requested
 */
public record Features(
        NDArray tokens, Grid grid, int numPrefixTokens, boolean hasClassToken, List<NDArray> attentions) {

    public Features {
        long expected = (long) numPrefixTokens + grid.size();
        if (tokens.getShape().dimension() != 3 || tokens.getShape().get(1) != expected) {
            throw new IllegalArgumentException(
                    "tokens must be [B, " + expected + ", D] for grid " + grid + " and "
                            + numPrefixTokens + " prefix tokens, got " + tokens.getShape());
        }
        attentions = List.copyOf(attentions);
    }

    /** Batch size B. */
    public int batchSize() {
        return (int) tokens.getShape().get(0);
    }

    /** Hidden size D. */
    public int hiddenSize() {
        return (int) tokens.getShape().get(2);
    }

    /** The patch tokens {@code [B, H*W, D]}, row-major over the grid. */
    public NDArray patchTokens() {
        return tokens.get(new NDIndex(":, {}:", numPrefixTokens));
    }

    /**
     * The class token {@code [B, D]}.
     *
     * @throws IllegalStateException when the backbone has no class token
     */
    public NDArray classToken() {
        if (!hasClassToken) {
            throw new IllegalStateException("this backbone has no class token; pool the patch tokens instead");
        }
        return tokens.get(new NDIndex(":, 0, :"));
    }
}
