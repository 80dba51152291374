package io.vitstream.train.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Scale jitter and horizontal flip for detection (DETR's augmentation in a fixed-size canvas):
 * the image is scaled by {@code scale} about the top-left corner, shifted by {@code (dx, dy)}
 * pixels and then optionally mirrored within an output canvas of the same size; whatever falls
 * outside is cut, empty space is black. Boxes follow: {@code x' = scale * x + dx}, clipped to the
 * canvas, mirrored as {@code x' -> W - x'}; a box keeping less than {@code minVisible} of its
 * scaled area is dropped (its object is mostly cut off).
 *
 * @param scale zoom factor (&lt; 1 shrinks and pads, &gt; 1 enlarges and crops)
 * @param dx shift right, in output pixels
 * @param dy shift down, in output pixels
 * @param flip mirror left-right after scaling
 */
public record BoxTransform(double scale, double dx, double dy, boolean flip) {

    /** No change. */
    public static final BoxTransform IDENTITY = new BoxTransform(1, 0, 0, false);

    /**
     * A random transform: scale uniform in {@code [minScale, maxScale]}, a uniform shift that
     * keeps the scaled image covering (if larger) or inside (if smaller) the canvas, and a flip
     * with probability {@code flipProbability}.
     */
    public static BoxTransform random(java.util.Random rng, int height, int width, double minScale, double maxScale,
            double flipProbability) {
        double s = minScale + rng.nextDouble() * (maxScale - minScale);
        double spareX = width - s * width;
        double spareY = height - s * height;
        return new BoxTransform(s, rng.nextDouble() * spareX, rng.nextDouble() * spareY, rng.nextDouble() < flipProbability);
    }

    /**
     * Transforms boxes.
     *
     * @param boxes {@code [T][4]} corners in source pixels
     * @param width canvas width (source and output)
     * @param height canvas height
     * @param minVisible smallest share of a box's scaled area that must stay inside
     * @return the indices of the kept boxes (into {@code boxes}) and their new corners
     */
    public Kept apply(float[][] boxes, int width, int height, double minVisible) {
        List<Integer> kept = new ArrayList<>();
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < boxes.length; i++) {
            double x0 = scale * boxes[i][0] + dx;
            double y0 = scale * boxes[i][1] + dy;
            double x1 = scale * boxes[i][2] + dx;
            double y1 = scale * boxes[i][3] + dy;
            double full = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
            double cx0 = clamp(x0, width);
            double cy0 = clamp(y0, height);
            double cx1 = clamp(x1, width);
            double cy1 = clamp(y1, height);
            double visible = Math.max(0, cx1 - cx0) * Math.max(0, cy1 - cy0);
            if (full <= 0 || visible < minVisible * full) continue;
            kept.add(i);
            out.add(flip ? new float[] {(float) (width - cx1), (float) cy0, (float) (width - cx0), (float) cy1}
                    : new float[] {(float) cx0, (float) cy0, (float) cx1, (float) cy1});
        }
        return new Kept(kept.stream().mapToInt(Integer::intValue).toArray(), out.toArray(new float[0][]));
    }

    /** The boxes that stayed: {@code indices} into the input, {@code boxes} their new corners. */
    public record Kept(int[] indices, float[][] boxes) {}

    private static double clamp(double v, int max) {
        return Math.min(Math.max(v, 0), max);
    }

    /**
     * Renders the transformed image: bilinear sampling of the source at
     * {@code ((x - dx) / scale, (y - dy) / scale)} for each output pixel centre, black outside,
     * then {@code (v / 255 - mean) / std} per channel into CHW.
     *
     * @param src images HWC RGB bytes
     * @param offset first byte of this image
     * @param out {@code [3, height, width]} written at {@code outOffset}
     */
    public void render(byte[] src, int offset, int height, int width, float[] mean, float[] std, float[] out, int outOffset) {
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            double sy = (y + 0.5 - dy) / scale - 0.5;
            for (int x = 0; x < width; x++) {
                int ox = flip ? width - 1 - x : x;
                double sx = (x + 0.5 - dx) / scale - 0.5;
                for (int c = 0; c < 3; c++) {
                    double v = sample(src, offset, height, width, sy, sx, c);
                    out[outOffset + c * plane + y * width + ox] = (float) ((v / 255.0 - mean[c]) / std[c]);
                }
            }
        }
    }

    private static double sample(byte[] src, int offset, int h, int w, double sy, double sx, int c) {
        int y0 = (int) Math.floor(sy);
        int x0 = (int) Math.floor(sx);
        double fy = sy - y0;
        double fx = sx - x0;
        return (1 - fy) * ((1 - fx) * px(src, offset, h, w, y0, x0, c) + fx * px(src, offset, h, w, y0, x0 + 1, c))
                + fy * ((1 - fx) * px(src, offset, h, w, y0 + 1, x0, c) + fx * px(src, offset, h, w, y0 + 1, x0 + 1, c));
    }

    /** A source pixel, black outside the image. */
    private static int px(byte[] src, int offset, int h, int w, int y, int x, int c) {
        if (y < 0 || y >= h || x < 0 || x >= w) return 0;
        return src[offset + (y * w + x) * 3 + c] & 0xff;
    }
}
