package io.vitstream.backbone.onnx;

import static io.vitstream.backbone.Fixtures.assertClose;
import static io.vitstream.backbone.Fixtures.expected;
import static io.vitstream.backbone.Fixtures.fixture;
import static io.vitstream.backbone.Fixtures.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Backbones;
import io.vitstream.backbone.Djl;
import io.vitstream.backbone.Features;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.checkpoint.CheckpointFolder;
import io.vitstream.backbone.checkpoint.Weights;
import io.vitstream.backbone.resnet.ResNet;
import io.vitstream.backbone.resnet.ResNetConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The encoder on ONNX Runtime against the same independent PyTorch reference as the DJL path
 * ({@code tools/vit_reference.py} fixtures): tokens within 1e-4, for every fixture variant (GELU
 * and tanh-GELU, no qkv bias, registers with and without class token, f16/bf16 checkpoints, and
 * position embeddings resampled to other input sizes).
 */
class OnnxRuntimeEncoderTest {

    private static final float TOLERANCE = 1e-4f;

    @ParameterizedTest
    @ValueSource(strings = {"vit-tiny-gelu", "vit-nobias-tanh", "vit-registers-nocls", "vit-registers-cls", "vit-f16", "vit-bf16"})
    void matchesPyTorchReference(String name) {
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone vit = load(name, m);
            NDArray pixels = expected(name, m).get("pixel_values");
            NDArray want = expected(name, m).get("last_hidden_state");
            long[] s = pixels.getShape().getShape();
            try (OnnxRuntimeEncoder ort = OnnxRuntimeEncoder.open(vit, (int) s[2], (int) s[3], 2)) {
                Features out = ort.features(pixels);
                assertClose(out.tokens(), want, TOLERANCE, name + " tokens");
                assertEquals(vit.numPrefixTokens(), out.numPrefixTokens());
                assertEquals(vit.hasClassToken(), out.hasClassToken());
                // a batch of one gives the same tokens as that image in the batch (symbolic batch axis)
                Features one = ort.features(pixels.get("0:1"));
                assertClose(one.tokens(), want.get("0:1"), TOLERANCE, name + " first image alone");
            }
        }
    }

    @Test
    void positionEmbeddingsResampledForOtherSizes() {
        String name = "vit-resample-nonsquare";
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone vit = load(name, m);
            Map<String, NDArray> exp = expected(name, m);
            for (String suffix : new String[] {"", "_small"}) {
                NDArray pixels = exp.get("pixel_values" + suffix);
                long[] s = pixels.getShape().getShape();
                try (OnnxRuntimeEncoder ort = OnnxRuntimeEncoder.open(vit, (int) s[2], (int) s[3], 2)) {
                    assertClose(ort.features(pixels).tokens(), exp.get("last_hidden_state" + suffix), TOLERANCE,
                            "tokens" + suffix);
                    assertFalse(ort.accepts((int) s[2] + vit.patchSize(), (int) s[3]));
                    NDArray other = m.zeros(new ai.djl.ndarray.types.Shape(1, 3, s[2] + vit.patchSize(), s[3]));
                    assertThrows(IllegalArgumentException.class, () -> ort.features(other));
                }
            }
        }
    }

    /** The encoder is built from the weights the model holds now (fine-tuned ones), not from the file. */
    @Test
    void aChangedWeightIsSeen() {
        String name = "vit-tiny-gelu";
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone vit = load(name, m);
            NDArray pixels = expected(name, m).get("pixel_values");
            NDArray w = vit.namedParameters().get("encoder.layer.0.attention.attention.value.bias").getArray();
            w.addi(0.05f);
            long[] s = pixels.getShape().getShape();
            try (OnnxRuntimeEncoder ort = OnnxRuntimeEncoder.open(vit, (int) s[2], (int) s[3], 1)) {
                NDArray torch = vit.features(pixels).tokens();
                NDArray onnx = ort.features(pixels).tokens();
                assertClose(onnx, torch, TOLERANCE, "both runtimes see the changed weight");
                assertTrue(maxAbsDiff(onnx, expected(name, m).get("last_hidden_state")) > 10 * TOLERANCE);
            }
        }
    }

    /**
     * A ResNet-50 (reduced widths, timm's block structure) on ONNX Runtime against its own PyTorch
     * path, with random frozen-norm statistics so that the folding matters: any input size from
     * one session (the graph's height and width are symbolic), the ceil grid of odd sizes, and the
     * dilated C5 variant.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void resNetMatchesItsPyTorchPathAtAnySize(boolean dilated) {
        try (NDManager m = NDManager.newBaseManager()) {
            Djl.engine().setRandomSeed(11);
            ResNet net = new ResNet(new ResNetConfig("resnet50", new int[] {3, 4, 6, 3}, new int[] {4, 8, 16, 32}, dilated,
                    64, 64));
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            net.namedParameters().forEach((k, p) -> {
                NDArray a = p.getArray();
                Shape c = a.getShape();
                if (k.endsWith("running_var")) a.muli(0).addi(m.randomUniform(0.5f, 2f, c));
                else if (k.endsWith("running_mean") || k.endsWith(".bias")) a.muli(0).addi(m.randomUniform(-0.2f, 0.2f, c));
                else if (c.dimension() == 1) a.muli(0).addi(m.randomUniform(0.5f, 1.5f, c));
            });
            try (OnnxRuntimeEncoder ort = OnnxRuntimeEncoder.open(net, 64, 64, 2)) {
                for (int[] size : new int[][] {{64, 64}, {65, 97}, {33, 40}}) {
                    NDArray pixels = m.randomNormal(new Shape(2, 3, size[0], size[1]));
                    assertTrue(ort.accepts(size[0], size[1]));
                    Features torch = net.features(pixels);
                    Features onnx = ort.features(pixels);
                    assertEquals(torch.grid(), onnx.grid(), "grid at " + size[0] + "x" + size[1]);
                    assertEquals(torch.tokens().getShape(), onnx.tokens().getShape());
                    float scale = torch.tokens().abs().max().getFloat();
                    assertTrue(scale > 1e-3f, "non-trivial features");
                    assertClose(onnx.tokens().div(scale), torch.tokens().div(scale), TOLERANCE,
                            (dilated ? "dc5 " : "c5 ") + size[0] + "x" + size[1]);
                    assertEquals(0, onnx.numPrefixTokens());
                }
            }
        }
    }

    @Test
    void backbonesWithoutAnOnnxFormAreNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone dinov2 = Backbones.create(Backbones.backboneSection(CheckpointFolder.open(fixture("dinov2-tiny")).config()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxRuntimeEncoder.open(dinov2, 70, 70, 1));
            assertTrue(e.getMessage().contains("dinov2") && e.getMessage().contains("supported: vit, resnet50"), e.getMessage());
        }
    }

    @Test
    void temporaryFilesAreRemovedAfterTheSessionIsBuilt() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countOnnxDirs(tmp);
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone vit = load("vit-tiny-gelu", m);
            int[] size = vit.defaultImageSize();
            try (OnnxRuntimeEncoder ort = OnnxRuntimeEncoder.open(vit, size[0], size[1], 1)) {
                assertEquals(before, countOnnxDirs(tmp));
            }
        }
    }

    private static long countOnnxDirs(Path tmp) throws Exception {
        try (var s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("vitstream-onnx-")).count();
        }
    }

    private static Backbone load(String name, NDManager m) {
        CheckpointFolder folder = CheckpointFolder.open(fixture(name));
        Backbone vit = Backbones.create(Backbones.backboneSection(folder.config()));
        try (Weights w = folder.openWeights()) {
            Backbones.loadWeights(vit, w, m, Precision.FP32, Device.cpu());
        }
        return vit;
    }
}
