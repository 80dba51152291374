package io.vitstream.train.tracking;

import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.sequences.Sequence;
import io.vitstream.analytics.sequences.TruthFrame;
import io.vitstream.backbone.image.JpegEncoder;

import java.util.List;
import java.util.function.IntFunction;

/**
 * One sequence to evaluate a tracker on: its ground truth, the camera's lines and zones, and its
 * frames as a camera would send them (JPEG).
 *
 * @param name for messages and reports
 * @param seed the sequence's seed (noise added to its truth follows it too)
 * @param jpeg frame index to JPEG bytes
 */
public record EvalSequence(String name, long seed, int width, int height, List<TruthFrame> truth, CameraConfig config,
        IntFunction<byte[]> jpeg) {

    /** JPEG quality of rendered frames, as the demo source and {@code evaluate --frame-size} send them. */
    public static final float JPEG_QUALITY = 0.9f;

    /** A generated sequence, each frame rendered and encoded when asked for. */
    public static EvalSequence of(String name, Sequence s, CameraConfig config) {
        return new EvalSequence(name, s.seed(), s.settings().width(), s.settings().height(), s.frames(), config,
                i -> JpegEncoder.encode(s.render(i), JPEG_QUALITY));
    }
}
