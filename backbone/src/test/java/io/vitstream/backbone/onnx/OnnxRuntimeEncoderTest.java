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

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Backbones;
import io.vitstream.backbone.Features;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.checkpoint.CheckpointFolder;
import io.vitstream.backbone.checkpoint.Weights;

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
