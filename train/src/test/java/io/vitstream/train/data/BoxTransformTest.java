package io.vitstream.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Random;

/** Box updates under scale jitter and flips, and that they follow the rendered pixels. */
class BoxTransformTest {

    private static final float[] ZERO = {0, 0, 0};
    private static final float[] ONE = {1, 1, 1};

    @Test
    void flipMirrorsCorners() {
        BoxTransform.Kept k = new BoxTransform(1, 0, 0, true).apply(new float[][] {{10, 5, 30, 25}}, 100, 50, 0.5);
        assertArrayEquals(new float[] {70, 5, 90, 25}, k.boxes()[0]);
    }

    @Test
    void scaleAndShiftMoveCornersAndClipAtTheBorder() {
        BoxTransform t = new BoxTransform(0.5, 10, 4, false);
        assertArrayEquals(new float[] {15, 6.5f, 25, 16.5f}, t.apply(new float[][] {{10, 5, 30, 25}}, 100, 50, 0.5).boxes()[0]);
        BoxTransform zoom = new BoxTransform(2, -50, 0, false);
        BoxTransform.Kept k = zoom.apply(new float[][] {{20, 5, 40, 15}, {0, 0, 10, 10}, {45, 0, 60, 10}}, 100, 50, 0.4);
        assertArrayEquals(new int[] {0, 2}, k.indices(), "the box pushed out of the canvas is dropped");
        assertArrayEquals(new float[] {0, 10, 30, 30}, k.boxes()[0], "box 0 loses a quarter at the left border and is kept");
        assertArrayEquals(new float[] {40, 0, 70, 20}, k.boxes()[1]);
    }

    @Test
    void dropsBoxesMostlyCutOff() {
        BoxTransform t = new BoxTransform(1, -25, 0, false);
        assertEquals(0, t.apply(new float[][] {{0, 0, 30, 10}}, 100, 50, 0.4).indices().length, "5/30 visible");
        assertEquals(1, t.apply(new float[][] {{0, 0, 60, 10}}, 100, 50, 0.4).indices().length, "35/60 visible");
    }

    @Test
    void boxesFollowThePixelsOfTheRenderedImage() {
        Random rng = new Random(3);
        int w = 48;
        int h = 40;
        for (int trial = 0; trial < 20; trial++) {
            byte[] img = new byte[h * w * 3];
            int x0 = 8 + rng.nextInt(10);
            int y0 = 6 + rng.nextInt(10);
            int x1 = x0 + 10 + rng.nextInt(12);
            int y1 = y0 + 8 + rng.nextInt(10);
            for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) for (int c = 0; c < 3; c++) img[(y * w + x) * 3 + c] = (byte) 255;
            BoxTransform t = BoxTransform.random(rng, h, w, 0.6, 1.4, 0.5);
            BoxTransform.Kept k = t.apply(new float[][] {{x0, y0, x1, y1}}, w, h, 0.01);
            float[] out = new float[3 * h * w];
            t.render(img, 0, h, w, ZERO, ONE, out, 0);
            float[] ink = inkBounds(out, h, w);
            if (k.boxes().length == 0) {
                continue;
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(k.boxes()[0][i], ink[i], 1.01, "corner " + i + " of trial " + trial + " with " + t);
            }
        }
    }

    /** Corners of the pixels at least half bright in channel 0. */
    private static float[] inkBounds(float[] chw, int h, int w) {
        float[] b = {w, h, 0, 0};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (chw[y * w + x] >= 0.5f) {
                    b[0] = Math.min(b[0], x);
                    b[1] = Math.min(b[1], y);
                    b[2] = Math.max(b[2], x + 1);
                    b[3] = Math.max(b[3], y + 1);
                }
            }
        }
        assertTrue(b[2] > 0, "rendered image has no bright pixel");
        return b;
    }
}
