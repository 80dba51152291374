package io.vitstream.heads.box;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LetterboxTest {

    @Test
    void fitPicksTheLimitingSide() {
        // 640x480 into 800x800: width limits (1.25 < 1.67), giving 800x600 plus 200 rows of padding.
        assertEquals(1.25, Letterbox.fit(640, 480, 800, 800).scale(), 0.0);
        assertEquals(1.25, Letterbox.fit(480, 640, 800, 800).scale(), 0.0);
        assertEquals(0.5, Letterbox.fit(1600, 900, 800, 800).scale(), 0.0);
    }

    @Test
    void landscapeImagePaddedAtTheBottom() {
        Letterbox letterbox = Letterbox.fit(640, 480, 800, 800);
        // Normalized to the padded 800x800 input: centre (400, 200), size 200x100, corners
        // (300, 150)-(500, 250); undoing the 1.25 resize gives (240, 120)-(400, 200).
        float[][] pixels = Boxes.scaleToPixels(
                new float[][] {{0.5f, 0.25f, 0.25f, 0.125f}}, letterbox);
        assertArrayEquals(new float[] {240f, 120f, 400f, 200f}, pixels[0], 1e-3f);
    }

    @Test
    void portraitImagePaddedOnTheRightThenClipped() {
        Letterbox letterbox = Letterbox.fit(480, 640, 800, 800);
        // Input corners (400, 0)-(800, 800) -> original (320, 0)-(640, 640); the right half lies
        // in the padding, past the 480-pixel-wide image, until clipped.
        float[][] pixels = Boxes.scaleToPixels(new float[][] {{0.75f, 0.5f, 0.5f, 1f}}, letterbox);
        assertArrayEquals(new float[] {320f, 0f, 640f, 640f}, pixels[0], 1e-3f);
        float[][] clipped = Boxes.clip(pixels, letterbox.origW(), letterbox.origH());
        assertArrayEquals(new float[] {320f, 0f, 480f, 640f}, clipped[0], 1e-3f);
    }

    @Test
    void explicitScaleWithRoundedSize() {
        // 333 * 0.6 = 199.8, resized to 200 pixels: fits within the one pixel of slack.
        Letterbox letterbox = new Letterbox(333, 100, 200, 64, 0.6);
        float[][] pixels = Boxes.scaleToPixels(new float[][] {{0.5f, 0.5f, 1f, 1f}}, letterbox);
        assertArrayEquals(new float[] {0f, 0f, 200f / 0.6f, 64f / 0.6f}, pixels[0], 1e-3f);
    }

    @Test
    void rejectsAScaleThatOverflowsTheInput() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new Letterbox(640, 480, 800, 800, 2.0));
        assertTrue(e.getMessage().contains("1280"), e.getMessage());
    }

    @Test
    void rejectsNonPositiveSizesAndScales() {
        IllegalArgumentException size = assertThrows(
                IllegalArgumentException.class, () -> Letterbox.fit(0, 480, 800, 800));
        assertTrue(size.getMessage().contains("origW") && size.getMessage().contains("0"),
                size.getMessage());
        IllegalArgumentException input = assertThrows(
                IllegalArgumentException.class, () -> Letterbox.fit(640, 480, 800, -1));
        assertTrue(input.getMessage().contains("inputH"), input.getMessage());
        IllegalArgumentException scale = assertThrows(
                IllegalArgumentException.class, () -> new Letterbox(640, 480, 800, 800, Double.NaN));
        assertTrue(scale.getMessage().contains("NaN"), scale.getMessage());
    }
}
