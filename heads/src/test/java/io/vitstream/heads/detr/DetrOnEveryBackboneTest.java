package io.vitstream.heads.detr;

import static io.vitstream.backbone.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Djl;
import io.vitstream.backbone.Features;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.dinov2.Dinov2;
import io.vitstream.backbone.dinov2.Dinov2Config;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.nn.Activation;
import io.vitstream.backbone.resnet.ResNet;
import io.vitstream.backbone.resnet.ResNetConfig;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.backbone.vit.ViTConfig;
import io.vitstream.heads.Head;
import io.vitstream.heads.HeadContext;
import io.vitstream.heads.VisionModel;
import io.vitstream.heads.loss.DetectionTarget;
import io.vitstream.heads.loss.SetCriterion;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A DETR head in our composite form on each backbone (ViT, DINOv2 with registers, a narrow
 * ResNet-50) with random weights: a forward pass, one gradient step on the Hungarian set loss
 * through head and backbone, and a save / load round trip with identical outputs. DETR's memory
 * is the patch tokens only: the class token and registers must not reach the decoder.
 */
class DetrOnEveryBackboneTest {

    private static final int SIDE = 64;

    private NDManager manager;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        Djl.ensureOffline();
        Engine.getEngine("PyTorch").setRandomSeed(5);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** An initialized backbone for 64x64 inputs with an 8x8 (ViT, DINOv2) or 2x2 (ResNet) grid. */
    private Backbone backbone(String name) {
        Backbone b = switch (name) {
            case "vit" -> new ViT(ViTConfig.builder().setPatchSize(8).setHiddenSize(16).setNumLayers(2).setNumHeads(2)
                    .setIntermediateSize(32).optImageSize(SIDE, SIDE).optLayerNormEps(1e-6).build());
            // Layer scale 0.5, not DINOv2's 1e-5, so the random blocks change the tokens visibly.
            case "dinov2_with_registers" -> new Dinov2(new Dinov2Config(true, SIDE, 8, 3, 16, 2, 2, 2, Activation.GELU, 1e-6,
                    true, 0.5, false, 4, true, 0, 0, 0, 0.02));
            case "resnet50" -> new ResNet(new ResNetConfig("resnet50", new int[] {3, 4, 6, 3}, new int[] {4, 8, 16, 32}, false,
                    SIDE, SIDE));
            default -> throw new IllegalArgumentException(name);
        };
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 3, SIDE, SIDE));
        return b;
    }

    private static List<DetectionTarget> targets() {
        return List.of(new DetectionTarget(new int[] {0, 1}, new float[][] {{0.3f, 0.3f, 0.2f, 0.3f}, {0.7f, 0.6f, 0.3f, 0.2f}}),
                new DetectionTarget(new int[] {1}, new float[][] {{0.5f, 0.5f, 0.4f, 0.4f}}));
    }

    private static float loss(Backbone b, DetrHead head, NDArray images, boolean training) {
        NDList raw = head.forward(null, b.features(null, images, training, false), training);
        return new SetCriterion(head.config()).compute(raw.get(0), raw.get(1), targets()).total().getFloat();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vit", "dinov2_with_registers", "resnet50"})
    void trainsOneStepThenSavesAndLoadsWithIdenticalOutputs(String name) {
        Backbone b = backbone(name);
        DetrHead head = new DetrHead(DetrHeadTest.smallConfig(), HeadContext.of(b));
        head.initialize(manager, DataType.FLOAT32, new Shape(1));
        NDArray images = manager.randomNormal(new Shape(2, 3, SIDE, SIDE));
        NDList raw = head.forward(null, b.features(images), false);
        assertEquals(new Shape(2, 2, 5, 3), raw.get(0).getShape());
        assertEquals(new Shape(2, 2, 5, 4), raw.get(1).getShape());

        float before = loss(b, head, images, false);
        Map<String, Parameter> params = new java.util.LinkedHashMap<>();
        b.namedParameters().forEach((k, p) -> params.put("backbone." + k, p));
        head.namedParameters().forEach((k, p) -> params.put("head." + k, p));
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDList out = head.forward(null, b.features(null, images, true, false), true);
            gc.backward(new SetCriterion(head.config()).compute(out.get(0), out.get(1), targets()).total());
        }
        String first = b.namedParameters().keySet().iterator().next();
        assertTrue(b.namedParameters().get(first).getArray().getGradient().abs().sum().getFloat() > 0,
                "the loss reaches the backbone's first parameter " + first);
        // A step of fixed length 1e-3 against the gradient: the loss falls by about 1e-3 |g|
        // whatever the gradient's scale (an unnormalized ResNet's can be large).
        double norm = 0;
        for (Parameter p : params.values()) {
            if (p.requiresGradient()) norm += p.getArray().getGradient().square().sum().getFloat();
        }
        float scale = (float) (1e-3 / Math.sqrt(norm));
        int frozen = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray w = e.getValue().getArray();
            if (e.getValue().requiresGradient()) {
                w.subi(w.getGradient().mul(scale));
            } else {
                assertTrue(e.getKey().contains(".bn") || e.getKey().contains(".downsample.1."), e.getKey() + " is frozen");
                assertTrue(!w.hasGradient(), e.getKey() + " is frozen and tracks no gradient");
                frozen++;
            }
        }
        assertEquals(name.equals("resnet50") ? (1 + 16 * 3 + 4) * 4 : 0, frozen, "frozen batch-norm arrays");
        float after = loss(b, head, images, false);
        assertTrue(after < before, name + ": set loss " + before + " -> " + after + " after one step");

        VisionModel model = VisionModel.of(b, Map.<String, Head>of("detection", head), PreprocessorConfig.vitDefaults(SIDE, SIDE), manager);
        NDList expected = model.forward(null, images, false).get("detection");
        model.save(dir, StorageType.F32);
        try (VisionModel loaded = VisionModel.load(dir, Precision.FP32, Device.cpu())) {
            assertEquals(b.architecture(), loaded.backbone().architecture());
            assertEquals(b.toConfigJson(), loaded.backbone().toConfigJson());
            assertEquals(head.toConfigJson(), loaded.heads().get("detection").toConfigJson());
            NDList actual = loaded.forward(null, images, false).get("detection");
            for (int i = 0; i < expected.size(); i++) assertClose(actual.get(i), expected.get(i), 0f, name + " output " + i);
        }
    }

    /**
     * With the class token and 4 registers replaced by other values, the detections stay
     * bit-identical; changing one patch token moves them. A head that took the prefix tokens as
     * memory (or dropped the wrong number of tokens) fails one of the two.
     */
    @Test
    void theDecoderSeesPatchTokensOnlyNotTheClassTokenOrRegisters() {
        Backbone b = backbone("dinov2_with_registers");
        DetrHead head = new DetrHead(DetrHeadTest.smallConfig(), HeadContext.of(b));
        head.initialize(manager, DataType.FLOAT32, new Shape(1));
        Features f = b.features(manager.randomNormal(new Shape(2, 3, SIDE, SIDE)));
        assertEquals(5, f.numPrefixTokens());
        assertEquals(new Shape(2, 5 + 64, 16), f.tokens().getShape());
        NDList reference = head.forward(null, f, false);

        NDArray otherPrefix = manager.randomNormal(0f, 10f, new Shape(2, 5, 16), DataType.FLOAT32);
        Features swapped = new Features(NDArrays.concat(new NDList(otherPrefix, f.patchTokens()), 1), f.grid(), 5, true, List.of());
        NDList same = head.forward(null, swapped, false);
        for (int i = 0; i < reference.size(); i++) assertClose(same.get(i), reference.get(i), 0f, "output " + i);

        NDArray patches = f.patchTokens().duplicate();
        patches.set(new ai.djl.ndarray.index.NDIndex(":, 0, :"), 10f);
        Features moved = new Features(NDArrays.concat(new NDList(f.tokens().get(":, :5, :"), patches), 1), f.grid(), 5, true, List.of());
        float change = head.forward(null, moved, false).get(0).sub(reference.get(0)).abs().max().getFloat();
        assertTrue(change > 1e-4f, "a changed patch token moves the logits, by " + change);
    }
}
