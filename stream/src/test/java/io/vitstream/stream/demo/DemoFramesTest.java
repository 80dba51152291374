package io.vitstream.stream.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

import javax.imageio.ImageIO;

class DemoFramesTest {

    @Test
    void bundledScenesGoOutAsCameraSizedJpeg() throws IOException {
        List<DemoFrames.Image> original = DemoFrames.load(Optional.empty(), "original");
        List<DemoFrames.Image> camera = DemoFrames.load(Optional.empty(), "1280x720");
        assertEquals(original.size(), camera.size());
        assertTrue(original.size() >= 3, "bundled scenes: " + original.size());
        for (int i = 0; i < camera.size(); i++) {
            byte[] b = camera.get(i).bytes();
            assertEquals(0xFF, b[0] & 0xff, "JPEG SOI");
            assertEquals(0xD8, b[1] & 0xff, "JPEG SOI");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(b));
            assertEquals(1280, img.getWidth());
            assertEquals(720, img.getHeight());
            BufferedImage small = ImageIO.read(new ByteArrayInputStream(original.get(i).bytes()));
            assertTrue(small.getWidth() < 1280, "the bundled files are the small scenes");
            // The same scene: the centre pixel's colour survives scaling and JPEG within a little.
            int a = small.getRGB(small.getWidth() / 2, small.getHeight() / 2);
            int c = img.getRGB(640, 360);
            for (int shift = 0; shift <= 16; shift += 8) {
                assertTrue(Math.abs(((a >> shift) & 255) - ((c >> shift) & 255)) <= 40, "scene " + i + " centre colour");
            }
        }
        assertArrayEquals(original.get(0).bytes(), DemoFrames.load(Optional.empty(), "original").get(0).bytes());
    }

    @Test
    void aBadSizeNamesTheSetting() {
        for (String bad : new String[] {"1280", "0x0", "big", "100000x100000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoFrames.load(Optional.empty(), bad));
            assertTrue(e.getMessage().startsWith("vitstream.demo.frame-size"), e.getMessage());
        }
    }
}
