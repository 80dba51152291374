package io.vitstream.backbone.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The EXIF orientation of a JPEG is applied after decoding, as {@code PIL.ImageOps.exif_transpose}
 * in Hugging Face's {@code load_image}: in both decoders and both decode modes, with the geometry
 * of the upright frame. Malformed EXIF is ignored.
 */
class ExifOrientationTest {

    private static final int W = 40;
    private static final int H = 24;
    private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULT);

    /** Flat quadrants (red top-left, green top-right, blue bottom-left, white bottom-right). */
    private static byte[] quadrants() throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, W / 2, H / 2);
        g.setColor(Color.GREEN);
        g.fillRect(W / 2, 0, W / 2, H / 2);
        g.setColor(Color.BLUE);
        g.fillRect(0, H / 2, W / 2, H / 2);
        g.setColor(Color.WHITE);
        g.fillRect(W / 2, H / 2, W / 2, H / 2);
        g.dispose();
        return JpegEncoder.encode(img, 0.95f);
    }

    /** The JPEG with an APP1 Exif segment (big- or little-endian TIFF, IFD0 holding only tag 0x0112) after SOI. */
    static byte[] withOrientation(byte[] jpeg, int orientation, boolean little) {
        ByteBuffer tiff = ByteBuffer.allocate(26).order(little ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        tiff.put((byte) (little ? 'I' : 'M')).put((byte) (little ? 'I' : 'M')).putShort((short) 42).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        return withApp1(jpeg, tiff.array());
    }

    private static byte[] withApp1(byte[] jpeg, byte[] tiff) {
        byte[] payload = new byte[6 + tiff.length];
        System.arraycopy("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, payload, 0, 6);
        System.arraycopy(tiff, 0, payload, 6, tiff.length);
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + payload.length);
        out.put(jpeg, 0, 2).put((byte) 0xFF).put((byte) 0xE1).putShort((short) (payload.length + 2)).put(payload);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    private static int[] px(RgbImage img, int x, int y) {
        int p = (y * img.width() + x) * 3;
        return new int[] {img.rgb()[p] & 0xff, img.rgb()[p + 1] & 0xff, img.rgb()[p + 2] & 0xff};
    }

    @Test
    void orientationSixIsRotatedClockwise() throws IOException {
        RgbImage raw = DECODER.decode(quadrants());
        RgbImage up = DECODER.decode(withOrientation(quadrants(), 6, false));
        assertEquals(H, up.width());
        assertEquals(W, up.height());
        // Rotated 90 degrees clockwise: the red top-left quadrant is now top-right.
        assertTrue(px(up, H - 3, 2)[0] > 240 && px(up, H - 3, 2)[2] < 16, "top-right is red");
        assertTrue(px(up, 2, 2)[2] > 240 && px(up, 2, 2)[0] < 16, "top-left is blue");
        for (int r = 0; r < W; r++) {
            for (int c = 0; c < H; c++) {
                assertArrayEquals(px(raw, r, H - 1 - c), px(up, c, r), "pixel " + c + "," + r);
            }
        }
    }

    @Test
    void orientationThreeIsRotatedHalfATurn() throws IOException {
        RgbImage raw = DECODER.decode(quadrants());
        RgbImage up = DECODER.decode(withOrientation(quadrants(), 3, true));
        assertEquals(W, up.width());
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertArrayEquals(px(raw, W - 1 - x, H - 1 - y), px(up, x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void orientationEightIsRotatedCounterClockwise() throws IOException {
        RgbImage raw = DECODER.decode(quadrants());
        RgbImage up = DECODER.decode(withOrientation(quadrants(), 8, false));
        assertEquals(H, up.width());
        for (int r = 0; r < W; r++) {
            for (int c = 0; c < H; c++) {
                assertArrayEquals(px(raw, W - 1 - r, c), px(up, c, r), "pixel " + c + "," + r);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8})
    void bothDecodersAgree(int orientation) throws IOException {
        byte[] jpeg = withOrientation(quadrants(), orientation, orientation % 2 == 0);
        assertArrayEquals(DECODER.decodeWithImageIO(jpeg).rgb(), DECODER.decode(jpeg).rgb());
        assertEquals(orientation, DECODER.probe(jpeg).orientation());
    }

    @ParameterizedTest
    @EnumSource(DecodeMode.class)
    void thePreprocessorSeesTheUprightFrame(DecodeMode mode) throws IOException {
        byte[] jpeg = withOrientation(quadrants(), 6, false);
        ImagePreprocessor pre = new ImagePreprocessor(PreprocessorConfig.vitDefaults(32, 32), ImageLimits.DEFAULT, mode);
        ImagePreprocessor.Prepared p = pre.prepare(jpeg);
        assertEquals(H, p.geometry().originalWidth());
        assertEquals(W, p.geometry().originalHeight());
        assertArrayEquals(pre.prepare(DECODER.decode(jpeg)).chw(), p.chw());
    }

    @Test
    void malformedOrMissingExifIsIgnored() throws IOException {
        byte[] plain = quadrants();
        byte[] reference = DECODER.decode(plain).rgb();
        byte[][] broken = {
            withApp1(plain, new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 9}), // 9 entries, none there
            withApp1(plain, new byte[] {'X', 'X', 0, 42, 0, 0, 0, 8}), // no byte order
            withApp1(plain, new byte[] {'I', 'I', 42, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}), // IFD far out
            withOrientation(plain, 9, false), // not an orientation
            withOrientation(plain, 1, true),
        };
        for (byte[] jpeg : broken) {
            assertEquals(1, DECODER.probe(jpeg).orientation());
            assertArrayEquals(reference, DECODER.decode(jpeg).rgb());
        }
    }
}
