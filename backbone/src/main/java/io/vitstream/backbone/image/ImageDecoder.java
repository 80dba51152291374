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
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG and PNG bytes to 8-bit RGB, refusing bad input with a {@link BadImageException}
 * that says what was received. Limits are checked on the header before the pixels are decoded.
 *
 * <p>Colour conversion follows PIL's {@code convert("RGB")}, which Hugging Face processors use:
 * grey is replicated, alpha is dropped (not composited), palettes are expanded. Channel values
 * are read from the raster, not through {@code getRGB}, because Java treats 8-bit grey as linear
 * and would gamma-correct it. A JPEG's EXIF orientation is applied after decoding, as
 * {@code PIL.ImageOps.exif_transpose} in Hugging Face's {@code load_image}.
 *
 * <p>ImageIO is told once, when this class loads, not to cache streams in temporary files: frames
 * are in memory already, and a disk cache would write every frame to {@code java.io.tmpdir}.
 */
public final class ImageDecoder {

    static {
        ImageIO.setUseCache(false);
    }

    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    /**
     * What the header says, read without decoding pixels.
     *
     * @param width as stored, before the EXIF orientation is applied
     * @param height as stored
     * @param channels samples per pixel as stored (grey 1, RGB 3, RGBA 4, CMYK 4; palette 1)
     * @param bitsPerSample 8 or 16 (PNG also 1, 2, 4)
     * @param orientation EXIF orientation 1-8 (JPEG; 1 for PNG)
     */
    public record Header(ImageFormat format, int width, int height, int channels, int bitsPerSample, int orientation) {

        /** Width of the upright frame (the one boxes map to). */
        public int orientedWidth() {
            return ExifOrientation.swapsAxes(orientation) ? height : width;
        }

        /** Height of the upright frame. */
        public int orientedHeight() {
            return ExifOrientation.swapsAxes(orientation) ? width : height;
        }

        /** Bytes of the samples as stored: width x height x channels x bytes per sample. */
        public long decodedBytes() {
            return (long) width * height * channels * ((bitsPerSample + 7) / 8);
        }
    }

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
        JpegHeader jpeg = format == ImageFormat.JPEG ? checkedJpeg(bytes) : null;
        Header header = withReader(bytes, format, reader -> {
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if ((long) w * h > limits.maxPixels()) {
                throw new BadImageException(Reason.TOO_MANY_PIXELS, format + " header says " + w + "x" + h + " = "
                        + (long) w * h + " pixels, over the limit of " + limits.maxPixels());
            }
            return jpeg != null ? new Header(format, w, h, jpeg.components(), jpeg.precision(), jpeg.orientation())
                    : new Header(format, w, h, pngChannels(bytes[25] & 0xff), bytes[24] & 0xff, 1);
        });
        if (header.decodedBytes() > limits.maxDecodedBytes()) {
            throw new BadImageException(Reason.TOO_MANY_PIXELS, format + " header says " + header.width() + "x"
                    + header.height() + " with " + header.channels() + " channels of " + header.bitsPerSample()
                    + " bits = " + header.decodedBytes() + " bytes decoded, over the budget of "
                    + limits.maxDecodedBytes() + " bytes (4 bytes per pixel of max-pixels " + limits.maxPixels() + ")");
        }
        return header;
    }

    /**
     * The JPEG's sample format, refused when neither decoder would give PIL's colours: more than
     * 8 bits per sample (libjpeg-turbo as built into both decoders, and PIL, read 8-bit JPEG only),
     * and 4 components without the Adobe marker that says how the inks are stored.
     */
    private static JpegHeader checkedJpeg(byte[] bytes) {
        JpegHeader j = JpegHeader.read(bytes);
        if (j.precision() != 0 && j.precision() != 8) {
            throw new BadImageException(Reason.UNSUPPORTED_FORMAT, j.precision() + "-bit JPEG (SOF marker "
                    + String.format("ff %02x", j.sofMarker()) + ", " + bytes.length
                    + " bytes) is not supported: send 8-bit JPEG or 16-bit PNG");
        }
        if (j.components() == 4 && j.adobeTransform() < 0) {
            throw new BadImageException(Reason.UNSUPPORTED_FORMAT, "4-channel (CMYK) JPEG without an Adobe APP14 marker ("
                    + bytes.length + " bytes) is not supported: whether its inks are inverted is unknown; send RGB");
        }
        return j;
    }

    /** Samples per pixel of a PNG colour type (palette: one index). */
    private static int pngChannels(int colorType) {
        return switch (colorType) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
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
        byte[] bgr = d.bgr();
        byte[] rgb = new byte[d.width() * d.height() * 3]; // fits: the decoder allocated as much
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return upright(new RgbImage(d.width(), d.height(), rgb), header.orientation());
    }

    /** The image turned upright for an EXIF orientation (itself for 1). */
    static RgbImage upright(RgbImage image, int orientation) {
        if (orientation <= 1) {
            return image;
        }
        boolean swap = ExifOrientation.swapsAxes(orientation);
        return new RgbImage(swap ? image.height() : image.width(), swap ? image.width() : image.height(),
                ExifOrientation.apply(image.rgb(), image.width(), image.height(), orientation));
    }

    /**
     * Decodes to RGB with the JDK's ImageIO after {@link #probe} (the fallback, and the baseline
     * of the decode benchmark).
     *
     * @throws BadImageException with the reason and what was received
     */
    public RgbImage decodeWithImageIO(byte[] bytes) {
        Header header = probe(bytes);
        if (header.format() == ImageFormat.JPEG && header.channels() == 4) {
            // The JDK's JPEG reader has no CMYK-to-RGB conversion; the native decoder has.
            throw new BadImageException(Reason.UNSUPPORTED_FORMAT, "CMYK/YCCK JPEG (" + bytes.length
                    + " bytes) cannot be decoded by ImageIO, the fallback decoder; only the native decoder reads it");
        }
        RgbImage decoded = withReader(bytes, header.format(), reader -> {
            AtomicReference<String> warning = new AtomicReference<>();
            reader.addIIOReadWarningListener((source, message) -> warning.compareAndSet(null, message));
            BufferedImage image = reader.read(0);
            if (warning.get() != null && warning.get().toLowerCase(java.util.Locale.ROOT).contains("premature")) {
                throw new BadImageException(Reason.TRUNCATED, header.format() + " data ends early: " + warning.get());
            }
            return toRgb(image);
        });
        return upright(decoded, header.orientation());
    }

    private interface ReaderAction<T> {
        T apply(ImageReader reader) throws IOException;
    }

    private static <T> T withReader(byte[] bytes, ImageFormat format, ReaderAction<T> action) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
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
            throw new BadImageException(Reason.CORRUPT, format + " data is damaged or uses a feature the decoder does not"
                    + " support (" + bytes.length + " bytes; ImageIO says " + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
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
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
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
