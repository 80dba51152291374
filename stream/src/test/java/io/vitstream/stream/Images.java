package io.vitstream.stream;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

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
}
