package io.vitstream.train.tracking;

import io.vitstream.analytics.Duplicates;
import io.vitstream.analytics.Observation;

import java.util.List;

/**
 * Class-agnostic non-maximum suppression in front of a detector: of two boxes overlapping by
 * more than {@code maxIou}, only the higher-scoring one is kept. DETR is trained to give one box
 * per object, but a weak DETR (the demo's) often gives two or three on one item, and every extra
 * box can start a track of its own. The service does the same before its tracker
 * ({@code vitstream.analytics.duplicate-iou}); {@code evaluate-tracking --nms} measures it.
 */
public record DuplicateSuppression(Detector inner, double maxIou) implements Detector {

    public DuplicateSuppression {
        if (!(maxIou > 0 && maxIou <= 1)) throw new IllegalArgumentException("--nms must be in (0, 1], got " + maxIou);
    }

    @Override
    public List<List<Observation>> detect(EvalSequence sequence) {
        return inner.detect(sequence).stream().map(frame -> suppress(frame, maxIou)).toList();
    }

    /** The boxes kept, highest score first ({@link Duplicates#suppress}). */
    public static List<Observation> suppress(List<Observation> detections, double maxIou) {
        return Duplicates.suppress(detections, maxIou);
    }

    @Override
    public String describe() {
        return inner.describe() + " with class-agnostic NMS at IoU " + maxIou;
    }
}
