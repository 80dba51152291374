package io.vitstream.train.tracking;

import io.vitstream.analytics.Observation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Class-agnostic non-maximum suppression in front of a detector: of two boxes overlapping by
 * more than {@code maxIou}, only the higher-scoring one is kept. DETR is trained to give one box
 * per object, but a weak DETR (the demo's) often gives two or three on one item, and every extra
 * box can start a track of its own. The service does not do this; {@code evaluate-tracking --nms}
 * measures what it would change.
 */
public record DuplicateSuppression(Detector inner, double maxIou) implements Detector {

    public DuplicateSuppression {
        if (!(maxIou > 0 && maxIou <= 1)) throw new IllegalArgumentException("--nms must be in (0, 1], got " + maxIou);
    }

    @Override
    public List<List<Observation>> detect(EvalSequence sequence) {
        return inner.detect(sequence).stream().map(frame -> suppress(frame, maxIou)).toList();
    }

    /**
     * The boxes kept, highest score first (ties in input order): each one overlaps no box kept
     * before it by more than {@code maxIou}.
     */
    public static List<Observation> suppress(List<Observation> detections, double maxIou) {
        List<Observation> byScore = new ArrayList<>(detections);
        byScore.sort(Comparator.comparingDouble(Observation::score).reversed());
        List<Observation> kept = new ArrayList<>();
        for (Observation d : byScore) {
            if (kept.stream().noneMatch(k -> iou(k, d) > maxIou)) kept.add(d);
        }
        return kept;
    }

    static double iou(Observation a, Observation b) {
        double iw = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
        double ih = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih;
        return inter / ((a.x2() - a.x1()) * (a.y2() - a.y1()) + (b.x2() - b.x1()) * (b.y2() - b.y1()) - inter);
    }

    @Override
    public String describe() {
        return inner.describe() + " with class-agnostic NMS at IoU " + maxIou;
    }
}
