package io.vitstream.backbone.image;

import io.vitstream.backbone.image.Resampler.Coefficients;
import io.vitstream.backbone.image.Resampler.Filter;

/**
 * Resize, crop or pad, rescale, normalize and HWC-to-CHW in one pass over a decoded frame, with
 * {@link Resampler}'s arithmetic (PIL's: horizontal pass first, each pass rounded to 8 bits) so
 * the floats are the ones {@code Resampler.resize} followed by the per-pixel normalization give.
 *
 * <p>Only the source rows and output columns the window needs are computed; the horizontal pass
 * goes into a per-thread buffer that is reused from frame to frame, and the vertical pass writes
 * floats directly through a 256-entry table per channel (the rescale and normalization of an
 * 8-bit value is one of 256 floats).
 */
final class ResizeNormalize {

    /** Per-thread scratch for the horizontal pass. */
    private static final ThreadLocal<byte[]> ROWS = ThreadLocal.withInitial(() -> new byte[0]);

    private ResizeNormalize() {}

    /**
     * @param src interleaved 3-channel bytes, {@code srcW x srcH}
     * @param bgr whether {@code src} is BGR (the output is always RGB planes)
     * @param w the resized width (before the window is taken)
     * @param h the resized height
     * @param left window origin in the resized image (negative: padding on the left)
     * @param top window origin in the resized image
     * @param lut per output channel, the normalized float of each 8-bit value
     * @param out {@code 3 x outH x outW}, zero where the window is outside the resized image
     */
    static void run(byte[] src, int srcW, int srcH, boolean bgr, int w, int h, Filter filter, int left, int top,
            int outW, int outH, float[][] lut, float[] out) {
        int x0 = Math.max(left, 0);
        int x1 = Math.min(left + outW, w);
        int y0 = Math.max(top, 0);
        int y1 = Math.min(top + outH, h);
        if (x1 <= x0 || y1 <= y0) {
            return;
        }
        if (filter == Filter.NEAREST) {
            nearest(src, srcW, srcH, bgr, w, h, x0, x1, y0, y1, left, top, outW, outH, lut, out);
            return;
        }
        Coefficients cy = h != srcH ? Coefficients.cached(srcH, h, filter) : null;
        int firstRow = cy == null ? y0 : cy.start()[y0];
        int lastRow = cy == null ? y1 : lastTap(cy, y0, y1);

        // Horizontal pass over the needed rows and output columns, or the source as it is.
        byte[] buf;
        int bufW;
        int colBase;
        int rowBase;
        if (w != srcW) {
            Coefficients cx = Coefficients.cached(srcW, w, filter);
            bufW = x1 - x0;
            colBase = x0;
            rowBase = firstRow;
            int need = Math.toIntExact((long) (lastRow - firstRow) * bufW * 3); // within the plan's budget
            buf = ROWS.get();
            if (buf.length < need) {
                buf = new byte[need];
                if (need <= ImagePreprocessor.RETAINED_BYTES) {
                    ROWS.set(buf);
                }
            }
            Resampler.horizontalRows(src, srcW, firstRow, lastRow, cx, x0, x1, buf);
        } else {
            buf = src;
            bufW = srcW;
            colBase = 0;
            rowBase = 0;
        }

        int plane = outH * outW;
        int c0 = bgr ? 2 : 0;
        int c2 = bgr ? 0 : 2;
        float[] l0 = lut[0];
        float[] l1 = lut[1];
        float[] l2 = lut[2];
        int cols = x1 - x0;
        int[] acc = new int[cols * 3];
        for (int y = y0; y < y1; y++) {
            int o = (y - top) * outW + (x0 - left);
            if (cy == null) {
                int row = ((y - rowBase) * bufW + (x0 - colBase)) * 3;
                for (int i = 0; i < cols; i++) {
                    int p = row + 3 * i;
                    out[o + i] = l0[buf[p + c0] & 0xff];
                    out[plane + o + i] = l1[buf[p + 1] & 0xff];
                    out[2 * plane + o + i] = l2[buf[p + c2] & 0xff];
                }
                continue;
            }
            java.util.Arrays.fill(acc, Resampler.HALF);
            int[] k = cy.weights()[y];
            int start = cy.start()[y];
            for (int t = 0; t < cy.count()[y]; t++) {
                int row = ((start + t - rowBase) * bufW + (x0 - colBase)) * 3;
                int kt = k[t];
                for (int i = 0; i < cols * 3; i++) {
                    acc[i] += (buf[row + i] & 0xff) * kt;
                }
            }
            for (int i = 0; i < cols; i++) {
                out[o + i] = l0[Resampler.clip8(acc[3 * i + c0])];
                out[plane + o + i] = l1[Resampler.clip8(acc[3 * i + 1])];
                out[2 * plane + o + i] = l2[Resampler.clip8(acc[3 * i + c2])];
            }
        }
    }

    /**
     * Heap bytes {@link #run} allocates for a {@code srcW x srcH} frame resized to {@code w x h}
     * with the window at ({@code left}, {@code top}) of {@code outW x outH}: the filter tables and
     * the horizontal pass over the source rows the window needs. Long arithmetic throughout: a
     * 1 x 39,000,000 frame to 224 x 224 needs 26 GB, which is 438,196,224 in an int.
     *
     * @param w the resized width; long, as a shortest-edge resize of an extreme frame may not fit an int
     * @param h the resized height
     */
    static long workingBytes(int srcW, int srcH, long w, long h, Filter filter, long left, long top, int outW, int outH) {
        long x0 = Math.max(left, 0);
        long x1 = Math.min(left + outW, w);
        long y0 = Math.max(top, 0);
        long y1 = Math.min(top + outH, h);
        if (filter == Filter.NEAREST || x1 <= x0 || y1 <= y0) {
            return 0;
        }
        long bytes = 0;
        long rows = y1 - y0;
        if (h != srcH) {
            bytes += Coefficients.bytes(srcH, h, filter);
            double scale = (double) srcH / h;
            double support = Coefficients.support(srcH, h, filter);
            rows = Coefficients.end(srcH, scale, support, y1 - 1) - Coefficients.first(srcH, scale, support, y0);
        }
        if (w != srcW) {
            bytes += Coefficients.bytes(srcW, w, filter) + rows * (x1 - x0) * 3;
        }
        return bytes;
    }

    private static int lastTap(Coefficients c, int y0, int y1) {
        int last = 0;
        for (int y = y0; y < y1; y++) {
            last = Math.max(last, c.start()[y] + c.count()[y]);
        }
        return last;
    }

    private static void nearest(byte[] src, int srcW, int srcH, boolean bgr, int w, int h, int x0, int x1, int y0,
            int y1, int left, int top, int outW, int outH, float[][] lut, float[] out) {
        int plane = outH * outW;
        double sx = (double) srcW / w;
        double sy = (double) srcH / h;
        for (int y = y0; y < y1; y++) {
            int yi = Math.min((int) ((y + 0.5) * sy), srcH - 1);
            for (int x = x0; x < x1; x++) {
                int xi = Math.min((int) ((x + 0.5) * sx), srcW - 1);
                int p = (yi * srcW + xi) * 3;
                int o = (y - top) * outW + (x - left);
                for (int c = 0; c < 3; c++) {
                    out[c * plane + o] = lut[c][src[p + (bgr ? 2 - c : c)] & 0xff];
                }
            }
        }
    }
}
