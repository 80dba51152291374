package io.vitstream.heads.detr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * DETR's fixed 2-D sine position embeddings over a grid (Carion et al. 2020, after Vaswani et
 * al. 2017): half of the channels encode the row, half the column, each as interleaved sines
 * and cosines of the position at geometrically spaced frequencies.
 *
 * <p>Positions are 1-based and normalized to (0, 2*pi] by the grid size (DETR's
 * {@code normalize=True}, eps 1e-6), so a token's code depends on its relative place in the
 * grid, not on the grid's size: the same head runs at any input size. Channel {@code c} of a
 * half uses frequency {@code T^(2*floor(c/2)/(d/2))}; even channels take the sine, odd the cosine.
 * Row channels come first, then column channels.
 */
public final class SinePositionEncoding {

    private static final double EPS = 1e-6;

    private SinePositionEncoding() {}

    /**
     * @param h grid rows
     * @param w grid columns
     * @param d channels (even)
     * @param temperature frequency base T (DETR: 10000)
     * @return {@code [h*w][d]} row-major over the grid, flattened
     */
    public static float[] encode(int h, int w, int d, double temperature) {
        if (d % 2 != 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("need an even channel count and a positive grid, got d=" + d + ", " + h + "x" + w);
        }
        int half = d / 2;
        double scale = 2 * Math.PI;
        float[] out = new float[h * w * d];
        for (int y = 0; y < h; y++) {
            double ny = (y + 1) / (h + EPS) * scale;
            for (int x = 0; x < w; x++) {
                double nx = (x + 1) / (w + EPS) * scale;
                int base = (y * w + x) * d;
                for (int c = 0; c < half; c++) {
                    double freq = Math.pow(temperature, 2.0 * (c / 2) / half);
                    out[base + c] = (float) (c % 2 == 0 ? Math.sin(ny / freq) : Math.cos(ny / freq));
                    out[base + half + c] = (float) (c % 2 == 0 ? Math.sin(nx / freq) : Math.cos(nx / freq));
                }
            }
        }
        return out;
    }

    /**
     * The embeddings of a padded image, as HF's {@code DetrSinePositionEmbedding} with a pixel
     * mask: positions count only valid cells (a cumulative sum of the mask down each column and
     * along each row) and are normalized by each column's and row's valid count, so the image
     * part gets the codes it would get alone and padding repeats its edge's.
     *
     * @param mask {@code [h*w]} row-major, 1 for image, 0 for padding
     * @return {@code [h*w][d]} row-major over the grid, flattened
     */
    public static float[] encode(float[] mask, int h, int w, int d, double temperature) {
        if (d % 2 != 0 || h <= 0 || w <= 0 || mask.length != h * w) {
            throw new IllegalArgumentException("need an even channel count and a mask of the grid " + h + "x" + w
                    + ", got d=" + d + " and " + mask.length + " mask cells");
        }
        float[] yEmbed = new float[h * w];
        float[] xEmbed = new float[h * w];
        for (int x = 0; x < w; x++) {
            float sum = 0;
            for (int y = 0; y < h; y++) yEmbed[y * w + x] = sum += mask[y * w + x];
        }
        for (int y = 0; y < h; y++) {
            float sum = 0;
            for (int x = 0; x < w; x++) xEmbed[y * w + x] = sum += mask[y * w + x];
        }
        int half = d / 2;
        double scale = 2 * Math.PI;
        float[] out = new float[h * w * d];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double ny = yEmbed[y * w + x] / (yEmbed[(h - 1) * w + x] + EPS) * scale;
                double nx = xEmbed[y * w + x] / (xEmbed[y * w + w - 1] + EPS) * scale;
                int base = (y * w + x) * d;
                for (int c = 0; c < half; c++) {
                    double freq = Math.pow(temperature, 2.0 * (c / 2) / half);
                    out[base + c] = (float) (c % 2 == 0 ? Math.sin(ny / freq) : Math.cos(ny / freq));
                    out[base + half + c] = (float) (c % 2 == 0 ? Math.sin(nx / freq) : Math.cos(nx / freq));
                }
            }
        }
        return out;
    }

    /**
     * A pixel mask brought to a feature grid as PyTorch's {@code interpolate(mode="nearest")}
     * does (HF DETR): cell (i, j) takes pixel (floor(i * H / h), floor(j * W / w)).
     *
     * @param pixels {@code [H*W]} row-major, 1 for image, 0 for padding
     * @return {@code [h*w]} row-major
     */
    public static float[] downsampleMask(float[] pixels, int height, int width, int h, int w) {
        float[] out = new float[h * w];
        float sy = (float) height / h;
        float sx = (float) width / w;
        for (int i = 0; i < h; i++) {
            int y = Math.min((int) Math.floor(i * sy), height - 1);
            for (int j = 0; j < w; j++) {
                int x = Math.min((int) Math.floor(j * sx), width - 1);
                out[i * w + j] = pixels[y * width + x] > 0 ? 1f : 0f;
            }
        }
        return out;
    }

    /** The embeddings as an array {@code [h*w, d]} in {@code manager}. */
    public static NDArray array(NDManager manager, int h, int w, int d, double temperature) {
        return manager.create(encode(h, w, d, temperature), new Shape((long) h * w, d));
    }
}
