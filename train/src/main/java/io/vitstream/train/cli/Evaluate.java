package io.vitstream.train.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.heads.VisionModel;
import io.vitstream.train.data.BoxTransform;
import io.vitstream.train.data.ClassificationBatches;
import io.vitstream.train.data.DetectionSet;
import io.vitstream.train.data.FashionMnist;
import io.vitstream.train.data.ImageFolder;
import io.vitstream.train.data.ImageSet;
import io.vitstream.train.eval.Accuracy;
import io.vitstream.train.eval.DetectionEval;
import io.vitstream.train.loop.Predictions;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@code evaluate}: a saved model on Fashion-MNIST or an image folder (top-1, top-5, confusion
 * matrix) or on a COCO data set (AP, AP50, AP75, per class); {@code --baseline prior} scores the
 * trivial detection baseline instead of a model.
 */
final class Evaluate {

    private static final int BATCH = 128;

    private Evaluate() {}

    static void run(Args a, PrintStream log) {
        Path coco = a.path("coco", null);
        if (coco != null) {
            detection(a, coco, log);
        } else {
            classification(a, log);
        }
    }

    private static void classification(Args a, PrintStream log) {
        Path folder = a.path("folder", null);
        Path modelDir = Path.of(a.required("model"));
        String head = a.string("head", "classification");
        String split = a.string("split", "test");
        Path fmnist = a.path("data", FashionMnist.DEFAULT_DIR.toString());
        a.requireAllUsed();
        try (VisionModel model = VisionModel.load(modelDir, Precision.FP32, Device.cpu())) {
            PreprocessorConfig pre = model.preprocessorConfig();
            ImageSet data = folder != null ? ImageFolder.load(folder, pre.height(), pre.width(), model.heads().get(head).labels())
                    : FashionMnist.load(fmnist, FashionMnist.Split.valueOf(split.toUpperCase(Locale.ROOT)));
            ClassificationBatches batches = new ClassificationBatches(data, pre.height(), pre.width(), pre.mean(), pre.std(), null);
            Accuracy acc = new Accuracy(data.classes().size());
            for (int start = 0; start < data.size(); start += BATCH) {
                int[] idx = IntStream.range(start, Math.min(data.size(), start + BATCH)).toArray();
                try (NDManager m = model.manager().newSubManager(); NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDList out = model.forward(null, batches.images(m, idx, null), false).get(head);
                    acc.add(out.head().toFloatArray(), batches.labels(idx));
                }
            }
            log.printf(Locale.ROOT, "%s on %d images: top-1 %.4f, top-5 %.4f%n%n%s", modelDir, acc.count(), acc.top1(), acc.top5(),
                    acc.confusionMarkdown(data.classes()));
        }
    }

    private static void detection(Args a, Path coco, PrintStream log) {
        String baseline = a.string("baseline", null);
        int image = a.integer("image", 64);
        DetectionSet val = DetectionSet.loadCoco(coco.resolve("instances.json"), coco, image, image);
        List<List<DetectionEval.Detection>> dets;
        String what;
        if (baseline != null) {
            if (!baseline.equals("prior")) throw new IllegalArgumentException("--baseline must be 'prior', got '" + baseline + "'");
            Path trainDir = Path.of(a.required("train"));
            a.requireAllUsed();
            DetectionSet train = DetectionSet.loadCoco(trainDir.resolve("instances.json"), trainDir, image, image);
            dets = Predictions.priorBaseline(train, val.size());
            what = "prior baseline (mean training box, every class, scored by class frequency)";
        } else {
            Path modelDir = Path.of(a.required("model"));
            String head = a.string("head", "detection");
            String frameSize = a.string("frame-size", null);
            a.requireAllUsed();
            if (frameSize != null) {
                FrameSizeEval.run(modelDir, head, val, frameSize, log);
                return;
            }
            dets = modelDetections(modelDir, head, val);
            what = modelDir.toString();
        }
        DetectionEval.Result r = new DetectionEval(val.labels().size(), 100).evaluate(Predictions.truths(val), dets);
        log.printf(Locale.ROOT, "%s on %d images: AP %.4f, AP50 %.4f, AP75 %.4f%n%n| class | AP | AP50 |%n|---|---:|---:|%n",
                what, val.size(), r.ap(), r.ap50(), r.ap75());
        for (int c = 0; c < val.labels().size(); c++) {
            log.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n", val.labels().get(c), r.perClass()[c][0], r.perClass()[c][1]);
        }
    }

    private static List<List<DetectionEval.Detection>> modelDetections(Path modelDir, String head, DetectionSet val) {
        List<List<DetectionEval.Detection>> out = new ArrayList<>();
        try (VisionModel model = VisionModel.load(modelDir, Precision.FP32, Device.cpu())) {
            PreprocessorConfig pre = model.preprocessorConfig();
            if (pre.height() != val.height() || pre.width() != val.width()) {
                throw new IllegalArgumentException(modelDir + " takes " + pre.height() + "x" + pre.width()
                        + " images; pass --image " + pre.height());
            }
            for (int start = 0; start < val.size(); start += BATCH) {
                int n = Math.min(val.size(), start + BATCH) - start;
                float[] x = new float[n * 3 * val.height() * val.width()];
                for (int i = 0; i < n; i++) {
                    BoxTransform.IDENTITY.render(val.pixels(), (start + i) * val.imageBytes(), val.height(), val.width(),
                            pre.mean(), pre.std(), x, i * 3 * val.height() * val.width());
                }
                try (NDManager m = model.manager().newSubManager(); NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray images = m.create(x, model.inputShape(n));
                    NDList raw = model.forward(null, images, false).get(head);
                    long layers = raw.get(0).getShape().get(0);
                    out.addAll(Predictions.detections(raw.get(0).get(layers - 1).softmax(-1).toFloatArray(),
                            raw.get(1).get(layers - 1).toFloatArray(), n, val.width(), val.height()));
                }
            }
        }
        return out;
    }
}
