package io.vitstream.analytics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Class-agnostic non-maximum suppression in front of the tracker: of two boxes overlapping by
 * more than {@code maxIou}, only the higher-scoring one is tracked. DETR is trained to give one
 * box per object, but a weak DETR (the demo's) often gives two or three on one item, and every
 * extra box that lasts can start a track of its own ({@code docs/benchmarks.md}, "Tracking
 * accuracy": IDF1 0.54 without, 0.77 at IoU 0.3 on the demo detector).
 */
public final class Duplicates {

    private Duplicates() {}

    /**
     * Which boxes are kept.
     *
     * @param maxIou in (0, 1]; 1 keeps everything
     * @return indices into {@code detections} of the boxes kept, in input order: each overlaps no
     *     higher-scoring kept box (ties: the earlier one) by more than {@code maxIou}
     */
    public static List<Integer> kept(List<Observation> detections, double maxIou) {
        if (!(maxIou > 0 && maxIou <= 1)) {
            throw new IllegalArgumentException("duplicate IoU must be in (0, 1], got " + maxIou);
        }
        List<Integer> byScore = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            byScore.add(i);
        }
        byScore.sort(Comparator.comparingDouble((Integer i) -> detections.get(i).score()).reversed());
        List<Integer> kept = new ArrayList<>();
        for (int i : byScore) {
            if (kept.stream().noneMatch(k -> iou(detections.get(k), detections.get(i)) > maxIou)) {
                kept.add(i);
            }
        }
        kept.sort(null);
        return kept;
    }

    /** The boxes kept ({@link #kept}), highest score first (ties in input order). */
    public static List<Observation> suppress(List<Observation> detections, double maxIou) {
        List<Observation> out = new ArrayList<>(kept(detections, maxIou).stream().map(detections::get).toList());
        out.sort(Comparator.comparingDouble(Observation::score).reversed());
        return out;
    }

    /** Intersection over union of two boxes; 0 when they do not overlap. */
    static double iou(Observation a, Observation b) {
        double[] boxes = {a.x1(), a.y1(), a.x2(), a.y2(), b.x1(), b.y1(), b.x2(), b.y2()};
        return Boxes.iou(boxes, 0, boxes, 4);
    }
}
