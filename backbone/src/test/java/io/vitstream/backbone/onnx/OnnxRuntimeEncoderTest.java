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
import io.vitstream.backbone.dinov2.Dinov2;
import io.vitstream.backbone.dinov2.Dinov2Config;
import io.vitstream.backbone.nn.Activation;
import io.vitstream.backbone.resnet.ResNet;
import io.vitstream.backbone.resnet.ResNetConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The encoder on ONNX Runtime against the same independent PyTorch reference as the DJL path
 * ({@code tools/vit_reference.py} fixtures): tokens within 1e-4, for every fixture variant (GELU
 * and tanh-GELU, no qkv bias, registers with and without class token, f16/bf16 checkpoints, and
 * position embeddings resampled to other input sizes); DINOv2 against its PyTorch path and HF's
 * outputs; ResNet-50 against its PyTorch path.
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

    /**
     * DINOv2 on ONNX Runtime against its own PyTorch path (same loaded weights) and against HF's
     * {@code last_hidden_state} ({@code tools/make_dinov2_fixtures.py}), at the trained size and
     * at a non-square size whose position embeddings are interpolated: plain with a GELU MLP, and
     * with registers (antialiased interpolation) and a SwiGLU MLP; layer scales in [-1, 1].
     */
    @ParameterizedTest
    @CsvSource({"dinov2-tiny, ''", "dinov2-tiny, _other", "dinov2-registers-swiglu, ''", "dinov2-registers-swiglu, _other"})
    void dinov2MatchesItsPyTorchPathAndHuggingFace(String name, String size) {
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone dinov2 = load(name, m);
            NDArray pixels = expected(name, m).get("pixel_values" + size);
            NDArray hf = expected(name, m).get("last_hidden_state" + size);
            Features torch = dinov2.features(pixels);
            try (OnnxRuntimeEncoder ort = openFor(dinov2, pixels)) {
                Features onnx = ort.features(pixels);
                assertEquals(torch.tokens().getShape(), onnx.tokens().getShape());
                assertEquals(torch.grid(), onnx.grid());
                assertEquals(name.contains("registers") ? 4 : 1, onnx.numPrefixTokens());
                assertTrue(onnx.hasClassToken());
                System.out.printf("%s%s: ONNX Runtime vs PyTorch max abs %.3g (scale %.3g), vs HF %.3g%n", name, size,
                        maxAbsDiff(onnx.tokens(), torch.tokens()), torch.tokens().abs().max().getFloat(),
                        maxAbsDiff(onnx.tokens(), hf));
                assertCloseToScale(onnx.tokens(), torch.tokens(), name + " tokens" + size + " vs PyTorch");
                assertClose(onnx.tokens(), hf, TOLERANCE, name + " tokens" + size + " vs HF");
                Features one = ort.features(pixels.get("1:2"));
                assertCloseToScale(one.tokens(), torch.tokens().get("1:2"), name + size + " second image alone");
                assertFalse(ort.accepts((int) pixels.getShape().get(2) + dinov2.patchSize(), (int) pixels.getShape().get(3)));
            }
        }
    }

    /** A session for the height and width of {@code pixels [B, C, H, W]}. */
    private static OnnxRuntimeEncoder openFor(Backbone backbone, NDArray pixels) {
        Shape s = pixels.getShape();
        return OnnxRuntimeEncoder.open(backbone, (int) s.get(2), (int) s.get(3), 2);
    }

    /**
     * A random plain DINOv2 with a SwiGLU MLP and no query, key and value biases (no fixture has
     * that combination), at a size larger than the trained one (position embeddings upsampled
     * without antialiasing), against its own PyTorch path. The last layer's MLP scale is set to
     * values in [-1, 1] (initialized, all are 0.5) so that a scale applied wrongly shows.
     */
    @Test
    void randomSwiGluDinov2WithoutQkvBiasMatchesItsPyTorchPath() {
        try (NDManager m = NDManager.newBaseManager()) {
            Djl.engine().setRandomSeed(5);
            Dinov2 dinov2 = new Dinov2(new Dinov2Config(false, 28, 7, 3, 32, 2, 4, 4, Activation.GELU, 1e-6, false, 0.5, true,
                    0, true, 0, 0, 0, 0.2));
            dinov2.initialize(m, DataType.FLOAT32, new Shape(1, 3, 28, 28));
            dinov2.namedParameters().get("encoder.layer.1.layer_scale2.lambda1").getArray()
                    .muli(0).addi(m.randomUniform(-1f, 1f, new Shape(32)));
            NDArray pixels = m.randomNormal(new Shape(3, 3, 42, 35));
            try (OnnxRuntimeEncoder ort = OnnxRuntimeEncoder.open(dinov2, 42, 35, 2)) {
                Features torch = dinov2.features(pixels);
                assertEquals(new Shape(3, 1 + 6 * 5, 32), torch.tokens().getShape());
                NDArray onnx = ort.features(pixels).tokens();
                System.out.printf("random swiglu dinov2: ONNX Runtime vs PyTorch max abs %.3g (scale %.3g)%n",
                        maxAbsDiff(onnx, torch.tokens()), torch.tokens().abs().max().getFloat());
                assertCloseToScale(onnx, torch.tokens(), "swiglu, no qkv bias, 42x35");
            }
        }
    }

    private static void assertCloseToScale(NDArray actual, NDArray expected, String what) {
        float scale = expected.abs().max().getFloat();
        assertTrue(scale > 1e-3f, what + ": non-trivial tokens");
        assertClose(actual.div(scale), expected.div(scale), TOLERANCE, what);
    }

    /** Every backbone this repository has has an ONNX form; the message for one without is checked on a stand-in. */
    @Test
    void backbonesWithoutAnOnnxFormAreNamed() {
        Backbone other = (Backbone) Proxy.newProxyInstance(Backbone.class.getClassLoader(), new Class<?>[] {Backbone.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("architecture")) return "convnext";
                    throw new UnsupportedOperationException(method.getName());
                });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxRuntimeEncoder.open(other, 70, 70, 1));
        assertEquals("no ONNX Runtime form for backbone convnext; supported: vit, dinov2, dinov2_with_registers, resnet50",
                e.getMessage());
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
