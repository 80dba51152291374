package io.vitstream.stream.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.LineSpec;
import io.vitstream.analytics.Point;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Optional;

import javax.imageio.ImageIO;

/** The demo cameras: camera-sized JPEGs of their own sequences, and a line and a zone that parse and point the documented way. */
class DemoSequencesTest {

    @Test
    void eachCameraSendsCameraSizedJpegsOfItsOwnSequence() throws Exception {
        DemoSequences demo = new DemoSequences(2, 1280, 720, 4.0 / 3);
        byte[] a = demo.frame(0, 40);
        byte[] b = demo.frame(1, 40);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(a));
        assertEquals(1280, img.getWidth());
        assertEquals(720, img.getHeight());
        assertEquals((byte) 0xFF, a[0]);
        assertEquals((byte) 0xD8, a[1]);
        assertFalse(Arrays.equals(a, b), "the cameras show different sequences");
        assertTrue(Arrays.equals(a, demo.frame(0, 40 + 300)), "a sequence loops after its 300 frames");
    }

    @Test
    void theLineCountsMovingRightAsIn() {
        CameraConfig c = CameraConfig.fromJson(new DemoSequences(1, 1280, 720, 1).cameraConfigJson());
        LineSpec door = c.lines().get(0);
        assertEquals("middle", door.name());
        assertEquals(Optional.of(LineSpec.Direction.IN), door.crossing(new Point(600, 400), new Point(680, 400)));
        assertEquals(Optional.of(LineSpec.Direction.OUT), door.crossing(new Point(680, 400), new Point(600, 400)));
        assertEquals("centre", c.zones().get(0).name());
    }
}
