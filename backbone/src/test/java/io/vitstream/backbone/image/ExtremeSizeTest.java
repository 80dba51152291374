package io.vitstream.backbone.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.backbone.image.BadImageException.Reason;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Frames of extreme aspect ratio under the pixel limit (issue 12: a 300 KB PNG of 1 x 39,000,000
 * 16-bit RGBA pixels overflowed an int in the resize and surfaced as {@code internal-error}).
 * Decoded bytes and the resize's working memory are budgeted with long arithmetic from the
 * header, before any pixel is decoded.
 */
class ExtremeSizeTest {

    private static final ImageLimits LIMITS = new ImageLimits(4 << 20, 40_000_000L);
    private static final int TALL = 39_000_000;

    @ParameterizedTest
    @EnumSource(DecodeMode.class)
    void tallSixteenBitRgbaPngIsRefusedFromItsHeader(DecodeMode mode) {
        byte[] png = PngWriter.repeatedRows(1, TALL, 6, 16, new byte[] {0x12, 0x34, 0x56, 0x78, (byte) 0x9a, (byte) 0xbc, (byte) 0xff, (byte) 0xff});
        assertTrue(png.length < 1_000_000, "the bomb is small: " + png.length + " bytes");
        // probe reads headers only: the refusal needs no pixel.
        BadImageException probed = assertThrows(BadImageException.class, () -> new ImageDecoder(LIMITS).probe(png));
        assertEquals(Reason.TOO_MANY_PIXELS, probed.reason(), probed.getMessage());
        assertTrue(probed.getMessage().contains("312000000"), probed.getMessage());
        BadImageException e = assertThrows(BadImageException.class,
                () -> new ImagePreprocessor(PreprocessorConfig.vitDefaults(224, 224), LIMITS, mode).prepare(png));
        assertEquals(Reason.TOO_MANY_PIXELS, e.reason(), e.getMessage());
    }

    /**
     * An 8-bit RGB header of 1 x 39,000,000 (117 MB decoded, within the budget) whose pixel data
     * is garbage: any decode would answer {@code corrupt}, so {@code too-many-pixels} shows the
     * resize budget refused it before decoding.
     */
    @ParameterizedTest
    @EnumSource(DecodeMode.class)
    void resizeWorkingMemoryIsCheckedBeforeDecoding(DecodeMode mode) {
        byte[] png = PngWriter.headerOnly(1, TALL, 2, 8);
        BadImageException e = assertThrows(BadImageException.class,
                () -> new ImagePreprocessor(PreprocessorConfig.vitDefaults(224, 224), LIMITS, mode).prepare(png));
        assertEquals(Reason.TOO_MANY_PIXELS, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("working memory"), e.getMessage());
    }

    @Test
    void shortestEdgeResizeOfATallFrameDoesNotOverflow() {
        PreprocessorConfig cfg = new PreprocessorConfig(true, 224, 224, 224, false, Resampler.Filter.BICUBIC, true,
                1 / 255.0, true, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
        BadImageException e = assertThrows(BadImageException.class,
                () -> new ImagePreprocessor(cfg, LIMITS).prepare(new RgbImage(1, 3_000_000, new byte[9_000_000])));
        assertEquals(Reason.TOO_MANY_PIXELS, e.reason(), e.getMessage());
    }

    @Test
    void workingBytesUseLongArithmetic() {
        // 39,000,000 rows x 224 columns x 3 bytes of horizontal pass: 26.2 GB, 438,196,224 in int.
        long bytes = ResizeNormalize.workingBytes(1, TALL, 224, 224, Resampler.Filter.BILINEAR, 0, 0, 224, 224);
        assertTrue(bytes > 26_208_000_000L, "working bytes " + bytes);
        // A camera frame needs little: 1080 rows x 224 columns x 3 plus the filter tables.
        long camera = ResizeNormalize.workingBytes(1920, 1080, 224, 224, Resampler.Filter.BILINEAR, 0, 0, 224, 224);
        assertTrue(camera > 1080 * 224 * 3 && camera < 2_000_000, "working bytes " + camera);
    }

    @Test
    void tallButModestFramesStillWork() {
        byte[] png = PngWriter.repeatedRows(1, 100_000, 2, 8, new byte[] {10, (byte) 200, 30});
        ImagePreprocessor.Prepared p = new ImagePreprocessor(PreprocessorConfig.vitDefaults(8, 8), LIMITS).prepare(png);
        assertEquals(1, p.geometry().originalWidth());
        assertEquals(100_000, p.geometry().originalHeight());
        assertEquals((200 / 255f - 0.5f) / 0.5f, p.chw()[64], 1e-6f);
    }

    @Test
    void twoStepResizeRefusesSizesNoArrayHolds() {
        RgbImage one = new RgbImage(1, 1, new byte[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Resampler.resize(one, 40_000, 40_000, Resampler.Filter.BILINEAR));
        assertTrue(e.getMessage().contains("40000x40000"), e.getMessage());
    }
}
