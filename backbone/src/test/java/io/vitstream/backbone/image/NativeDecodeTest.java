package io.vitstream.backbone.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.backbone.CameraFrames;
import io.vitstream.backbone.Fixtures;
import io.vitstream.backbone.image.BadImageException.Reason;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * The native decoder and the fused resize-normalize against the JDK decoder and the two-step
 * {@link Resampler} path (which the PIL fixtures pin down), at camera sizes; {@code fast} mode's
 * DCT scale choice and distance from {@code exact}; bad input refused with the same reasons in
 * both modes.
 */
class NativeDecodeTest {

    private static final ImageLimits LIMITS = ImageLimits.DEFAULT;

    @BeforeAll
    static void nativeLibraryLoads() {
        // On linux-x86_64 (where we build and ship) the bundled library must load: the fallback
        // to ImageIO is for other platforms, not a way to pass here.
        assertTrue(NativeCodec.available(), "native decoder: " + NativeCodec.unavailableReason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"640x480", "1280x720", "1920x1080"})
    void nativeJpegDecodeGivesTheJdkDecodersBytes(String size) {
        int w = Integer.parseInt(size.split("x")[0]);
        int h = Integer.parseInt(size.split("x")[1]);
        byte[] jpeg = CameraFrames.jpeg(w, h, w);
        ImageDecoder d = new ImageDecoder(LIMITS);
        RgbImage reference = d.decodeWithImageIO(jpeg);
        RgbImage decoded = d.decode(jpeg);
        assertEquals(w, decoded.width());
        assertEquals(h, decoded.height());
        assertArrayEquals(reference.rgb(), decoded.rgb(), size + " JPEG (4:2:0) decoded differently");
    }

    @Test
    void nativePngDecodeGivesTheJdkDecodersBytes() throws IOException {
        Map<String, byte[]> pngs = new LinkedHashMap<>();
        for (String f : new String[] {"gradient_shapes.png", "gray.png", "rgba.png"}) {
            pngs.put(f, Files.readAllBytes(Fixtures.fixture("preprocess").resolve(f)));
        }
        pngs.put("camera 1280x720", CameraFrames.png(1280, 720, 3));
        pngs.put("16-bit grey", png(sixteenBitGrey(64, 48)));
        ImageDecoder d = new ImageDecoder(LIMITS);
        pngs.forEach((name, bytes) -> assertArrayEquals(d.decodeWithImageIO(bytes).rgb(), d.decode(bytes).rgb(), name));
    }

    /**
     * The one-pass path gives exactly the floats of decode, {@code Resampler.resize} and a
     * per-pixel normalization written here, for each way a processor resizes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bilinear", "bicubic-shortest-edge-crop", "letterbox", "nearest", "no-resize"})
    void fusedResizeNormalizeEqualsTheTwoStepPath(String kind) {
        byte[] jpeg = CameraFrames.jpeg(1280, 720, 5);
        PreprocessorConfig cfg = switch (kind) {
            case "bilinear" -> PreprocessorConfig.vitDefaults(224, 224);
            case "bicubic-shortest-edge-crop" -> new PreprocessorConfig(true, 224, 224, 256, false, Resampler.Filter.BICUBIC,
                    true, 1 / 255.0, true, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
            case "letterbox" -> new PreprocessorConfig(true, 256, 256, 0, true, Resampler.Filter.BILINEAR,
                    true, 1 / 255.0, true, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
            case "nearest" -> new PreprocessorConfig(true, 96, 160, 0, false, Resampler.Filter.NEAREST,
                    true, 1 / 255.0, false, new float[] {0, 0, 0}, new float[] {1, 1, 1});
            case "no-resize" -> new PreprocessorConfig(false, 720, 1280, 0, false, Resampler.Filter.BILINEAR,
                    true, 1 / 255.0, true, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
            default -> throw new IllegalArgumentException(kind);
        };
        ImagePreprocessor.Prepared fused = new ImagePreprocessor(cfg, LIMITS).prepare(jpeg);
        float[] expected = twoStep(new ImageDecoder(LIMITS).decodeWithImageIO(jpeg), cfg);
        assertEquals(expected.length, fused.chw().length);
        for (int i = 0; i < expected.length; i++) {
            if (Float.compare(expected[i], fused.chw()[i]) != 0) {
                throw new AssertionError(kind + ": value " + i + " is " + fused.chw()[i] + ", two-step " + expected[i]);
            }
        }
    }

    @Test
    void fastPicksTheSmallestDctScaleStillAtLeastTheTarget() {
        assertEquals(2, ImagePreprocessor.reduction(640, 480, 224, 224));
        assertEquals(2, ImagePreprocessor.reduction(1280, 720, 224, 224)); // 1/4 would be 320x180
        assertEquals(4, ImagePreprocessor.reduction(1920, 1080, 224, 224));
        assertEquals(8, ImagePreprocessor.reduction(3840, 2160, 224, 224));
        assertEquals(1, ImagePreprocessor.reduction(300, 200, 224, 224)); // upscaled: full size
        // libjpeg rounds the scaled size up: 1799 / 8 -> 225 >= 224
        assertEquals(8, ImagePreprocessor.reduction(1799, 1799, 224, 224));
        assertEquals(4, ImagePreprocessor.reduction(1784, 1784, 224, 224)); // 223 at 1/8
    }

    /**
     * {@code fast} changes the input a little, not a lot: on camera frames the mean absolute
     * difference from {@code exact} stays under 1 % of the value range, and PNG is unchanged.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1280x720", "1920x1080", "3840x2160"})
    void fastStaysCloseToExact(String size) {
        int w = Integer.parseInt(size.split("x")[0]);
        int h = Integer.parseInt(size.split("x")[1]);
        PreprocessorConfig cfg = PreprocessorConfig.vitDefaults(224, 224); // values in [-1, 1]
        byte[] jpeg = CameraFrames.jpeg(w, h, 9);
        float[] exact = new ImagePreprocessor(cfg, LIMITS, DecodeMode.EXACT).prepare(jpeg).chw();
        float[] fast = new ImagePreprocessor(cfg, LIMITS, DecodeMode.FAST).prepare(jpeg).chw();
        double sum = 0;
        double max = 0;
        for (int i = 0; i < exact.length; i++) {
            double d = Math.abs(exact[i] - fast[i]);
            sum += d;
            max = Math.max(max, d);
        }
        double mean = sum / exact.length;
        assertTrue(mean > 0, "fast must actually decode at a reduced scale");
        assertTrue(mean < 0.02, size + ": mean |fast - exact| " + mean + " (range 2)");
        assertTrue(max < 0.5, size + ": max |fast - exact| " + max);

        byte[] png = CameraFrames.png(640, 360, 4);
        assertArrayEquals(new ImagePreprocessor(cfg, LIMITS, DecodeMode.EXACT).prepare(png).chw(),
                new ImagePreprocessor(cfg, LIMITS, DecodeMode.FAST).prepare(png).chw(), "PNG in fast mode");
    }

    @ParameterizedTest
    @EnumSource(DecodeMode.class)
    void badInputKeepsItsReasonInBothModes(DecodeMode mode) throws IOException {
        ImagePreprocessor p = new ImagePreprocessor(PreprocessorConfig.vitDefaults(224, 224),
                new ImageLimits(4 << 20, 10_000_000L), mode);
        byte[] jpeg = CameraFrames.jpeg(1280, 720, 6);
        byte[] png = CameraFrames.png(320, 200, 6);
        Map<Reason, byte[]> cases = new LinkedHashMap<>();
        cases.put(Reason.EMPTY, new byte[0]);
        cases.put(Reason.NOT_AN_IMAGE, "{\"not\": \"an image\"}".getBytes(StandardCharsets.UTF_8));
        cases.put(Reason.UNSUPPORTED_FORMAT, "GIF89a......".getBytes(StandardCharsets.US_ASCII));
        cases.put(Reason.TRUNCATED, Arrays.copyOf(jpeg, jpeg.length / 2));
        cases.put(Reason.TOO_LARGE, Arrays.copyOf(jpeg, 5 << 20));
        cases.put(Reason.TOO_MANY_PIXELS, CameraFrames.jpeg(4000, 3000, 1));
        byte[] wrecked = jpeg.clone();
        Arrays.fill(wrecked, 4, 200, (byte) 0);
        cases.put(Reason.CORRUPT, wrecked);
        cases.forEach((reason, bytes) -> {
            BadImageException e = assertThrows(BadImageException.class, () -> p.prepare(bytes), reason + " in " + mode);
            assertEquals(reason, e.reason(), mode + ": " + e.getMessage());
        });
        byte[] truncatedPng = Arrays.copyOf(png, png.length - 20);
        assertEquals(Reason.TRUNCATED, assertThrows(BadImageException.class, () -> p.prepare(truncatedPng)).reason());
        // Garbage inside the entropy-coded data keeps SOI, headers and EOI: decoders either
        // refuse it (CORRUPT) or decode it with visible damage, as PIL does; never internal errors.
        byte[] noisy = jpeg.clone();
        for (int i = noisy.length / 2; i < noisy.length / 2 + 4096; i++) {
            noisy[i] = (byte) (i * 31);
        }
        try {
            assertEquals(3 * 224 * 224, p.prepare(noisy).chw().length);
        } catch (BadImageException e) {
            assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
        }
    }

    /** Decode, {@link Resampler#resize}, then rescale and normalize pixel by pixel into CHW. */
    private static float[] twoStep(RgbImage img, PreprocessorConfig cfg) {
        int outW = cfg.width();
        int outH = cfg.height();
        int w = img.width();
        int h = img.height();
        int left = 0;
        int top = 0;
        if (cfg.doResize() && cfg.letterbox()) {
            double s = Math.min((double) outW / w, (double) outH / h);
            w = Math.min((int) Math.round(w * s), outW);
            h = Math.min((int) Math.round(h * s), outH);
        } else if (cfg.doResize() && cfg.shortestEdge() > 0) {
            int e = cfg.shortestEdge();
            int nw = w <= h ? e : (int) ((long) e * w / h);
            int nh = w <= h ? (int) ((long) e * h / w) : e;
            w = nw;
            h = nh;
            left = (w - outW) / 2;
            top = (h - outH) / 2;
        } else if (cfg.doResize()) {
            w = outW;
            h = outH;
        }
        RgbImage r = Resampler.resize(img, w, h, cfg.resample());
        float[] out = new float[3 * outW * outH];
        float scale = cfg.doRescale() ? (float) cfg.rescaleFactor() : 1f;
        for (int c = 0; c < 3; c++) {
            float m = cfg.doNormalize() ? cfg.mean()[c] : 0f;
            float s = cfg.doNormalize() ? cfg.std()[c] : 1f;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    int sx = x + left;
                    int sy = y + top;
                    if (sx >= r.width() || sy >= r.height()) continue;
                    float v = (r.rgb()[(sy * r.width() + sx) * 3 + c] & 0xff) * scale;
                    out[(c * outH + y) * outW + x] = (v - m) / s;
                }
            }
        }
        return out;
    }

    private static BufferedImage sixteenBitGrey(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x * 1361 + y * 977) & 0xffff);
            }
        }
        return img;
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
