package io.vitstream.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import io.vitstream.backbone.Precision;
import io.vitstream.heads.VisionModel;
import io.vitstream.heads.detr.DetrHead;
import io.vitstream.train.data.FashionMnist;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code train-detector} on 8 fashion scenes, one epoch: a new DINOv2 with registers, and an HF
 * {@code DetrForObjectDetection} folder (the reduced ResNet-50 fixture of the heads module) as
 * {@code --init}, whose backbone is kept and whose DETR head is replaced. Skipped without Debian's
 * dataset-fashion-mnist.
 */
class DetectorBackboneTest {

    private static final Path HF_DETR = Path.of("../heads/src/test/resources/detr-hf/c5/timm");

    @TempDir
    static Path scenes;

    @BeforeAll
    static void data() {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist is not installed");
        for (String split : new String[] {"train", "val"}) {
            Main.run("make-scenes", List.of("--count", "8", "--seed", split.equals("train") ? "1" : "2", "--out",
                    scenes.resolve(split).toString()));
        }
    }

    private static List<String> args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("--train", scenes.resolve("train").toString(), "--val",
                scenes.resolve("val").toString(), "--epochs", "1", "--batch", "4", "--d-model", "16", "--heads", "2",
                "--ffn", "32", "--queries", "5", "--decoder-layers", "2", "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void aNewDinov2WithRegistersGetsADetrHead(@TempDir Path out) {
        Main.run("train-detector", args(out, "--backbone", "dinov2", "--dinov2", "d=16,layers=1,heads=2,patch=8,registers=2",
                "--freeze-backbone", "false"));
        try (VisionModel m = VisionModel.load(out, Precision.FP32, Device.cpu())) {
            assertEquals("dinov2_with_registers", m.backbone().architecture());
            assertEquals(List.of("detection", "dominant"), List.copyOf(m.heads().keySet()));
        }
    }

    @Test
    void anHfDetrFolderGivesItsResNetBackbone(@TempDir Path out) {
        Main.run("train-detector", args(out, "--init", HF_DETR.toString(), "--image", "64"));
        try (VisionModel m = VisionModel.load(out, Precision.FP32, Device.cpu());
                VisionModel hf = VisionModel.load(HF_DETR, Precision.FP32, Device.cpu())) {
            assertEquals("resnet50", m.backbone().architecture());
            assertEquals(hf.backbone().toConfigJson(), m.backbone().toConfigJson());
            assertEquals(16, ((DetrHead) m.heads().get("detection")).config().dModel(), "a new head, not HF's d_model 32");
        }
        String wrong = assertThrows(IllegalArgumentException.class,
                () -> Main.run("train-detector", args(out, "--init", HF_DETR.toString(), "--backbone", "dinov2"))).getMessage();
        assertTrue(wrong.contains("--backbone dinov2 but --init") && wrong.contains("resnet50"), wrong);
        String size = assertThrows(IllegalArgumentException.class,
                () -> Main.run("train-detector", args(out, "--init", HF_DETR.toString(), "--resnet50", "channels=8"))).getMessage();
        assertTrue(size.contains("describes a new backbone"), size);
    }
}
