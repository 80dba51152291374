package io.vitstream.stream.explain;

import io.vitstream.backbone.image.JpegEncoder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** The bundled demo detector and camera-like JPEG frames made from the demo's pictures. */
final class DemoInputs {

    static final Path DETR = Path.of("src/main/resources/demo/models/fashion-scenes-detr");

    private DemoInputs() {}

    /** Demo picture {@code n} scaled to {@code w x h}, as JPEG (quality 0.9). */
    static byte[] jpeg(int n, int w, int h) {
        return JpegEncoder.encode(JpegEncoder.scaled(picture(n), w, h), 0.9f);
    }

    static BufferedImage picture(int n) {
        Path p = Path.of(String.format("src/main/resources/demo/frames/images/frame-%05d.png", n));
        try {
            return ImageIO.read(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
