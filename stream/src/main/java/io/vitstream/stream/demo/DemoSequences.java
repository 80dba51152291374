package io.vitstream.stream.demo;

import io.vitstream.analytics.sequences.DemoCamera;
import io.vitstream.analytics.sequences.Sequence;
import io.vitstream.analytics.sequences.SequenceGenerator;
import io.vitstream.analytics.sequences.SequenceSettings;
import io.vitstream.analytics.sequences.Sprites;
import io.vitstream.backbone.image.JpegEncoder;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's moving scenes: per camera one generated sequence of Fashion-MNIST items crossing a
 * camera-sized frame (its own seed), looped, and the camera's line and zone ({@link DemoCamera}:
 * line "middle" drawn bottom to top, so an item moving right crosses it {@code in}; zone
 * "centre"), so a first run shows tracks and events.
 */
final class DemoSequences {

    private final List<Sequence> sequences = new ArrayList<>();
    private final int width;
    private final int height;

    /**
     * @param cameras one sequence each
     * @param perCameraFps frames per second each camera sends: item speeds are per second, so they cross the frame in about 12 to 50 s (a few per cent of its width per frame at the default 4/3 frames/s per camera)
     */
    DemoSequences(int cameras, int width, int height, double perCameraFps) {
        this.width = width;
        this.height = height;
        SequenceSettings d = SequenceSettings.DEFAULT;
        SequenceSettings s = new SequenceSettings(width, height, d.frames(), perCameraFps, d.objects(), 0.8, 1.2, 0.02, 0.08,
                d.noise(), d.occlusionProbability(), d.maxOcclusion(), d.maxOverlap());
        Sprites sprites = Sprites.bundled();
        for (int c = 0; c < cameras; c++) {
            sequences.add(SequenceGenerator.generate(s, sprites, 1000 + c));
        }
    }

    /** Frame {@code n} of camera {@code camera}'s sequence (looped), as JPEG. */
    byte[] frame(int camera, long n) {
        Sequence s = sequences.get(camera);
        BufferedImage grey = s.render((int) (n % s.frames().size()));
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        rgb.getGraphics().drawImage(grey, 0, 0, null);
        return JpegEncoder.encode(rgb, 0.9f);
    }

    /** The demo cameras' line and zone ({@link DemoCamera}), as the camera-config topic takes them. */
    String cameraConfigJson() {
        return DemoCamera.config(width, height).toJson();
    }
}
