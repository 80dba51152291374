package io.vitstream.train.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * COCO-style average precision (Lin et al. 2014; pycocotools' {@code COCOeval} for boxes, area
 * "all", no crowd annotations): per class and IoU threshold, detections (at most
 * {@code maxDetections} per image, best first) are matched greedily in score order to the
 * unmatched ground-truth box of that class with the highest IoU at or above the threshold;
 * precision is made monotone and read at 101 recall points 0, 0.01, ..., 1 (0 where the
 * recall is never reached); AP is their mean. A class with no ground truth is left out of the
 * means, as COCO does.
 */
public final class DetectionEval {

    /** COCO's ten IoU thresholds 0.50, 0.55, ..., 0.95. */
    public static final double[] IOU_THRESHOLDS = {0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95};

    private static final int RECALL_POINTS = 101;

    /** A ground-truth box, corners {@code (x0, y0, x1, y1)} in pixels. */
    public record Truth(int label, float[] box) {}

    /** A detection, corners {@code (x0, y0, x1, y1)} in pixels. */
    public record Detection(int label, float score, float[] box) {}

    /**
     * The figures of one evaluation.
     *
     * @param ap AP averaged over IoU 0.50:0.95 and over classes
     * @param ap50 AP at IoU 0.50
     * @param ap75 AP at IoU 0.75
     * @param perClass per class index: {AP 0.50:0.95, AP50}, or NaN for classes without ground truth
     */
    public record Result(double ap, double ap50, double ap75, double[][] perClass) {

        /** {@code ap}, {@code ap50}, {@code ap75} by name. */
        public Map<String, Double> summary() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("ap50", ap50);
            m.put("ap", ap);
            m.put("ap75", ap75);
            return m;
        }
    }

    private final int numClasses;
    private final int maxDetections;

    public DetectionEval(int numClasses, int maxDetections) {
        this.numClasses = numClasses;
        this.maxDetections = maxDetections;
    }

    /**
     * Evaluates detections against ground truth, image by image.
     *
     * @param truths per image, its ground-truth boxes
     * @param detections per image (same order), its detections
     */
    public Result evaluate(List<List<Truth>> truths, List<List<Detection>> detections) {
        if (truths.size() != detections.size()) {
            throw new IllegalArgumentException(truths.size() + " images of ground truth but " + detections.size() + " of detections");
        }
        List<List<Detection>> kept = new ArrayList<>();
        for (List<Detection> d : detections) {
            List<Detection> sorted = new ArrayList<>(d);
            sorted.sort(Comparator.comparingDouble((Detection x) -> x.score()).reversed());
            kept.add(sorted.subList(0, Math.min(maxDetections, sorted.size())));
        }
        double[][] perClass = new double[numClasses][2];
        double[] sumPerThreshold = new double[IOU_THRESHOLDS.length];
        int classesWithTruth = 0;
        for (int c = 0; c < numClasses; c++) {
            double[] ap = new double[IOU_THRESHOLDS.length];
            for (int t = 0; t < IOU_THRESHOLDS.length; t++) {
                ap[t] = averagePrecision(c, IOU_THRESHOLDS[t], truths, kept);
            }
            if (ap[0] < 0) {
                perClass[c] = new double[] {Double.NaN, Double.NaN};
                continue;
            }
            classesWithTruth++;
            for (int t = 0; t < ap.length; t++) sumPerThreshold[t] += ap[t];
            perClass[c] = new double[] {Arrays.stream(ap).average().orElse(0), ap[0]};
        }
        if (classesWithTruth == 0) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, perClass);
        }
        double[] mean = new double[sumPerThreshold.length];
        for (int t = 0; t < mean.length; t++) mean[t] = sumPerThreshold[t] / classesWithTruth;
        return new Result(Arrays.stream(mean).average().orElse(0), mean[0], mean[5], perClass);
    }

    /** AP of one class at one threshold, or -1 when the class has no ground truth. */
    static double averagePrecision(int label, double threshold, List<List<Truth>> truths, List<List<Detection>> dets) {
        List<double[]> scored = new ArrayList<>();
        int positives = 0;
        for (int i = 0; i < truths.size(); i++) {
            List<float[]> gts = new ArrayList<>();
            for (Truth g : truths.get(i)) if (g.label() == label) gts.add(g.box());
            positives += gts.size();
            boolean[] taken = new boolean[gts.size()];
            for (Detection d : dets.get(i)) {
                if (d.label() != label) continue;
                int match = bestMatch(d.box(), gts, taken, threshold);
                if (match >= 0) taken[match] = true;
                scored.add(new double[] {d.score(), match >= 0 ? 1 : 0});
            }
        }
        if (positives == 0) return -1;
        // Stable sort by score, like COCO's mergesort over the per-image lists.
        scored.sort(Comparator.comparingDouble((double[] s) -> s[0]).reversed());
        return interpolated(scored, positives);
    }

    /** The unmatched truth with the highest IoU at or above the threshold, or -1. */
    private static int bestMatch(float[] box, List<float[]> gts, boolean[] taken, double threshold) {
        double best = Math.min(threshold, 1 - 1e-10);
        int m = -1;
        for (int j = 0; j < gts.size(); j++) {
            if (taken[j]) continue;
            double iou = iou(box, gts.get(j));
            if (iou < best) continue;
            best = iou;
            m = j;
        }
        return m;
    }

    /** 101-point interpolated AP of score-sorted {score, isTruePositive} rows. */
    static double interpolated(List<double[]> scored, int positives) {
        int n = scored.size();
        double[] recall = new double[n];
        double[] precision = new double[n];
        int tp = 0;
        for (int i = 0; i < n; i++) {
            tp += (int) scored.get(i)[1];
            recall[i] = (double) tp / positives;
            precision[i] = (double) tp / (i + 1);
        }
        for (int i = n - 1; i > 0; i--) precision[i - 1] = Math.max(precision[i - 1], precision[i]);
        double sum = 0;
        int idx = 0;
        for (int r = 0; r < RECALL_POINTS; r++) {
            double point = r / (double) (RECALL_POINTS - 1);
            // A tolerance so that 3/10 reaches the 0.30 point despite binary fractions.
            while (idx < n && recall[idx] < point - 1e-12) idx++;
            if (idx < n) sum += precision[idx];
        }
        return sum / RECALL_POINTS;
    }

    /** IoU of two corner boxes (pycocotools' continuous areas, no +1). */
    public static double iou(float[] a, float[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih;
        double union = area(a) + area(b) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    private static double area(float[] b) {
        return Math.max(0, b[2] - b[0]) * (double) Math.max(0, b[3] - b[1]);
    }
}
