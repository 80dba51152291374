package io.vitstream.backbone.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.backbone.Fixtures;
import io.vitstream.backbone.image.BadImageException.Reason;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/** Bad input is refused with a reason and a message that says what was received. */
class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(new ImageLimits(100_000, 1_000_000));

    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(Fixtures.fixture("preprocess").resolve(name));
    }

    private BadImageException refuse(byte[] bytes) {
        return assertThrows(BadImageException.class, () -> decoder.decode(bytes));
    }

    @Test
    void decodesGoodJpegAndPng() throws IOException {
        assertEquals(80, decoder.decode(fixture("photo.jpg")).width());
        assertEquals(ImageFormat.PNG, decoder.probe(fixture("gray.png")).format());
    }

    @Test
    void emptyAndNonImagesSayWhatTheyAre() {
        assertEquals(Reason.EMPTY, refuse(new byte[0]).reason());
        BadImageException e = refuse("<html><body>oops</body></html>".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Reason.NOT_AN_IMAGE, e.reason());
        assertTrue(e.getMessage().contains("3c 68 74 6d"), e.getMessage());
        assertEquals(Reason.UNSUPPORTED_FORMAT, refuse("GIF89a....".getBytes(StandardCharsets.US_ASCII)).reason());
    }

    @Test
    void truncatedJpegAndPngAreTruncated() throws IOException {
        byte[] jpeg = fixture("photo.jpg");
        BadImageException e = refuse(Arrays.copyOf(jpeg, jpeg.length / 2));
        assertEquals(Reason.TRUNCATED, e.reason());
        assertTrue(e.getMessage().contains("end-of-image"), e.getMessage());
        byte[] png = fixture("gradient_shapes.png");
        assertEquals(Reason.TRUNCATED, refuse(Arrays.copyOf(png, png.length - 20)).reason());
    }

    @Test
    void oversizedBytesAreRefusedBeforeDecoding() {
        byte[] big = new byte[100_001];
        big[0] = (byte) 0xFF;
        assertEquals(Reason.TOO_LARGE, refuse(big).reason());
    }

    /** A tiny PNG whose header claims 30000 x 30000 pixels is refused from the header alone. */
    @Test
    void decompressionBombIsRefusedFromTheHeader() throws IOException {
        byte[] png = png(2, 2);
        ByteBuffer ihdr = ByteBuffer.wrap(png, 16, 8);
        ihdr.putInt(30_000).putInt(30_000);
        fixCrc(png, 12, 17);
        BadImageException e = refuse(png);
        assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
        assertTrue(e.getMessage().contains("30000x30000"), e.getMessage());
    }

    @Test
    void corruptDataIsCorrupt() throws IOException {
        byte[] jpeg = fixture("photo.jpg");
        byte[] bad = jpeg.clone();
        // Keep SOI and EOI, wreck the segment headers in between.
        Arrays.fill(bad, 4, 200, (byte) 0x00);
        BadImageException e = refuse(bad);
        assertEquals(Reason.CORRUPT, e.reason());
    }

    /**
     * A library's exception text is never the whole message: it comes after a plain statement of
     * what happened, as detail, with the reason {@code corrupt}.
     */
    @Test
    void libraryErrorsAreExplainedNotPassedOn() throws IOException {
        byte[] jpeg = fixture("photo.jpg").clone();
        Arrays.fill(jpeg, 4, 200, (byte) 0x00);
        byte[] png = PngWriter.headerOnly(2, 2, 2, 8);
        java.util.List<BadImageException> refused = java.util.List.of(
                assertThrows(BadImageException.class, () -> decoder.decodeWithImageIO(jpeg)),
                assertThrows(BadImageException.class, () -> decoder.decodeWithImageIO(png)),
                refuse(jpeg),
                refuse(png));
        for (BadImageException e : refused) {
            assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().matches("(JPEG|PNG) data is damaged or uses a feature the decoder does not support"
                    + " \\(\\d+ bytes; .+\\)"), e.getMessage());
        }
        assertTrue(refused.get(1).getMessage().contains("ImageIO says "), refused.get(1).getMessage());
    }

    private static byte[] png(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    /** Recomputes the CRC of the chunk whose type starts at {@code typeAt} with {@code length} data bytes. */
    private static void fixCrc(byte[] png, int typeAt, int lengthWithType) {
        CRC32 crc = new CRC32();
        crc.update(png, typeAt, lengthWithType);
        ByteBuffer.wrap(png, typeAt + lengthWithType, 4).putInt((int) crc.getValue());
    }
}
