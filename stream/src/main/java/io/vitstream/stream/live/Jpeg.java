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

    /**
     * The frame as JPEG with its longer side at most {@code maxSide} pixels (as it is when already
     * that small). Large frames are subsampled while decoding, so a 4K frame costs little more than
     * its preview.
     *
     * @throws IllegalArgumentException when the bytes are not an image ImageIO reads
     */
    static byte[] scaled(byte[] encoded, int maxSide) {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("the frame's format cannot be shown (not JPEG, PNG, BMP or GIF)");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                int side = Math.max(w, h);
                if (side <= maxSide) {
                    return of(encoded);
                }
                javax.imageio.ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, side / maxSide);
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage sub = reader.read(0, param);
                double f = (double) maxSide / side;
                int tw = Math.max(1, (int) Math.round(w * f));
                int th = Math.max(1, (int) Math.round(h * f));
                BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
                java.awt.Graphics2D g = out.createGraphics();
                g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(sub, 0, 0, tw, th, null);
                g.dispose();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ImageIO.write(out, "jpg", bytes);
                return bytes.toByteArray();
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the frame cannot be read: " + e.getMessage(), e);
        }
    }
}
