package io.vitstream.backbone.image;

import io.vitstream.backbone.image.BadImageException.Reason;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG and PNG bytes to 8-bit RGB, refusing bad input with a {@link BadImageException}
 * that says what was received. Limits are checked on the header before the pixels are decoded.
 *
 * <p>Colour conversion follows PIL's {@code convert("RGB")}, which Hugging Face processors use:
 * grey is replicated, alpha is dropped (not composited), palettes are expanded. Channel values
 * are read from the raster, not through {@code getRGB}, because Java treats 8-bit grey as linear
 * and would gamma-correct it.
 */
public final class ImageDecoder {

    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    /** What the header says, read without decoding pixels. */
    public record Header(ImageFormat format, int width, int height) {}

    /**
     * Checks size, format and dimensions without decoding the pixels.
     *
     * @throws BadImageException with the reason and what was received
     */
    public Header probe(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new BadImageException(Reason.EMPTY, "empty frame (0 bytes)");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new BadImageException(Reason.TOO_LARGE, bytes.length + " bytes is over the limit of "
                    + limits.maxBytes() + " bytes");
        }
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == ImageFormat.UNKNOWN) {
            throw new BadImageException(Reason.NOT_AN_IMAGE, "not a JPEG or PNG (" + bytes.length
                    + " bytes, first bytes " + ImageFormat.head(bytes, 8) + ")");
        }
        if (!format.supported()) {
            throw new BadImageException(Reason.UNSUPPORTED_FORMAT, format + " images are not supported, send JPEG or PNG ("
                    + bytes.length + " bytes)");
        }
        if (isTruncated(format, bytes)) {
            throw new BadImageException(Reason.TRUNCATED, format + " data ends early: no "
                    + (format == ImageFormat.JPEG ? "end-of-image marker" : "IEND chunk") + " in "
                    + bytes.length + " bytes (last bytes " + tail(bytes) + ")");
        }
        return withReader(bytes, format, reader -> {
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if ((long) w * h > limits.maxPixels()) {
                throw new BadImageException(Reason.TOO_MANY_PIXELS, format + " header says " + w + "x" + h + " = "
                        + (long) w * h + " pixels, over the limit of " + limits.maxPixels());
            }
            return new Header(format, w, h);
        });
    }

    /**
     * Decodes to RGB after {@link #probe}: natively ({@link NativeCodec}) when the library is
     * available, else with ImageIO. Both give PIL's bytes.
     *
     * @throws BadImageException with the reason and what was received
     */
    public RgbImage decode(byte[] bytes) {
        if (!NativeCodec.available()) {
            return decodeWithImageIO(bytes);
        }
        Header header = probe(bytes);
        NativeCodec.Decoded d = NativeCodec.decode(bytes, header.format(), 1, null);
        int n = d.width() * d.height() * 3;
        byte[] bgr = d.bgr();
        byte[] rgb = new byte[n];
        for (int i = 0; i < n; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new RgbImage(d.width(), d.height(), rgb);
    }

    /**
     * Decodes to RGB with the JDK's ImageIO after {@link #probe} (the fallback, and the baseline
     * of the decode benchmark).
     *
     * @throws BadImageException with the reason and what was received
     */
    public RgbImage decodeWithImageIO(byte[] bytes) {
        Header header = probe(bytes);
        return withReader(bytes, header.format(), reader -> {
            AtomicReference<String> warning = new AtomicReference<>();
            reader.addIIOReadWarningListener((source, message) -> warning.compareAndSet(null, message));
            BufferedImage image = reader.read(0);
            if (warning.get() != null && warning.get().toLowerCase(java.util.Locale.ROOT).contains("premature")) {
                throw new BadImageException(Reason.TRUNCATED, header.format() + " data ends early: " + warning.get());
            }
            return toRgb(image);
        });
    }

    private interface ReaderAction<T> {
        T apply(ImageReader reader) throws IOException;
    }

    private static <T> T withReader(byte[] bytes, ImageFormat format, ReaderAction<T> action) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new BadImageException(Reason.CORRUPT, "no decoder accepts these " + format + " bytes ("
                        + bytes.length + " bytes, first bytes " + ImageFormat.head(bytes, 8) + ")");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return action.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadImageException) {
                throw (BadImageException) e;
            }
            throw new BadImageException(Reason.CORRUPT, "cannot decode " + format + " (" + bytes.length
                    + " bytes): " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * JPEG must end with EOI (FF D9), PNG with an IEND chunk; tolerate zero padding of any
     * length (some encoders fill fixed-size buffers) and a little other trailing junk.
     */
    private static boolean isTruncated(ImageFormat format, byte[] b) {
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) {
            end--;
        }
        int from = Math.max(0, end - 1024);
        if (format == ImageFormat.JPEG) {
            for (int i = Math.min(end, b.length - 1) - 1; i >= from; i--) {
                if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == 0xD9) {
                    return false;
                }
            }
            return true;
        }
        for (int i = Math.min(end + 4, b.length) - 4; i >= from; i--) {
            if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') {
                return false;
            }
        }
        return true;
    }

    private static String tail(byte[] b) {
        byte[] t = java.util.Arrays.copyOfRange(b, Math.max(0, b.length - 4), b.length);
        return ImageFormat.head(t, 4);
    }

    /** Raster samples to interleaved 8-bit RGB, as PIL's {@code convert("RGB")}. */
    static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        if (image.getColorModel() instanceof IndexColorModel) {
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < argb.length; i++) {
                rgb[3 * i] = (byte) (argb[i] >> 16);
                rgb[3 * i + 1] = (byte) (argb[i] >> 8);
                rgb[3 * i + 2] = (byte) argb[i];
            }
            return new RgbImage(w, h, rgb);
        }
        int max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    // Grey (1 band) and grey+alpha (2 bands) replicate band 0; alpha is dropped.
                    int band = bands < 3 ? 0 : c;
                    rgb[(y * w + x) * 3 + c] = (byte) to8bit(row[x * bands + band], max);
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** A sample of {@code max + 1} levels to 0..255 (16-bit keeps the high byte, as PIL does). */
    private static int to8bit(int v, int max) {
        if (max == 255) return v;
        if (max > 255) return v >> (Integer.numberOfTrailingZeros(Integer.highestOneBit(max + 1)) - 8);
        return v * 255 / max;
    }
}
