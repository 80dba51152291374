package io.vitstream.backbone.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * Encoded image bytes to model input, as the checkpoint's {@code preprocessor_config.json}
 * says: decode, convert to RGB, resize (PIL semantics), rescale, normalize, HWC to CHW.
 * Thread-safe; the CPU work happens here, before any tensor exists.
 *
 * <p>Bytes are decoded natively ({@link NativeCodec}) into a per-thread buffer that is reused,
 * then resized, cropped or padded and normalized in one pass ({@link ResizeNormalize}); only the
 * returned floats are new per frame. In {@link DecodeMode#FAST} JPEG is decoded at a reduced DCT
 * scale first. Without the native library, decoding falls back to ImageIO (and {@code fast}
 * behaves as {@code exact}).
 *
 * <p>Everything that bounds memory is checked on the header before decoding: the pixel count and
 * decoded bytes ({@link ImageDecoder#probe}) and the resize's working buffers (a frame of extreme
 * aspect ratio under the pixel limit can still need gigabytes to resize), against
 * {@link ImageLimits#maxDecodedBytes()}. A JPEG's EXIF orientation is applied after decoding, so
 * sizes, plans and the geometry are those of the upright frame.
 */
public final class ImagePreprocessor {

    /** Per-thread decode buffer (BGR), grown to the largest frame seen by the thread. */
    private static final ThreadLocal<byte[]> DECODED = ThreadLocal.withInitial(() -> new byte[0]);
    /**
     * Largest per-thread buffer kept between frames (a 4K frame is 24.9 MB of BGR); a larger
     * one, for a rare oversized frame within the decode budget, is garbage once the frame is done.
     */
    static final int RETAINED_BYTES = 32 << 20;

    private final PreprocessorConfig config;
    private final ImageLimits limits;
    private final ImageDecoder decoder;
    private final DecodeMode mode;
    private final float[][] lut;

    public ImagePreprocessor(PreprocessorConfig config, ImageLimits limits) {
        this(config, limits, DecodeMode.EXACT);
    }

    public ImagePreprocessor(PreprocessorConfig config, ImageLimits limits, DecodeMode mode) {
        this.config = config;
        this.limits = limits;
        this.decoder = new ImageDecoder(limits);
        this.mode = mode;
        this.lut = lut(config);
    }

    /**
     * One image ready for batching.
     *
     * @param chw {@code [3, H, W]} floats, {@code H x W} = the geometry's input size (with
     *     {@link PreprocessorConfig#padsBatch()} the image's own resized size, before padding)
     */
    public record Prepared(float[] chw, ImageGeometry geometry) {}

    /** The settings in use. */
    public PreprocessorConfig config() {
        return config;
    }

    /** The decode mode in use. */
    public DecodeMode mode() {
        return mode;
    }

    /** The decoder (for header probes before the full work). */
    public ImageDecoder decoder() {
        return decoder;
    }

    /**
     * Decodes and prepares one image.
     *
     * @return {@code [3, H, W]} floats and how the original maps onto them
     * @throws BadImageException for input that is not a usable JPEG or PNG
     */
    public Prepared prepare(byte[] encoded) {
        ImageDecoder.Header header = decoder.probe(encoded);
        Plan plan = plan(header.orientedWidth(), header.orientedHeight());
        if (!NativeCodec.available()) {
            RgbImage image = decoder.decodeWithImageIO(encoded);
            return run(image.rgb(), image.width(), image.height(), false, plan);
        }
        int reduce = mode == DecodeMode.FAST && header.format() == ImageFormat.JPEG
                ? reduction(header.orientedWidth(), header.orientedHeight(), (int) plan.w, (int) plan.h) : 1;
        NativeCodec.Decoded d = NativeCodec.decode(encoded, header.format(), reduce, DECODED.get());
        if (d.bgr() != DECODED.get() && d.bgr().length <= RETAINED_BYTES) {
            DECODED.set(d.bgr());
        }
        if (reduce == 1 && (d.width() != header.width() || d.height() != header.height())) {
            throw new BadImageException(BadImageException.Reason.CORRUPT, header.format() + " header says "
                    + header.width() + "x" + header.height() + " but the data decodes to " + d.width() + "x" + d.height());
        }
        int o = header.orientation();
        byte[] upright = ExifOrientation.apply(d.bgr(), d.width(), d.height(), o);
        boolean swap = ExifOrientation.swapsAxes(o);
        return run(upright, swap ? d.height() : d.width(), swap ? d.width() : d.height(), true, plan);
    }

    /** Prepares an already decoded image. */
    public Prepared prepare(RgbImage image) {
        return run(image.rgb(), image.width(), image.height(), false, plan(image.width(), image.height()));
    }

    /**
     * The DCT scale for {@code fast}: the largest of 8, 4, 2 whose decoded size (libjpeg rounds
     * up) is still at least {@code w x h}, else 1.
     */
    static int reduction(int width, int height, int w, int h) {
        for (int r = 8; r >= 2; r /= 2) {
            if ((width + r - 1) / r >= w && (height + r - 1) / r >= h) {
                return r;
            }
        }
        return 1;
    }

    /**
     * Where a {@code width x height} original goes: resized size (long until checked: a
     * shortest-edge resize of an extreme frame may not fit an int), window, and the mapping back.
     */
    private record Plan(long w, long h, long left, long top, ImageGeometry geometry) {}

    private Plan plan(int width, int height) {
        Plan plan = unchecked(width, height);
        long need = ResizeNormalize.workingBytes(width, height, plan.w, plan.h, config.resample(), plan.left, plan.top,
                plan.geometry.inputWidth(), plan.geometry.inputHeight());
        if (need > limits.maxDecodedBytes() || plan.w > Integer.MAX_VALUE || plan.h > Integer.MAX_VALUE) {
            throw new BadImageException(BadImageException.Reason.TOO_MANY_PIXELS, width + "x" + height
                    + " frame: resizing it to " + plan.w + "x" + plan.h + " needs " + need + " bytes of working memory,"
                    + " over the budget of " + limits.maxDecodedBytes() + " bytes (4 bytes per pixel of max-pixels "
                    + limits.maxPixels() + "); the aspect ratio is too extreme");
        }
        return plan;
    }

    private Plan unchecked(int width, int height) {
        int outW = config.width();
        int outH = config.height();
        if (config.padsBatch()) {
            // DetrImageProcessor: the image's own size, no window; the batch pads it.
            int[] hw = config.doResize() ? DetrResize.size(height, width, config.height(), config.longestEdge())
                    : new int[] {height, width};
            if (hw[0] < 1 || hw[1] < 1) {
                throw new BadImageException(BadImageException.Reason.TOO_MANY_PIXELS, width + "x" + height
                        + " frame: resizing it as DetrImageProcessor does gives " + hw[1] + "x" + hw[0]
                        + "; the aspect ratio is too extreme");
            }
            return new Plan(hw[1], hw[0], 0, 0, new ImageGeometry(width, height, hw[1], hw[0],
                    (double) hw[1] / width, (double) hw[0] / height, 0, 0));
        }
        if (!config.doResize()) {
            if (width != outW || height != outH) {
                throw new BadImageException(BadImageException.Reason.CORRUPT, "image is " + width + "x"
                        + height + " but resizing is off and the model takes " + outW + "x" + outH);
            }
            return new Plan(width, height, 0, 0, new ImageGeometry(width, height, width, height, 1, 1, 0, 0));
        }
        if (config.letterbox()) {
            double s = Math.min((double) outW / width, (double) outH / height);
            int w = Math.min(Math.max(1, (int) Math.round(width * s)), outW);
            int h = Math.min(Math.max(1, (int) Math.round(height * s)), outH);
            return new Plan(w, h, 0, 0, new ImageGeometry(width, height, outW, outH,
                    (double) w / width, (double) h / height, 0, 0));
        }
        if (config.shortestEdge() > 0) {
            // HF's shortest-edge resize (the long side scaled and truncated to int), then center crop.
            long s = config.shortestEdge();
            long w;
            long h;
            if (width <= height) {
                w = s;
                h = s * height / width;
            } else {
                h = s;
                w = s * width / height;
            }
            long left = (w - outW) / 2;
            long top = (h - outH) / 2;
            return new Plan(w, h, left, top, new ImageGeometry(width, height, outW, outH,
                    (double) w / width, (double) h / height, left, top));
        }
        return new Plan(outW, outH, 0, 0, new ImageGeometry(width, height, outW, outH,
                (double) outW / width, (double) outH / height, 0, 0));
    }

    private Prepared run(byte[] pixels, int width, int height, boolean bgr, Plan plan) {
        int outW = plan.geometry.inputWidth();
        int outH = plan.geometry.inputHeight();
        float[] out = new float[3 * outH * outW];
        ResizeNormalize.run(pixels, width, height, bgr, (int) plan.w, (int) plan.h, config.resample(), (int) plan.left,
                (int) plan.top, outW, outH, lut, out);
        return new Prepared(out, plan.geometry);
    }

    /** Per channel, the rescaled and normalized float of each 8-bit value. */
    private static float[][] lut(PreprocessorConfig config) {
        float r = config.doRescale() ? (float) config.rescaleFactor() : 1f;
        float[][] lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            float m = config.doNormalize() ? config.mean()[c] : 0f;
            float s = config.doNormalize() ? config.std()[c] : 1f;
            for (int v = 0; v < 256; v++) {
                float x = v * r;
                lut[c][v] = (x - m) / s;
            }
        }
        return lut;
    }

    /**
     * Stacks prepared images (all of one input size) into one fp32 batch.
     *
     * @return {@code [B, 3, H, W]} in {@code manager}
     */
    public static NDArray toBatch(NDManager manager, List<Prepared> images) {
        int h = images.get(0).geometry().inputHeight();
        int w = images.get(0).geometry().inputWidth();
        int plane = 3 * h * w;
        for (Prepared p : images) {
            if (p.chw().length != plane) {
                throw new IllegalArgumentException("images of different input sizes cannot share a batch");
            }
        }
        float[] all = new float[images.size() * plane];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).chw(), 0, all, i * plane, plane);
        }
        return manager.create(all, new Shape(images.size(), 3, h, w));
    }
}
