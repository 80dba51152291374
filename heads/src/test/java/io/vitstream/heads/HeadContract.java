package io.vitstream.heads;

import static io.vitstream.backbone.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.Features;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.image.ImageGeometry;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.backbone.vit.ViTConfig;
import io.vitstream.results.HeadResult;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every {@link Head} promises, on a small ViT. An implementation's test extends this,
 * supplies the head and says what its raw output looks like.
 */
public abstract class HeadContract {

    /** A freshly constructed head for a backbone described by {@code context}. */
    protected abstract Head newHead(HeadContext context);

    /** Checks the raw output of {@link Head#forward} for a batch of {@code b} images. */
    protected abstract void checkRawOutput(NDList raw, int b);

    /** The post-processed record type. */
    protected abstract Class<? extends HeadResult> resultType();

    /**
     * Parameters that provably get no gradient from any loss (so the contract does not expect
     * one); none by default.
     */
    protected java.util.Set<String> parametersWithoutGradient() {
        return java.util.Set.of();
    }

    protected NDManager manager;
    protected ViT backbone;
    protected Head head;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        Djl.ensureOffline();
        Engine.getEngine("PyTorch").setRandomSeed(11);
        manager = NDManager.newBaseManager();
        backbone = new ViT(ViTConfig.builder().setPatchSize(4).setHiddenSize(16).setNumLayers(1).setNumHeads(2)
                .setIntermediateSize(32).optImageSize(16, 16).optLayerNormEps(1e-6).build());
        backbone.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16));
        head = newHead(HeadContext.of(backbone));
        head.initialize(manager, DataType.FLOAT32, new Shape(1));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Features features(int b, int h, int w) {
        return backbone.features(manager.randomNormal(new Shape(b, 3, h, w)));
    }

    @Test
    void rawOutputHasTheDocumentedShape() {
        checkRawOutput(head.forward(null, features(2, 16, 16), false), 2);
    }

    @Test
    void worksOnAnyGridSize() {
        checkRawOutput(head.forward(null, features(1, 8, 24), false), 1);
        checkRawOutput(head.forward(null, features(3, 20, 12), false), 3);
    }

    @Test
    void isDeterministicInInference() {
        Features f = features(2, 16, 16);
        NDList a = head.forward(null, f, false);
        NDList b = head.forward(null, f, false);
        for (int i = 0; i < a.size(); i++) assertClose(a.get(i), b.get(i), 0f, "output " + i);
    }

    @Test
    void postProcessingGivesOneRecordPerImage() {
        NDList raw = head.forward(null, features(3, 16, 16), false);
        List<ImageGeometry> g = new ArrayList<>();
        for (int i = 0; i < 3; i++) g.add(new ImageGeometry(64, 48, 16, 16, 0.25, 1 / 3.0, 0, 0));
        List<HeadResult> results = head.postProcessor().process(raw, g);
        assertEquals(3, results.size());
        results.forEach(r -> assertTrue(resultType().isInstance(r), r.toString()));
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs() {
        VisionModel model = VisionModel.of(backbone, Map.of("h", head), PreprocessorConfig.vitDefaults(16, 16), manager);
        NDArray x = manager.randomNormal(new Shape(2, 3, 16, 16));
        NDList before = model.forward(null, x, false).get("h");
        model.save(dir, StorageType.F32);
        try (VisionModel loaded = VisionModel.load(dir, Precision.FP32, Device.cpu())) {
            NDList after = loaded.forward(null, x, false).get("h");
            for (int i = 0; i < before.size(); i++) assertClose(after.get(i), before.get(i), 0f, "output " + i);
            assertEquals(head.toConfigJson(), loaded.heads().get("h").toConfigJson());
        }
    }

    /**
     * Every parameter that can learn gets a gradient. Parameters are first redrawn at random
     * (biases included): zero-initialized biases would hide gradients that appear one step later.
     */
    @Test
    void everyParameterGetsAGradientInTraining() {
        for (Parameter p : head.namedParameters().values()) {
            NDArray a = p.getArray();
            a.set(java.nio.FloatBuffer.wrap(manager.randomNormal(0f, 0.5f, a.getShape(), DataType.FLOAT32).toFloatArray()));
        }
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDList raw = head.forward(null, features(2, 16, 16), true);
            NDArray loss = null;
            for (NDArray a : raw) loss = loss == null ? a.square().mean() : loss.add(a.square().mean());
            gc.backward(loss);
        }
        for (Map.Entry<String, Parameter> e : head.namedParameters().entrySet()) {
            float g = e.getValue().getArray().getGradient().abs().sum().getFloat();
            if (parametersWithoutGradient().contains(e.getKey())) {
                // Zero up to float rounding in the backward pass.
                assertTrue(g < 1e-6f, "expected no gradient for " + e.getKey() + ", got " + g);
            } else {
                assertTrue(g > 0, "no gradient for " + e.getKey());
            }
        }
    }
}
