package io.vitstream.stream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

class JpegTest {

    /** A camera-sized frame: grey, with a red block in the top-left quarter and a blue one bottom right. */
    private static byte[] frame(int w, int h, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.RED);
        g.fillRect(w / 8, h / 8, w / 4, h / 4);
        g.setColor(Color.BLUE);
        g.fillRect(w * 5 / 8, h * 5 / 8, w / 4, h / 4);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    private static BufferedImage read(byte[] jpeg) throws IOException {
        assertEquals(0xFF, jpeg[0] & 0xff);
        assertEquals(0xD8, jpeg[1] & 0xff);
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    @Test
    void jpegPassesAsItIsOtherFormatsAreReencoded() throws IOException {
        byte[] jpeg = frame(1280, 720, "jpg");
        assertSame(jpeg, Jpeg.of(jpeg));
        BufferedImage fromPng = read(Jpeg.of(frame(640, 360, "png")));
        assertEquals(640, fromPng.getWidth());
        assertEquals(360, fromPng.getHeight());
        assertThrows(IllegalArgumentException.class, () -> Jpeg.of(new byte[] {1, 2, 3, 4}));
    }

    @Test
    void a4kFrameScalesToItsPreviewKeepingWhereThingsAre() throws IOException {
        BufferedImage p = read(Jpeg.scaled(frame(3840, 2160, "jpg"), 640));
        assertEquals(640, p.getWidth());
        assertEquals(360, p.getHeight());
        assertArrayEquals(new int[] {255, 0, 0}, rgb(p, 640 / 4, 360 / 4), 40, "red block centre");
        assertArrayEquals(new int[] {0, 0, 255}, rgb(p, 640 * 3 / 4, 360 * 3 / 4), 40, "blue block centre");
        assertArrayEquals(new int[] {128, 128, 128}, rgb(p, 640 / 2, 360 / 2), 30, "grey between");
        // Portrait: the longer side is the height.
        BufferedImage tall = read(Jpeg.scaled(frame(1080, 1920, "jpg"), 480));
        assertEquals(480, tall.getHeight());
        assertEquals(270, tall.getWidth());
        // Already small: unchanged size.
        BufferedImage small = read(Jpeg.scaled(frame(320, 180, "png"), 640));
        assertEquals(320, small.getWidth());
        assertThrows(IllegalArgumentException.class, () -> Jpeg.scaled(new byte[] {1, 2, 3, 4}, 640));
    }

    private static int[] rgb(BufferedImage img, int x, int y) {
        int v = img.getRGB(x, y);
        return new int[] {(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff};
    }

    private static void assertArrayEquals(int[] expected, int[] actual, int tolerance, String what) {
        for (int i = 0; i < 3; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance, what + ": expected ~" + java.util.Arrays.toString(expected)
                    + ", got " + java.util.Arrays.toString(actual));
        }
    }
}
