package io.vitstream.stream.explain;

import io.vitstream.backbone.Grid;
import io.vitstream.backbone.explain.AttentionRollout;
import io.vitstream.backbone.explain.AttentionRollout.HeadFusion;
import io.vitstream.backbone.image.ImageGeometry;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.heads.Attentions;
import io.vitstream.heads.VisionModel;

import java.util.Arrays;
import java.util.List;

/**
 * The attention rollout of one encoded frame as a heat map over the patch grid ({@link Explanation}),
 * and the frame with that map drawn over it as PNG ({@link HeatmapPainter}). The frame is decoded
 * and prepared as the stream prepares it (the same {@link ImagePreprocessor}); the backbone runs
 * on PyTorch with attentions on ({@link VisionModel#attentions}). Thread-safe.
 */
public final class Explainer {

    private final VisionModel model;
    private final ImagePreprocessor preprocessor;

    public Explainer(VisionModel model, ImagePreprocessor preprocessor) {
        this.model = model;
        this.preprocessor = preprocessor;
    }

    /** The backbone's encoder layers L (0 for a backbone without attention, such as ResNet). */
    public int layers() {
        return model.backbone().numLayers();
    }

    /**
     * Why this model cannot be explained, or empty when it can: attention rollout needs the
     * attention maps of a transformer backbone, and a convolutional one (ResNet) has none.
     */
    public java.util.Optional<String> unavailable() {
        if (layers() > 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the backbone " + model.backbone().architecture() + " has no attention layers;"
                + " attention maps need a transformer backbone (vit, dinov2, dinov2_with_registers)");
    }

    /**
     * The explanation of one frame.
     *
     * @param encoded JPEG or PNG bytes
     * @param layer roll out layers 1..{@code layer} (1..L)
     * @throws io.vitstream.backbone.image.BadImageException for bytes that are no usable image
     * @throws IllegalArgumentException naming {@code layer} when it is out of range
     * @throws IllegalStateException when the backbone has no attention ({@link #unavailable()})
     */
    public Explanation explain(byte[] encoded, int layer, HeadFusion fusion) {
        unavailable().ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        checkLayer(layer, layers());
        long start = System.nanoTime();
        ImagePreprocessor.Prepared prepared = preprocessor.prepare(encoded);
        Attentions a = model.attentions(List.of(prepared)).get(0);
        double[] row = AttentionRollout.rolloutRow(a.layers().subList(0, layer), fusion,
                start(a.hasClassToken(), a.numPrefixTokens(), a.grid()));
        float[][] map = AttentionRollout.heatmap(row, a.numPrefixTokens(), a.grid());
        ImageGeometry g = prepared.geometry();
        double[] cover = {g.toOriginalX(0), g.toOriginalY(0), g.toOriginalX(g.inputWidth()), g.toOriginalY(g.inputHeight())};
        return new Explanation(a.layers().size(), layer, fusion, a.hasClassToken(), a.grid(), g.originalWidth(),
                g.originalHeight(), cover, region(cover, g.originalWidth(), g.originalHeight()), map,
                (System.nanoTime() - start) / 1e6);
    }

    /**
     * The frame (scaled to at most {@code maxSide} pixels on its longer side) with the map of
     * {@code e} blended over it, as PNG.
     *
     * @param encoded the bytes {@code e} was computed from
     */
    public byte[] png(byte[] encoded, Explanation e, int maxSide) {
        return HeatmapPainter.png(preprocessor.decoder().decode(encoded), e, maxSide);
    }

    /**
     * Which row of the rollout the map reads: the class token's, or for a backbone without a
     * class token the mean of the patches' rows (how much the patches, on average, draw on each
     * patch).
     *
     * @return a weighting of the {@code numPrefixTokens + grid.size()} tokens
     */
    static double[] start(boolean hasClassToken, int numPrefixTokens, Grid grid) {
        double[] start = new double[numPrefixTokens + grid.size()];
        if (hasClassToken) {
            start[0] = 1;
        } else {
            Arrays.fill(start, numPrefixTokens, start.length, 1.0 / grid.size());
        }
        return start;
    }

    /** {@code cover} clipped to a {@code width x height} frame, outward to whole pixels. */
    static Explanation.Region region(double[] cover, int width, int height) {
        int x0 = (int) Math.floor(Math.max(0, cover[0]));
        int y0 = (int) Math.floor(Math.max(0, cover[1]));
        int x1 = (int) Math.ceil(Math.min(width, cover[2]));
        int y1 = (int) Math.ceil(Math.min(height, cover[3]));
        return new Explanation.Region(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    /**
     * The {@code layer} parameter: {@code null} or blank for all {@code layers}.
     *
     * @throws IllegalArgumentException naming the parameter and its range
     */
    public static int layer(String raw, int layers) {
        if (raw == null || raw.isBlank()) {
            return layers;
        }
        int layer;
        try {
            layer = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("layer must be a whole number in 1.." + layers + ", got '" + raw + "'");
        }
        checkLayer(layer, layers);
        return layer;
    }

    private static void checkLayer(int layer, int layers) {
        if (layer < 1 || layer > layers) {
            throw new IllegalArgumentException("layer must be in 1.." + layers + " (the backbone's layers), got " + layer);
        }
    }

    /**
     * The {@code fusion} parameter: {@code mean} (also for {@code null} or blank), {@code max} or {@code min}.
     *
     * @throws IllegalArgumentException naming the parameter and the values it takes
     */
    public static HeadFusion fusion(String raw) {
        if (raw == null || raw.isBlank()) {
            return HeadFusion.MEAN;
        }
        for (HeadFusion f : HeadFusion.values()) {
            if (f.name().equalsIgnoreCase(raw.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("fusion must be one of mean, max, min, got '" + raw + "'");
    }
}
