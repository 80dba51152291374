package io.vitstream.backbone.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.backbone.CameraFrames;
import io.vitstream.backbone.Fixtures;
import io.vitstream.backbone.image.BadImageException.Reason;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;

/**
 * JPEGs that are not 8-bit YCbCr or grey: CMYK as PIL and Photoshop write it (Adobe APP14 marker,
 * inverted inks) decodes to PIL's colours; CMYK without the marker, 12-bit and 16-bit lossless
 * JPEG are refused as {@code unsupported-format} from the header, saying what they are.
 */
class ColourJpegTest {

    private static final ImageLimits LIMITS = ImageLimits.DEFAULT;

    static byte[] cmyk() throws IOException {
        return Files.readAllBytes(Fixtures.fixture("cmyk").resolve("cmyk.jpg"));
    }

    /** PIL's {@code convert("RGB")} of cmyk.jpg (tools/make_cmyk_fixtures.py). */
    private static byte[] pilRgb() throws IOException {
        return Files.readAllBytes(Fixtures.fixture("cmyk").resolve("cmyk.rgb"));
    }

    @Test
    void adobeCmykDecodesToPilsColours() throws IOException {
        RgbImage img = new ImageDecoder(LIMITS).decode(cmyk());
        assertEquals(64, img.width());
        assertEquals(16, img.height());
        byte[] want = pilRgb();
        int worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs((img.rgb()[i] & 0xff) - (want[i] & 0xff)));
        }
        // OpenCV's ink product divides by 256 where PIL's divides by 255: within 2 levels.
        assertTrue(worst <= 2, "largest difference from PIL " + worst);
        // Cyan is (0, 255, 255), not its inverse: the inks are read as inverted Adobe CMYK.
        int p = (8 * 64 + 8) * 3;
        assertTrue((img.rgb()[p] & 0xff) < 8 && (img.rgb()[p + 1] & 0xff) > 247, "cyan patch");
    }

    @ParameterizedTest
    @EnumSource(DecodeMode.class)
    void adobeCmykIsAcceptedByThePreprocessor(DecodeMode mode) throws IOException {
        ImagePreprocessor.Prepared p = new ImagePreprocessor(PreprocessorConfig.vitDefaults(16, 64), LIMITS, mode).prepare(cmyk());
        assertEquals(64, p.geometry().originalWidth());
        // Red channel of the cyan patch: 0 -> -1 after (0/255 - 0.5) / 0.5.
        assertEquals(-1f, p.chw()[8 * 64 + 8], 0.02f);
    }

    @Test
    void imageIoCannotDecodeCmykAndSaysSo() throws IOException {
        BadImageException e = assertThrows(BadImageException.class, () -> new ImageDecoder(LIMITS).decodeWithImageIO(cmyk()));
        assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("CMYK"), e.getMessage());
    }

    @Test
    void cmykWithoutAdobeMarkerIsUnsupported() throws IOException {
        BadImageException e = assertThrows(BadImageException.class, () -> new ImageDecoder(LIMITS).probe(withoutAdobe(cmyk())));
        assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("Adobe"), e.getMessage());
    }

    @Test
    void twelveAndSixteenBitJpegsAreUnsupported() {
        byte[] jpeg = CameraFrames.jpeg(64, 48, 1);
        BadImageException twelve = assertThrows(BadImageException.class, () -> new ImageDecoder(LIMITS).probe(withSof(jpeg, 0xC1, 12)));
        assertEquals(Reason.UNSUPPORTED_FORMAT, twelve.reason());
        assertTrue(twelve.getMessage().startsWith("12-bit JPEG (SOF marker ff c1"), twelve.getMessage());
        BadImageException lossless = assertThrows(BadImageException.class,
                () -> new ImagePreprocessor(PreprocessorConfig.vitDefaults(32, 32), LIMITS).prepare(withSof(jpeg, 0xC3, 16)));
        assertEquals(Reason.UNSUPPORTED_FORMAT, lossless.reason());
        assertTrue(lossless.getMessage().startsWith("16-bit JPEG"), lossless.getMessage());
    }

    /** The JPEG with its first SOF segment's marker and precision replaced. */
    static byte[] withSof(byte[] jpeg, int marker, int precision) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 4 < out.length; i++) {
            if ((out[i] & 0xff) == 0xFF && ((out[i + 1] & 0xff) == 0xC0 || (out[i + 1] & 0xff) == 0xC2)) {
                out[i + 1] = (byte) marker;
                out[i + 4] = (byte) precision;
                return out;
            }
        }
        throw new IllegalStateException("no SOF segment");
    }

    /** The JPEG without its APP14 segment (PIL writes it right after SOI). */
    static byte[] withoutAdobe(byte[] jpeg) {
        if ((jpeg[2] & 0xff) != 0xFF || (jpeg[3] & 0xff) != 0xEE) {
            throw new IllegalStateException("no APP14 after SOI");
        }
        int len = ((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff);
        byte[] out = new byte[jpeg.length - 2 - len];
        out[0] = jpeg[0];
        out[1] = jpeg[1];
        System.arraycopy(jpeg, 4 + len, out, 2, jpeg.length - 4 - len);
        return out;
    }
}
