package io.vitstream.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.vitstream.heads.loss.DetectionTarget;
import io.vitstream.train.data.BoxTransform;
import io.vitstream.train.data.DetectionSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Model inputs and DETR targets from a {@link DetectionSet}, each image through its own
 * {@link BoxTransform} (identity for evaluation).
 */
final class DetectionBatches {

    /** Boxes keeping less of their area than this after a transform are dropped. */
    static final double MIN_VISIBLE = 0.4;

    private final DetectionSet data;
    private final float[] mean;
    private final float[] std;

    DetectionBatches(DetectionSet data, float[] mean, float[] std) {
        this.data = data;
        this.mean = mean;
        this.std = std;
    }

    DetectionSet data() {
        return data;
    }

    /** {@code [B, 3, H, W]} normalized images. */
    NDArray images(NDManager manager, int[] indices, BoxTransform[] transforms) {
        int plane = 3 * data.height() * data.width();
        float[] out = new float[indices.length * plane];
        for (int i = 0; i < indices.length; i++) {
            transforms[i].render(data.pixels(), indices[i] * data.imageBytes(), data.height(), data.width(), mean, std, out, i * plane);
        }
        return manager.create(out, new Shape(indices.length, 3, data.height(), data.width()));
    }

    /** Targets with boxes (cx, cy, w, h) normalized to the image, after each transform. */
    List<DetectionTarget> targets(int[] indices, BoxTransform[] transforms) {
        List<DetectionTarget> out = new ArrayList<>();
        for (int i = 0; i < indices.length; i++) {
            DetectionSet.Objects o = data.objects().get(indices[i]);
            BoxTransform.Kept kept = transforms[i].apply(o.boxes(), data.width(), data.height(), MIN_VISIBLE);
            int[] labels = new int[kept.indices().length];
            float[][] boxes = new float[labels.length][];
            for (int k = 0; k < labels.length; k++) {
                labels[k] = o.labels()[kept.indices()[k]];
                float[] b = kept.boxes()[k];
                boxes[k] = new float[] {(b[0] + b[2]) / 2 / data.width(), (b[1] + b[3]) / 2 / data.height(),
                    (b[2] - b[0]) / data.width(), (b[3] - b[1]) / data.height()};
            }
            out.add(new DetectionTarget(labels, boxes));
        }
        return out;
    }

    /** The label of the largest box of a target, or -1 when it has none. */
    static int largest(DetectionTarget t) {
        int best = -1;
        double area = -1;
        for (int i = 0; i < t.size(); i++) {
            double a = (double) t.boxes()[i][2] * t.boxes()[i][3];
            if (a > area) {
                area = a;
                best = t.labels()[i];
            }
        }
        return best;
    }
}
