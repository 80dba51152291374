package io.vitstream.backbone;

import io.vitstream.backbone.image.JpegEncoder;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

import javax.imageio.ImageIO;

/** Camera-sized test frames made in code (no committed images): a street-like scene with noise. */
public final class CameraFrames {

    private CameraFrames() {}

    /**
     * A camera-like frame: sky and ground gradients, buildings, a road, a few objects with
     * edges, text and sensor noise, as JPEG at quality 0.9 with 4:2:0 chroma (ImageIO's default).
     */
    public static byte[] jpeg(int w, int h, long seed) {
        return encode(scene(w, h, seed), "jpeg");
    }

    /** The same scene with sensor noise of standard deviation {@code noise} (0: none, a smooth frame). */
    public static byte[] jpeg(int w, int h, long seed, double noise) {
        return encode(scene(w, h, seed, noise), "jpeg");
    }

    /** The scene as PNG (lossless, so PNG decoders are compared on the same pixels). */
    public static byte[] png(int w, int h, long seed) {
        return encode(scene(w, h, seed), "png");
    }

    /** The scene: sky and ground gradients, buildings, a road line, objects, a caption, noise. */
    public static BufferedImage scene(int w, int h, long seed) {
        return scene(w, h, seed, 4);
    }

    /** The scene with Gaussian noise of standard deviation {@code noise} per pixel. */
    public static BufferedImage scene(int w, int h, long seed, double noise) {
        Random rnd = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new java.awt.GradientPaint(0, 0, new Color(120, 160, 210), 0, h / 2f, new Color(200, 215, 230)));
        g.fillRect(0, 0, w, h / 2);
        g.setPaint(new java.awt.GradientPaint(0, h / 2f, new Color(90, 95, 85), 0, h, new Color(60, 62, 58)));
        g.fillRect(0, h / 2, w, h - h / 2);
        for (int i = 0; i < 12; i++) {
            int bw = w / 16 + rnd.nextInt(w / 10);
            int bh = h / 6 + rnd.nextInt(h / 4);
            int x = rnd.nextInt(w);
            g.setColor(new Color(80 + rnd.nextInt(120), 70 + rnd.nextInt(100), 60 + rnd.nextInt(90)));
            g.fillRect(x, h / 2 - bh, bw, bh);
            g.setColor(new Color(230, 220, 150));
            for (int wy = h / 2 - bh + 8; wy < h / 2 - 12; wy += 18) {
                for (int wx = x + 6; wx < x + bw - 10; wx += 16) {
                    if (rnd.nextBoolean()) g.fillRect(wx, wy, 8, 10);
                }
            }
        }
        g.setColor(new Color(200, 200, 200));
        g.setStroke(new java.awt.BasicStroke(Math.max(2, w / 320f)));
        g.drawLine(0, h * 3 / 4, w, h * 5 / 8);
        for (int i = 0; i < 6; i++) {
            g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
            int x = rnd.nextInt(w - w / 8);
            int y = h / 2 + rnd.nextInt(h / 3);
            g.fillRoundRect(x, y, w / 10, h / 12, 20, 20);
        }
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.MONOSPACED, Font.BOLD, Math.max(12, h / 30)));
        g.drawString("CAM-" + seed + " 2026-12-02 07:00:00", w / 40, h / 20);
        g.dispose();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < px.length; i++) {
            int n = (int) Math.round(rnd.nextGaussian() * noise);
            int r = clamp(((px[i] >> 16) & 255) + n);
            int gg = clamp(((px[i] >> 8) & 255) + n);
            int b = clamp((px[i] & 255) + n);
            px[i] = (r << 16) | (gg << 8) | b;
        }
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }

    /** JPEG at quality 0.9 (ImageIO: 4:2:0 chroma) or PNG. */
    public static byte[] encode(BufferedImage img, String format) {
        if (format.equals("jpeg")) {
            return JpegEncoder.encode(img, 0.9f);
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(img, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
