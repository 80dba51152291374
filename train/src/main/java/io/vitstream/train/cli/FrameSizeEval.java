package io.vitstream.train.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.DecodeMode;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.image.JpegEncoder;
import io.vitstream.backbone.image.NativeCodec;
import io.vitstream.heads.VisionModel;
import io.vitstream.train.data.DetectionSet;
import io.vitstream.train.eval.DetectionEval;
import io.vitstream.train.loop.Predictions;
import io.vitstream.train.scenes.SceneWriter;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code evaluate --coco DIR --frame-size WxH}: what {@code vitstream.decode.mode} changes. Each
 * scene is scaled to a camera frame (bilinear, as the demo source does), encoded as JPEG at
 * quality 0.9, then decoded and prepared by the service's {@link ImagePreprocessor} in
 * {@code exact} and in {@code fast} mode. Reports AP per mode (boxes mapped back to the scene's
 * pixels), and between the modes the largest difference of any output logit per head and the
 * agreement of each head's top-1 class.
 */
final class FrameSizeEval {

    private static final int BATCH = 32;

    private FrameSizeEval() {}

    static void run(Path modelDir, String detectionHead, DetectionSet val, String frameSize, PrintStream log) {
        String[] wh = frameSize.toLowerCase(Locale.ROOT).split("x");
        if (wh.length != 2) throw new IllegalArgumentException("--frame-size must be WIDTHxHEIGHT, got '" + frameSize + "'");
        int fw = Integer.parseInt(wh[0]);
        int fh = Integer.parseInt(wh[1]);
        Map<DecodeMode, List<List<DetectionEval.Detection>>> dets = new EnumMap<>(DecodeMode.class);
        Map<DecodeMode, Map<String, List<float[]>>> logits = new EnumMap<>(DecodeMode.class);
        Map<DecodeMode, ImagePreprocessor> preprocessors = new EnumMap<>(DecodeMode.class);
        // Classes per answer of each head: the logits' last dimension ([B, K] or [B, Q, K + 1]).
        Map<String, Integer> classes = new LinkedHashMap<>();
        long jpegBytes = 0;
        try (VisionModel model = VisionModel.load(modelDir, Precision.FP32, Device.cpu())) {
            if (!model.heads().containsKey(detectionHead)) {
                throw new IllegalArgumentException("--head " + detectionHead + ": the model's heads are " + model.heads().keySet());
            }
            for (DecodeMode mode : DecodeMode.values()) {
                dets.put(mode, new ArrayList<>());
                logits.put(mode, new LinkedHashMap<>());
                preprocessors.put(mode, new ImagePreprocessor(model.preprocessorConfig(), ImageLimits.DEFAULT, mode));
            }
            for (int start = 0; start < val.size(); start += BATCH) {
                int n = Math.min(val.size(), start + BATCH) - start;
                List<byte[]> frames = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    byte[] jpeg = cameraFrame(SceneWriter.toImage(val, start + i), fw, fh);
                    jpegBytes += jpeg.length;
                    frames.add(jpeg);
                }
                for (DecodeMode mode : DecodeMode.values()) {
                    List<ImagePreprocessor.Prepared> prepared = new ArrayList<>();
                    frames.forEach(f -> prepared.add(preprocessors.get(mode).prepare(f)));
                    try (NDManager m = model.manager().newSubManager(); NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        NDArray x = ImagePreprocessor.toBatch(m, prepared);
                        Map<String, NDList> out = model.forward(null, x, false);
                        for (Map.Entry<String, NDList> h : out.entrySet()) {
                            NDArray first = h.getValue().get(0);
                            if (h.getKey().equals(detectionHead)) {
                                // [layers, B, Q, K+1]: the last decoder layer's class logits.
                                first = first.get(first.getShape().get(0) - 1);
                            }
                            classes.put(h.getKey(), (int) first.getShape().tail());
                            float[] all = first.toFloatArray();
                            int per = all.length / n;
                            List<float[]> list = logits.get(mode).computeIfAbsent(h.getKey(), k -> new ArrayList<>());
                            for (int i = 0; i < n; i++) {
                                list.add(java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per));
                            }
                        }
                        NDList raw = out.get(detectionHead);
                        long layers = raw.get(0).getShape().get(0);
                        // Boxes are relative to the model input, which is the whole frame: in
                        // the scene's pixels they are the same fractions of its size.
                        dets.get(mode).addAll(Predictions.detections(raw.get(0).get(layers - 1).softmax(-1).toFloatArray(),
                                raw.get(1).get(layers - 1).toFloatArray(), n, val.width(), val.height()));
                    }
                }
            }
        }
        DetectionEval eval = new DetectionEval(val.labels().size(), 100);
        var truths = Predictions.truths(val);
        log.printf(Locale.ROOT, "%s on %d scenes scaled to %dx%d JPEG (q0.9, mean %d KB), decoded by %s%n%n",
                modelDir, val.size(), fw, fh, jpegBytes / val.size() / 1000, NativeCodec.describe());
        log.printf("| decode mode | AP50 | AP (0.50:0.95) | AP75 |%n|---|---:|---:|---:|%n");
        for (DecodeMode mode : DecodeMode.values()) {
            DetectionEval.Result r = eval.evaluate(truths, dets.get(mode));
            log.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.4f |%n", mode.code(), r.ap50(), r.ap(), r.ap75());
        }
        log.printf("%n| head | outputs per image | max abs logit difference (fast - exact) | mean abs | top-1 agreement |%n"
                + "|---|---:|---:|---:|---:|%n");
        for (String head : logits.get(DecodeMode.EXACT).keySet()) {
            List<float[]> e = logits.get(DecodeMode.EXACT).get(head);
            List<float[]> f = logits.get(DecodeMode.FAST).get(head);
            boolean detr = head.equals(detectionHead);
            int k = classes.get(head);
            double max = 0;
            double sum = 0;
            long count = 0;
            long agree = 0;
            long rows = 0;
            for (int i = 0; i < e.size(); i++) {
                float[] a = e.get(i);
                float[] b = f.get(i);
                for (int j = 0; j < a.length; j++) {
                    double d = Math.abs(a[j] - b[j]);
                    max = Math.max(max, d);
                    sum += d;
                    count++;
                }
                for (int r = 0; r + k <= a.length; r += k) {
                    if (argmax(a, r, k) == argmax(b, r, k)) agree++;
                    rows++;
                }
            }
            log.printf(Locale.ROOT, "| %s%s | %d | %.4f | %.5f | %.2f %% |%n", head, detr ? " (class logits, per query)" : "",
                    e.get(0).length, max, sum / count, 100.0 * agree / rows);
        }
    }

    private static int argmax(float[] v, int from, int n) {
        int best = from;
        for (int i = from + 1; i < from + n; i++) {
            if (v[i] > v[best]) best = i;
        }
        return best - from;
    }

    /** The scene scaled (bilinear) to a camera frame and encoded as JPEG at quality 0.9. */
    static byte[] cameraFrame(BufferedImage scene, int w, int h) {
        return JpegEncoder.encode(JpegEncoder.scaled(scene, w, h), 0.9f);
    }
}
