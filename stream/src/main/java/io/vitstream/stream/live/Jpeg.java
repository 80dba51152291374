package io.vitstream.stream.live;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** A frame's bytes as JPEG for the browser: JPEG as it came, other formats re-encoded. */
final class Jpeg {

    private Jpeg() {}

    /**
     * @throws IllegalArgumentException when the bytes are neither JPEG nor a format ImageIO reads
     */
    static byte[] of(byte[] encoded) {
        if (encoded.length > 2 && (encoded[0] & 0xff) == 0xFF && (encoded[1] & 0xff) == 0xD8) {
            return encoded;
        }
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
            if (img == null) {
                throw new IllegalArgumentException("the frame's format cannot be shown (not JPEG, PNG, BMP or GIF)");
            }
            BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = rgb.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(rgb, "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
