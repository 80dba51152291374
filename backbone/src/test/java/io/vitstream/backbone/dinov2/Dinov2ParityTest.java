package io.vitstream.backbone.dinov2;

import static io.vitstream.backbone.Fixtures.assertClose;
import static io.vitstream.backbone.Fixtures.expected;
import static io.vitstream.backbone.Fixtures.fixture;
import static io.vitstream.backbone.Fixtures.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Backbones;
import io.vitstream.backbone.Features;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.checkpoint.CheckpointFolder;
import io.vitstream.backbone.checkpoint.Weights;
import io.vitstream.backbone.vit.PositionEmbeddings;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

/**
 * DINOv2 against Hugging Face itself ({@code tools/make_dinov2_fixtures.py}: transformers 5.17's
 * {@code Dinov2ForImageClassification} and {@code Dinov2WithRegistersForImageClassification} with
 * random weights, saved with {@code save_pretrained}), fp32: last hidden state and attention
 * probabilities within 1e-4 at the trained size and at a non-square size where the position
 * embeddings are interpolated (bicubic; antialiased with registers).
 */
class Dinov2ParityTest {

    private static final float TOLERANCE = 1e-4f;

    static Backbone load(String name, NDManager m) {
        CheckpointFolder folder = CheckpointFolder.open(fixture(name));
        Backbone backbone = Backbones.create(Backbones.backboneSection(folder.config()));
        try (Weights w = folder.openWeights()) {
            Backbones.loadWeights(backbone, w, m, Precision.FP32, Device.cpu());
        }
        return backbone;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dinov2-tiny", "dinov2-registers-swiglu"})
    void matchesHuggingFaceAtTheTrainedAndAnotherSize(String name) {
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone backbone = load(name, m);
            Map<String, NDArray> exp = expected(name, m);
            for (String suffix : new String[] {"", "_other"}) {
                Features out = backbone.features(null, exp.get("pixel_values" + suffix), false, true);
                System.out.printf("%s%s: last_hidden_state max abs %.3g%n", name, suffix,
                        maxAbsDiff(out.tokens(), exp.get("last_hidden_state" + suffix)));
                assertClose(out.tokens(), exp.get("last_hidden_state" + suffix), TOLERANCE, name + " last_hidden_state" + suffix);
                assertEquals(backbone.numLayers(), out.attentions().size());
                for (int i = 0; i < out.attentions().size(); i++) {
                    assertClose(out.attentions().get(i), exp.get("attentions." + i + suffix), TOLERANCE,
                            name + " attentions." + i + suffix);
                }
            }
        }
    }

    /** The interpolated position embeddings alone, against HF's {@code interpolate_pos_encoding}. */
    @ParameterizedTest
    @ValueSource(strings = {"dinov2-tiny", "dinov2-registers-swiglu"})
    void interpolatesPositionEmbeddingsAsHuggingFace(String name) {
        try (NDManager m = NDManager.newBaseManager()) {
            Dinov2 backbone = (Dinov2) load(name, m);
            Map<String, NDArray> exp = expected(name, m);
            Shape other = exp.get("pixel_values_other").getShape();
            int n = backbone.config().gridSize();
            int h = (int) other.get(2) / backbone.patchSize();
            int w = (int) other.get(3) / backbone.patchSize();
            assertTrue(h != w && (h != n || w != n), "the other size must need a non-square interpolation");
            NDArray pos = backbone.namedParameters().get("embeddings.position_embeddings").getArray();
            NDArray resampled = PositionEmbeddings.resample(pos, 1, n, n, h, w, backbone.config().withRegisters());
            assertClose(resampled, exp.get("position_embeddings_other"), 1e-5f, name + " position embeddings");
        }
    }
}
