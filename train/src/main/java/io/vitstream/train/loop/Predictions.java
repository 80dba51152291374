package io.vitstream.train.loop;

import io.vitstream.train.data.DetectionSet;
import io.vitstream.train.eval.DetectionEval;

import java.util.ArrayList;
import java.util.List;

/** Converts between DETR outputs, data-set boxes and the metric's records. */
public final class Predictions {

    private Predictions() {}

    /**
     * One detection per query, as DETR is evaluated: its most probable real class, that
     * probability as the score, and its box in pixels.
     *
     * @param probs {@code [B, Q, K+1]} softmax probabilities, last class "no object"
     * @param boxes {@code [B, Q, 4]} (cx, cy, w, h) normalized
     */
    public static List<List<DetectionEval.Detection>> detections(float[] probs, float[] boxes, int b, int width, int height) {
        int q = boxes.length / 4 / b;
        int k1 = probs.length / b / q;
        List<List<DetectionEval.Detection>> out = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            List<DetectionEval.Detection> dets = new ArrayList<>();
            for (int j = 0; j < q; j++) {
                int base = (i * q + j) * k1;
                int best = 0;
                for (int c = 1; c < k1 - 1; c++) if (probs[base + c] > probs[base + best]) best = c;
                int at = (i * q + j) * 4;
                float cx = boxes[at] * width;
                float cy = boxes[at + 1] * height;
                float hw = boxes[at + 2] * width / 2;
                float hh = boxes[at + 3] * height / 2;
                dets.add(new DetectionEval.Detection(best, probs[base + best], new float[] {cx - hw, cy - hh, cx + hw, cy + hh}));
            }
            out.add(dets);
        }
        return out;
    }

    /** The ground truth of every image of a data set. */
    public static List<List<DetectionEval.Truth>> truths(DetectionSet data) {
        List<List<DetectionEval.Truth>> out = new ArrayList<>();
        for (DetectionSet.Objects o : data.objects()) {
            List<DetectionEval.Truth> t = new ArrayList<>();
            for (int i = 0; i < o.labels().length; i++) t.add(new DetectionEval.Truth(o.labels()[i], o.boxes()[i]));
            out.add(t);
        }
        return out;
    }

    /**
     * The trivial baseline: for every image, one detection per class, all with the mean
     * training box, scored by the class's share of the training boxes.
     */
    public static List<List<DetectionEval.Detection>> priorBaseline(DetectionSet train, int images) {
        int k = train.labels().size();
        double[] count = new double[k];
        double[] mean = new double[4];
        int n = 0;
        for (DetectionSet.Objects o : train.objects()) {
            for (int i = 0; i < o.labels().length; i++) {
                count[o.labels()[i]]++;
                for (int c = 0; c < 4; c++) mean[c] += o.boxes()[i][c];
                n++;
            }
        }
        float[] box = new float[4];
        for (int c = 0; c < 4; c++) box[c] = (float) (mean[c] / Math.max(1, n));
        List<List<DetectionEval.Detection>> out = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            List<DetectionEval.Detection> dets = new ArrayList<>();
            for (int c = 0; c < k; c++) dets.add(new DetectionEval.Detection(c, (float) (count[c] / Math.max(1, n)), box.clone()));
            out.add(dets);
        }
        return out;
    }
}
