package io.vitstream.heads.detr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import io.vitstream.backbone.image.ImageGeometry;
import io.vitstream.heads.PostProcessor;
import io.vitstream.results.Box;
import io.vitstream.results.Detection;
import io.vitstream.results.HeadResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DETR predictions to labelled boxes, as Hugging Face's {@code post_process_object_detection}
 * does: softmax over the classes, drop "no object", take each query's best class and its
 * probability as the score, keep scores above the threshold, convert (cx, cy, w, h) to corners.
 * Boxes are then mapped from the model input back to the ORIGINAL frame through its
 * {@link ImageGeometry} (resize, letterbox padding, crop) and clipped to it. Results are sorted
 * by score and capped at {@code max_detections}.
 */
final class DetrPostProcessor implements PostProcessor {

    private final DetrConfig config;

    DetrPostProcessor(DetrConfig config) {
        this.config = config;
    }

    /**
     * @param raw {@code logits [L, B, Q, K+1]}, {@code boxes [L, B, Q, 4]}; the last layer is used
     */
    @Override
    public List<HeadResult> process(NDList raw, List<ImageGeometry> geometries) {
        long layers = raw.get(0).getShape().get(0);
        NDArray probs = raw.get(0).get(layers - 1).toType(DataType.FLOAT32, false).softmax(-1);
        NDArray boxes = raw.get(1).get(layers - 1).toType(DataType.FLOAT32, false);
        int b = (int) probs.getShape().get(0);
        int q = (int) probs.getShape().get(1);
        int k1 = (int) probs.getShape().get(2);
        float[] p = probs.toFloatArray();
        float[] bx = boxes.toFloatArray();
        List<HeadResult> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            List<Detection> found = new ArrayList<>();
            for (int j = 0; j < q; j++) {
                int base = (i * q + j) * k1;
                int best = 0;
                for (int c = 1; c < k1 - 1; c++) {
                    if (p[base + c] > p[base + best]) best = c;
                }
                float score = p[base + best];
                if (score > config.scoreThreshold()) {
                    found.add(new Detection(best, config.labels().get(best), score, toPixels(bx, (i * q + j) * 4, geometries.get(i))));
                }
            }
            found.sort(Comparator.comparingDouble(Detection::score).reversed());
            out.add(new HeadResult.Detections(found.subList(0, Math.min(found.size(), config.maxDetections()))));
        }
        return out;
    }

    /** Normalized (cx, cy, w, h) of the model input to clipped corners in original pixels. */
    static Box toPixels(float[] b, int at, ImageGeometry g) {
        double cx = b[at] * g.inputWidth();
        double cy = b[at + 1] * g.inputHeight();
        double hw = b[at + 2] * g.inputWidth() / 2;
        double hh = b[at + 3] * g.inputHeight() / 2;
        return new Box(clip(g.toOriginalX(cx - hw), g.originalWidth()), clip(g.toOriginalY(cy - hh), g.originalHeight()),
                clip(g.toOriginalX(cx + hw), g.originalWidth()), clip(g.toOriginalY(cy + hh), g.originalHeight()));
    }

    private static float clip(double v, int max) {
        return (float) Math.min(Math.max(v, 0), max);
    }
}
