package io.vitstream.backbone.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * Encoded image bytes to model input, as the checkpoint's {@code preprocessor_config.json}
 * says: decode, convert to RGB, resize (PIL semantics), rescale, normalize, HWC to CHW.
 * Thread-safe; the CPU work happens here, before any tensor exists.
 */
public final class ImagePreprocessor {

    private final PreprocessorConfig config;
    private final ImageDecoder decoder;

    public ImagePreprocessor(PreprocessorConfig config, ImageLimits limits) {
        this.config = config;
        this.decoder = new ImageDecoder(limits);
    }

    /** One image ready for batching. */
    public record Prepared(float[] chw, ImageGeometry geometry) {}

    /** The settings in use. */
    public PreprocessorConfig config() {
        return config;
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
        return prepare(decoder.decode(encoded));
    }

    /** Prepares an already decoded image. */
    public Prepared prepare(RgbImage image) {
        int outW = config.width();
        int outH = config.height();
        if (!config.doResize()) {
            if (image.width() != outW || image.height() != outH) {
                throw new BadImageException(BadImageException.Reason.CORRUPT, "image is " + image.width() + "x"
                        + image.height() + " but resizing is off and the model takes " + outW + "x" + outH);
            }
            return new Prepared(normalize(image, outW, outH, 0, 0), identity(image));
        }
        if (config.letterbox()) {
            double s = Math.min((double) outW / image.width(), (double) outH / image.height());
            int w = Math.max(1, (int) Math.round(image.width() * s));
            int h = Math.max(1, (int) Math.round(image.height() * s));
            RgbImage resized = Resampler.resize(image, Math.min(w, outW), Math.min(h, outH), config.resample());
            ImageGeometry g = new ImageGeometry(image.width(), image.height(), outW, outH,
                    (double) resized.width() / image.width(), (double) resized.height() / image.height(), 0, 0);
            return new Prepared(normalize(resized, outW, outH, 0, 0), g);
        }
        if (config.shortestEdge() > 0) {
            return shortestEdgeThenCrop(image, outW, outH);
        }
        RgbImage resized = Resampler.resize(image, outW, outH, config.resample());
        ImageGeometry g = new ImageGeometry(image.width(), image.height(), outW, outH,
                (double) outW / image.width(), (double) outH / image.height(), 0, 0);
        return new Prepared(normalize(resized, outW, outH, 0, 0), g);
    }

    /** HF's shortest-edge resize (the long side scaled and truncated to int) then center crop. */
    private Prepared shortestEdgeThenCrop(RgbImage image, int outW, int outH) {
        int s = config.shortestEdge();
        int w;
        int h;
        if (image.width() <= image.height()) {
            w = s;
            h = (int) ((long) s * image.height() / image.width());
        } else {
            h = s;
            w = (int) ((long) s * image.width() / image.height());
        }
        RgbImage resized = Resampler.resize(image, w, h, config.resample());
        int left = (w - outW) / 2;
        int top = (h - outH) / 2;
        ImageGeometry g = new ImageGeometry(image.width(), image.height(), outW, outH,
                (double) w / image.width(), (double) h / image.height(), left, top);
        return new Prepared(normalize(resized, outW, outH, left, top), g);
    }

    private static ImageGeometry identity(RgbImage image) {
        return new ImageGeometry(image.width(), image.height(), image.width(), image.height(), 1, 1, 0, 0);
    }

    /**
     * Rescales and normalizes the {@code outW x outH} window at {@code (left, top)} into CHW;
     * pixels outside the image (letterbox padding, crops larger than the image) stay 0.
     */
    private float[] normalize(RgbImage img, int outW, int outH, int left, int top) {
        float[] out = new float[3 * outH * outW];
        float r = config.doRescale() ? (float) config.rescaleFactor() : 1f;
        byte[] rgb = img.rgb();
        int plane = outH * outW;
        for (int c = 0; c < 3; c++) {
            float m = config.doNormalize() ? config.mean()[c] : 0f;
            float s = config.doNormalize() ? config.std()[c] : 1f;
            for (int y = 0; y < outH; y++) {
                int sy = y + top;
                if (sy < 0 || sy >= img.height()) continue;
                for (int x = 0; x < outW; x++) {
                    int sx = x + left;
                    if (sx < 0 || sx >= img.width()) continue;
                    float v = (rgb[(sy * img.width() + sx) * 3 + c] & 0xff) * r;
                    out[c * plane + y * outW + x] = (v - m) / s;
                }
            }
        }
        return out;
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
