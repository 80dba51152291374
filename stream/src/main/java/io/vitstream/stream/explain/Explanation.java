package io.vitstream.stream.explain;

import io.vitstream.backbone.Grid;
import io.vitstream.backbone.explain.AttentionRollout.HeadFusion;

/**
 * The attention rollout of one frame, read as a map over the patch grid (docs/live.md).
 *
 * @param layers the backbone's encoder layers L
 * @param layer how many of them were rolled out (1..L)
 * @param fusion how each layer's heads were combined
 * @param classToken whether {@code map} is the class token's row (else the patches' mean row)
 * @param grid the patch grid
 * @param imageWidth width of the original (upright) frame, pixels
 * @param imageHeight height of the original (upright) frame, pixels
 * @param cover where the model input, hence the grid, lies on the original frame:
 *     {@code {x0, y0, x1, y1}} in original pixels, not clipped (a letterboxed input reaches past the frame)
 * @param region {@code cover} clipped to the frame, in whole pixels
 * @param map {@code [grid.height][grid.width]}, scaled to a maximum of 1
 * @param millis decoding, the backbone pass and the rollout, milliseconds
 */
public record Explanation(int layers, int layer, HeadFusion fusion, boolean classToken, Grid grid, int imageWidth,
        int imageHeight, double[] cover, Region region, float[][] map, double millis) {

    /** A rectangle of the original frame, pixels. */
    public record Region(int x, int y, int width, int height) {}

    /** {@code mean}, {@code max} or {@code min}, as the API spells it. */
    public String fusionName() {
        return fusion.name().toLowerCase(java.util.Locale.ROOT);
    }
}
