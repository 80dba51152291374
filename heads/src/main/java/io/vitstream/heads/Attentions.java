package io.vitstream.heads;

import io.vitstream.backbone.Grid;

import java.util.List;

/**
 * One image's attention probabilities from the backbone, and what is needed to read them as a
 * map over the patch grid ({@link io.vitstream.backbone.explain.AttentionRollout}).
 *
 * @param layers per encoder layer, {@code [heads][T][T]} with {@code T = numPrefixTokens + grid.size()};
 *     each row sums to 1
 * @param numPrefixTokens tokens before the patches (class token, registers)
 * @param hasClassToken whether token 0 is a class token
 * @param grid the patch grid, row-major after the prefix tokens
 */
public record Attentions(List<float[][][]> layers, int numPrefixTokens, boolean hasClassToken, Grid grid) {

    public Attentions {
        layers = List.copyOf(layers);
    }
}
