package io.vitstream.backbone;

import static io.vitstream.backbone.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;

import io.vitstream.backbone.checkpoint.CheckpointFolder;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.image.PreprocessorConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/**
 * What every {@link Backbone} promises. An implementation's test extends this and supplies a
 * small configuration (Micrometer's compatibility-kit pattern).
 */
public abstract class BackboneContract {

    /** A small, freshly constructed backbone (parameters declared, no arrays). */
    protected abstract Backbone newBackbone();

    protected NDManager manager;
    protected Backbone backbone;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        Djl.ensureOffline();
        manager = NDManager.newBaseManager();
        backbone = newBackbone();
        int[] size = backbone.defaultImageSize();
        Engine.getEngine("PyTorch").setRandomSeed(7);
        backbone.initialize(manager, DataType.FLOAT32, new Shape(1, 3, size[0], size[1]));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray images(int b, int h, int w) {
        return manager.randomNormal(new Shape(b, 3, h, w));
    }

    @Test
    void outputsTokensForTheGrid() {
        int[] size = backbone.defaultImageSize();
        Features f = backbone.features(images(2, size[0], size[1]));
        Grid g = backbone.grid(size[0], size[1]);
        assertEquals(g, f.grid());
        assertEquals(new Shape(2, backbone.numPrefixTokens() + g.size(), backbone.hiddenSize()), f.tokens().getShape());
        assertEquals(new Shape(2, g.size(), backbone.hiddenSize()), f.patchTokens().getShape());
    }

    @Test
    void runsAtOtherSizesDivisibleByThePatch() {
        int p = backbone.patchSize();
        Features f = backbone.features(images(1, 3 * p, 5 * p));
        assertEquals(new Grid(3, 5), f.grid());
        assertEquals(backbone.numPrefixTokens() + 15, f.tokens().getShape().get(1));
    }

    @Test
    void rejectsSizesNotDivisibleByThePatch() {
        int p = backbone.patchSize();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backbone.features(images(1, p + 1, p)));
        assertTrue(e.getMessage().contains("patch size " + p), e.getMessage());
    }

    @Test
    void isDeterministicAndBatchIndependent() {
        int[] size = backbone.defaultImageSize();
        NDArray x = images(3, size[0], size[1]);
        NDArray all = backbone.features(x).tokens();
        assertClose(backbone.features(x).tokens(), all, 0f, "second pass");
        for (int i = 0; i < 3; i++) {
            NDArray one = backbone.features(x.get(i + ":" + (i + 1))).tokens();
            assertClose(one, all.get(i + ":" + (i + 1)), 1e-5f, "image " + i + " alone vs in batch");
        }
    }

    @Test
    void attentionMapsAreDistributionsPerLayer() {
        int[] size = backbone.defaultImageSize();
        Features f = backbone.features(null, images(2, size[0], size[1]), false, true);
        assertEquals(backbone.numLayers(), f.attentions().size());
        long t = f.tokens().getShape().get(1);
        for (NDArray a : f.attentions()) {
            assertEquals(new Shape(2, backbone.numHeads(), t, t), a.getShape());
            assertClose(a.sum(new int[] {-1}), manager.ones(new Shape(2, backbone.numHeads(), t)), 1e-5f, "row sums");
        }
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs() {
        int[] size = backbone.defaultImageSize();
        NDArray x = images(2, size[0], size[1]);
        NDArray before = backbone.features(x).tokens();
        CheckpointFolder.write(dir, backbone.toConfigJson(), Backbones.checkpointTensors(backbone), StorageType.F32,
                PreprocessorConfig.vitDefaults(size[0], size[1]));

        CheckpointFolder folder = CheckpointFolder.open(dir);
        Backbone loaded = Backbones.create(folder.config());
        try (var weights = folder.openWeights()) {
            Backbones.loadWeights(loaded, weights, manager, Precision.FP32, Device.cpu());
            weights.requireAllClaimed("round trip");
        }
        assertClose(loaded.features(x).tokens(), before, 0f, "reloaded");
    }

    @Test
    void registryCreatesTheSameArchitectureFromItsConfig() {
        BackboneProvider provider = Backbones.provider(backbone.architecture());
        assertNotNull(provider);
        Backbone again = provider.create(backbone.toConfigJson());
        assertEquals(backbone.parameterShapes(), again.parameterShapes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backbones.provider("no-such"));
        assertTrue(e.getMessage().contains(backbone.architecture()), e.getMessage());
    }

    @Test
    void everyParameterGetsAGradientInTraining() {
        int[] size = backbone.defaultImageSize();
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            Features f = backbone.features(null, images(2, size[0], size[1]), true, false);
            gc.backward(f.tokens().square().mean());
        }
        for (Map.Entry<String, Parameter> e : backbone.namedParameters().entrySet()) {
            NDArray g = e.getValue().getArray().getGradient();
            assertTrue(g.abs().sum().getFloat() > 0, "no gradient for " + e.getKey());
        }
    }
}
