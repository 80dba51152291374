package io.vitstream.stream;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/** Real JPEG and PNG bytes for tests. */
public final class Images {

    private Images() {}

    /** A w x h image with a shape whose colour and place depend on {@code seed}, encoded as {@code format}. */
    public static byte[] encoded(int w, int h, int seed, String format) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40 + seed * 37 % 180, 90, 200 - seed * 13 % 150));
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        g.fillOval(seed * 7 % (w / 2), seed * 11 % (h / 2), w / 3, h / 3);
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(img, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A decompression bomb: a valid 2x2 PNG whose header (with a correct CRC) claims
     * {@code w x h} pixels.
     */
    public static byte[] bomb(int w, int h) {
        byte[] png = encoded(2, 2, 0, "png");
        // Signature (8), IHDR length (4), "IHDR" at 12, width and height at 16.
        ByteBuffer.wrap(png, 16, 8).putInt(w).putInt(h);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        return png;
    }

    /** A valid image followed by zeros up to {@code size} bytes (decoders stop at the image's end). */
    public static byte[] encodedPadded(byte[] image, int size) {
        return Arrays.copyOf(image, size);
    }

    /** {@code size} bytes that start like an HTML page: not an image, of any length. */
    public static byte[] notAnImage(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'x');
        byte[] head = "<html>".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }
}
