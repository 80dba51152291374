package io.vitstream.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import io.vitstream.backbone.Precision;
import io.vitstream.heads.VisionModel;
import io.vitstream.train.data.ClassificationBatches;
import io.vitstream.train.data.ImageSet;
import io.vitstream.train.model.Models;
import io.vitstream.train.model.VitSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A short training run on a fixed seed: the loss falls, the model saves and loads, and a resumed run equals an uninterrupted one. */
class TrainerTest {

    private static final float[] HALF = {0.5f, 0.5f, 0.5f};

    /** Three classes of bars told apart by their shape: wide, tall, square, anywhere in the image. */
    private static ImageSet data(int n, long seed) {
        Random rng = new Random(seed);
        int[][] sizes = {{20, 4}, {4, 20}, {10, 10}};
        byte[] px = new byte[n * 28 * 28];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            int w = sizes[labels[i]][0];
            int h = sizes[labels[i]][1];
            int x0 = rng.nextInt(28 - w);
            int y0 = rng.nextInt(28 - h);
            for (int y = y0; y < y0 + h; y++) for (int x = x0; x < x0 + w; x++) px[i * 784 + y * 28 + x] = (byte) 220;
        }
        return new ImageSet(List.of("wide", "tall", "square"), labels, 28, 28, 1, px);
    }

    private static VisionModel tinyModel() {
        return Models.newClassifier(VitSpec.parse("d=32,layers=1,heads=2,mlp=64,patch=4", 28, 28), List.of("wide", "tall", "square"), "mean", 7);
    }

    private static ClassificationTask task(VisionModel model) {
        ClassificationBatches train = new ClassificationBatches(data(192, 1), 28, 28, HALF, HALF, new ClassificationBatches.Augment(0.8, 1, 0.0));
        ClassificationBatches eval = new ClassificationBatches(data(60, 2), 28, 28, HALF, HALF, null);
        return new ClassificationTask(model, "classification", train, eval, false, 0.0);
    }

    private static TrainConfig config(Path out) {
        return TrainConfig.builder().setOut(out).optEpochs(15).optBatchSize(32).optLr(5e-3).optWarmupFraction(0.1)
                .optSaveEverySteps(5).build();
    }

    @Test
    void lossFallsAndTheSavedModelLoads(@TempDir Path dir) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (VisionModel model = tinyModel()) {
            ClassificationTask task = task(model);
            double before = loss(task);
            Trainer.Result r = new Trainer(config(dir), task, new PrintStream(log, true)).run();
            double after = loss(task);
            assertTrue(after < 0.7 * before, "loss " + before + " -> " + after);
            assertTrue(r.metrics().get("top1") > 0.6, "top-1 " + r.metrics());
            assertEquals(90, r.steps());
        }
        assertTrue(log.toString().contains("img/s"), log.toString());
        try (VisionModel loaded = VisionModel.load(dir, Precision.FP32, Device.cpu())) {
            assertEquals(List.of("classification"), List.copyOf(loaded.heads().keySet()));
        }
        assertTrue(Files.isRegularFile(dir.resolve(Checkpoints.LAST).resolve("optimizer.safetensors")));
    }

    @Test
    void anInterruptedRunResumesToTheSameWeights(@TempDir Path dir) {
        Map<String, float[]> straight;
        try (VisionModel model = tinyModel()) {
            new Trainer(config(dir.resolve("a")), task(model), new PrintStream(new ByteArrayOutputStream())).run();
            straight = weights(model);
        }
        try (VisionModel model = tinyModel()) {
            Task crashing = new Crashing(task(model), 40);
            assertThrows(IllegalStateException.class,
                    () -> new Trainer(config(dir.resolve("b")), crashing, new PrintStream(new ByteArrayOutputStream())).run());
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (VisionModel model = tinyModel()) {
            new Trainer(config(dir.resolve("b")), task(model), new PrintStream(log, true)).run();
            assertTrue(log.toString().contains("resuming from"), log.toString());
            Map<String, float[]> resumed = weights(model);
            straight.forEach((k, v) -> {
                float[] w = resumed.get(k);
                for (int i = 0; i < v.length; i++) assertEquals(v[i], w[i], 1e-5, k + "[" + i + "]");
            });
        }
    }

    private static double loss(ClassificationTask task) {
        try (NDManager m = task.model().manager().newSubManager()) {
            return task.loss(m, java.util.stream.IntStream.range(0, 96).toArray(), new Random(0)).getFloat();
        }
    }

    private static Map<String, float[]> weights(VisionModel model) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        ModelParams.all(model).forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
        return out;
    }

    /** Fails at a given step, like a killed process, after the trainer's periodic checkpoint. */
    private record Crashing(Task inner, int failAt, int[] calls) implements Task {
        Crashing(Task inner, int failAt) {
            this(inner, failAt, new int[1]);
        }

        @Override public VisionModel model() { return inner.model(); }
        @Override public Map<String, Parameter> trainable() { return inner.trainable(); }
        @Override public int size() { return inner.size(); }
        @Override public Map<String, Double> evaluate() { return inner.evaluate(); }

        @Override
        public NDArray loss(NDManager manager, int[] batch, Random rng) {
            if (calls[0]++ == failAt) throw new IllegalStateException("simulated interruption");
            return inner.loss(manager, batch, rng);
        }
    }
}
