package io.vitstream.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.heads.VisionModel;
import io.vitstream.heads.classification.ClassificationConfig;
import io.vitstream.heads.classification.ClassificationHead;
import io.vitstream.train.data.ClassificationBatches;
import io.vitstream.train.data.FashionMnist;
import io.vitstream.train.data.ImageSet;
import io.vitstream.train.loop.ClassificationTask;
import io.vitstream.train.model.Models;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * {@code train-classifier --backbone dinov2|resnet50} on 12 Fashion-MNIST images (4 of each of 3
 * classes, one full batch per step, no augmentation): the run writes a model that loads with the
 * chosen backbone, and after 10 steps its loss on that fixed batch is below 0.8 times the loss of the
 * same model as initialized (rebuilt with the same seed). Skipped without Debian's
 * dataset-fashion-mnist.
 */
class BackboneChoiceTest {

    private static final List<String> DATA = List.of("--classes", "0,1,8", "--per-class", "4", "--batch", "12",
            "--epochs", "10", "--eval-every", "10", "--crop-scale", "1", "--flip", "0", "--label-smoothing", "0",
            "--lr", "3e-3", "--warmup", "0", "--wd", "0");

    private static ImageSet train;

    @BeforeAll
    static void data() {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist is not installed");
        train = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN).classes(new int[] {0, 1, 8}, 4, 0);
    }

    private static List<String> args(Path out, String... more) {
        List<String> a = new ArrayList<>(DATA);
        a.addAll(List.of(more));
        a.addAll(List.of("--out", out.toString()));
        return a;
    }

    /** Cross-entropy of a model on the 12 training images, no augmentation. */
    private static float loss(VisionModel model) {
        PreprocessorConfig pre = model.preprocessorConfig();
        ClassificationBatches b = new ClassificationBatches(train, pre.height(), pre.width(), pre.mean(), pre.std(), null);
        ClassificationTask task = new ClassificationTask(model, "classification", b, b, false, 0.0);
        try (NDManager m = model.manager().newSubManager()) {
            return task.loss(m, IntStream.range(0, train.size()).toArray(), new Random(0)).getFloat();
        }
    }

    /** Runs the command, then checks the saved model and that its loss fell against the same model at initialization. */
    private static VisionModel trainAndCheck(Path out, String backbone, String spec, int image, String pooling) {
        Main.run("train-classifier", args(out, "--backbone", backbone, "--" + backbone, spec, "--image", Integer.toString(image)));
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")) && Files.isRegularFile(out.resolve("metrics.json")));
        float before;
        var options = new BackboneOptions(backbone, spec);
        try (VisionModel initial = Models.newClassifier(options.create(image, image), image, image, train.classes(), pooling, 42)) {
            before = loss(initial);
        }
        VisionModel trained = VisionModel.load(out, Precision.FP32, Device.cpu());
        float after = loss(trained);
        assertTrue(after < 0.8 * before, backbone + ": loss on the fixed batch " + before + " -> " + after);
        ClassificationConfig head = ((ClassificationHead) trained.heads().get("classification")).config();
        assertEquals(pooling, head.pooling().label());
        return trained;
    }

    @Test
    void dinov2WithRegistersTrainsSavesAndLoads(@TempDir Path dir) {
        try (VisionModel m = trainAndCheck(dir, "dinov2", "d=32,layers=2,heads=2,patch=7,registers=2,layerscale=0.1", 28,
                "cls+mean")) {
            assertEquals("dinov2_with_registers", m.backbone().architecture());
            assertEquals(3, m.backbone().numPrefixTokens());
        }
    }

    @Test
    void resnet50TrainsSavesAndLoadsThenFineTunesFromItsFolder(@TempDir Path dir) {
        try (VisionModel m = trainAndCheck(dir.resolve("scratch"), "resnet50", "channels=4", 32, "mean")) {
            assertEquals("resnet50", m.backbone().architecture());
            assertEquals(128, m.backbone().hiddenSize());
        }
        Main.run("train-classifier", List.of("--mode", "probe", "--init", dir.resolve("scratch").toString(), "--classes", "0,1,8",
                "--per-class", "4", "--epochs", "1", "--batch", "12", "--out", dir.resolve("probe").toString()));
        try (VisionModel probe = VisionModel.load(dir.resolve("probe"), Precision.FP32, Device.cpu())) {
            assertEquals("resnet50", probe.backbone().architecture());
        }
    }

    @Test
    void resnet50RefusesClassTokenPoolingAndMismatchedOptions(@TempDir Path dir) {
        String cls = assertThrows(IllegalArgumentException.class, () -> Main.run("train-classifier",
                args(dir, "--backbone", "resnet50", "--resnet50", "channels=4", "--image", "32", "--pooling", "cls"))).getMessage();
        assertTrue(cls.contains("'cls' needs a class token") && cls.contains("'mean'"), cls);
        String other = assertThrows(IllegalArgumentException.class, () -> Main.run("train-classifier",
                args(dir, "--dinov2", "d=32,layers=1,heads=2"))).getMessage();
        assertTrue(other.contains("--dinov2 given but --backbone is vit"), other);
        String unknown = assertThrows(IllegalArgumentException.class, () -> Main.run("train-classifier",
                args(dir, "--backbone", "resnet"))).getMessage();
        assertTrue(unknown.contains("vit, dinov2, resnet50"), unknown);
        String key = assertThrows(IllegalArgumentException.class, () -> Main.run("train-classifier",
                args(dir, "--backbone", "resnet50", "--resnet50", "width=4"))).getMessage();
        assertTrue(key.contains("unknown key 'width'"), key);
    }
}
