package io.vitstream.train.data;

import java.util.Random;

/**
 * A window of a source image and whether to mirror it: what random-resized-crop augmentation
 * (Szegedy et al. 2015; torchvision's {@code RandomResizedCrop}) picks for one image.
 *
 * @param top first row of the window, in source pixels
 * @param left first column of the window, in source pixels
 * @param height window height, in source pixels
 * @param width window width, in source pixels
 * @param flip whether the output is mirrored left-right
 */
public record Crop(double top, double left, double height, double width, boolean flip) {

    /** The whole image, not mirrored. */
    public static Crop whole(int height, int width) {
        return new Crop(0, 0, height, width, false);
    }

    /**
     * torchvision's sampling: area fraction uniform in {@code [minScale, maxScale]}, log-uniform
     * aspect ratio in {@code [minRatio, maxRatio]}, up to 10 tries for a window that fits, else
     * the whole image; then a coin with probability {@code flipProbability} for the mirror.
     */
    public static Crop random(Random rng, int height, int width, double minScale, double maxScale,
            double minRatio, double maxRatio, double flipProbability) {
        double area = (double) height * width;
        Crop crop = null;
        for (int attempt = 0; attempt < 10 && crop == null; attempt++) {
            double target = area * (minScale + rng.nextDouble() * (maxScale - minScale));
            double ratio = Math.exp(Math.log(minRatio) + rng.nextDouble() * (Math.log(maxRatio) - Math.log(minRatio)));
            double w = Math.sqrt(target * ratio);
            double h = Math.sqrt(target / ratio);
            if (w <= width && h <= height) {
                crop = new Crop(rng.nextDouble() * (height - h), rng.nextDouble() * (width - w), h, w, false);
            }
        }
        if (crop == null) {
            crop = whole(height, width);
        }
        return new Crop(crop.top, crop.left, crop.height, crop.width, rng.nextDouble() < flipProbability);
    }

    /**
     * Resamples the window bilinearly to {@code outH x outW}, scales bytes to [0, 1], normalizes
     * each channel with {@code (v - mean) / std} and writes CHW with 3 channels (a grey source is
     * repeated in all three, as the service's RGB decoding of a grey image gives).
     *
     * @param src images HWC as unsigned bytes
     * @param offset index of this image's first byte in {@code src}
     * @param channels 1 or 3
     * @param out {@code [3, outH, outW]} written at {@code outOffset}
     */
    public void render(byte[] src, int offset, int srcH, int srcW, int channels, int outH, int outW,
            float[] mean, float[] std, float[] out, int outOffset) {
        int plane = outH * outW;
        for (int y = 0; y < outH; y++) {
            double sy = top + (y + 0.5) * height / outH - 0.5;
            int y0 = (int) Math.floor(sy);
            double fy = sy - y0;
            for (int x = 0; x < outW; x++) {
                int ox = flip ? outW - 1 - x : x;
                double sx = left + (x + 0.5) * width / outW - 0.5;
                int x0 = (int) Math.floor(sx);
                double fx = sx - x0;
                for (int c = 0; c < 3; c++) {
                    int sc = channels == 1 ? 0 : c;
                    double v = (1 - fy) * ((1 - fx) * px(src, offset, srcH, srcW, channels, y0, x0, sc)
                                    + fx * px(src, offset, srcH, srcW, channels, y0, x0 + 1, sc))
                            + fy * ((1 - fx) * px(src, offset, srcH, srcW, channels, y0 + 1, x0, sc)
                                    + fx * px(src, offset, srcH, srcW, channels, y0 + 1, x0 + 1, sc));
                    out[outOffset + c * plane + y * outW + ox] = (float) ((v / 255.0 - mean[c]) / std[c]);
                }
            }
        }
    }

    /** A source pixel with the border repeated outside the image. */
    private static int px(byte[] src, int offset, int h, int w, int channels, int y, int x, int c) {
        int cy = Math.min(Math.max(y, 0), h - 1);
        int cx = Math.min(Math.max(x, 0), w - 1);
        return src[offset + (cy * w + cx) * channels + c] & 0xff;
    }
}
