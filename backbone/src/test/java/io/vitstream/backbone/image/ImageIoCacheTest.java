package io.vitstream.backbone.image;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;

/** ImageIO must not cache frames in temporary files (its default writes each stream to java.io.tmpdir). */
class ImageIoCacheTest {

    @Test
    void loadingTheDecoderSwitchesImageIoToMemoryCaching() {
        new ImageDecoder(ImageLimits.DEFAULT);
        assertFalse(ImageIO.getUseCache(), "ImageIO disk cache still on after ImageDecoder loaded");
    }
}
