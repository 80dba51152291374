package io.vitstream.backbone.vit;

import static io.vitstream.backbone.Fixtures.assertClose;
import static io.vitstream.backbone.Fixtures.expected;
import static io.vitstream.backbone.Fixtures.fixture;
import static io.vitstream.backbone.Fixtures.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

/**
 * The ViT against an independent PyTorch implementation ({@code tools/vit_reference.py}, itself
 * checked against torchvision) on the same random weights, in fp32: last hidden state,
 * per-layer attention probabilities and classifier logits within 1e-4.
 */
class ViTParityTest {

    private static final float TOLERANCE = 1e-4f;

    @ParameterizedTest
    @ValueSource(strings = {"vit-tiny-gelu", "vit-nobias-tanh", "vit-registers-nocls", "vit-registers-cls", "vit-f16", "vit-bf16"})
    void matchesPyTorchReference(String name) {
        try (NDManager m = NDManager.newBaseManager()) {
            CheckpointFolder folder = CheckpointFolder.open(fixture(name));
            Backbone vit = load(folder, folder.config(), m);
            Map<String, NDArray> exp = expected(name, m);
            Features out = vit.features(null, exp.get("pixel_values"), false, true);

            assertClose(out.tokens(), exp.get("last_hidden_state"), TOLERANCE, name + " last_hidden_state");
            assertEquals(vit.numLayers(), out.attentions().size());
            for (int i = 0; i < out.attentions().size(); i++) {
                assertClose(out.attentions().get(i), exp.get("attentions." + i), TOLERANCE, name + " attentions." + i);
            }
            if (exp.containsKey("logits")) {
                try (Weights w = folder.openWeights()) {
                    assertClose(logits(out, w, m), exp.get("logits"), TOLERANCE, name + " logits");
                }
            }
        }
    }

    @Test
    void resampledPositionEmbeddingsMatchAtOtherSizes() {
        String name = "vit-resample-nonsquare";
        try (NDManager m = NDManager.newBaseManager()) {
            CheckpointFolder folder = CheckpointFolder.open(fixture(name));
            Backbone vit = load(folder, folder.config(), m);
            Map<String, NDArray> exp = expected(name, m);
            try (Weights w = folder.openWeights()) {
                for (String suffix : new String[] {"", "_small"}) {
                    Features out = vit.features(exp.get("pixel_values" + suffix));
                    assertClose(out.tokens(), exp.get("last_hidden_state" + suffix), TOLERANCE, "tokens" + suffix);
                    assertClose(logits(out, w, m), exp.get("logits" + suffix), TOLERANCE, "logits" + suffix);
                }
            }
        }
    }

    /** The parity check is sharp enough to see a wrong layer-norm epsilon or head count. */
    @Test
    void wrongEpsOrHeadSplitIsCaught() {
        String name = "vit-tiny-gelu";
        try (NDManager m = NDManager.newBaseManager()) {
            CheckpointFolder folder = CheckpointFolder.open(fixture(name));
            Map<String, NDArray> exp = expected(name, m);
            ObjectNode wrongEps = folder.config().deepCopy();
            wrongEps.put("layer_norm_eps", 1e-5);
            ObjectNode wrongHeads = folder.config().deepCopy();
            wrongHeads.put("num_attention_heads", 2);
            for (ObjectNode config : new ObjectNode[] {wrongEps, wrongHeads}) {
                Features out = load(folder, config, m).features(exp.get("pixel_values"));
                assertTrue(maxAbsDiff(out.tokens(), exp.get("last_hidden_state")) > 10 * TOLERANCE, config.toString());
            }
        }
    }

    static Backbone load(CheckpointFolder folder, com.fasterxml.jackson.databind.JsonNode config, NDManager m) {
        Backbone vit = Backbones.create(Backbones.backboneSection(config));
        try (Weights w = folder.openWeights()) {
            Backbones.loadWeights(vit, w, m, Precision.FP32, Device.cpu());
        }
        return vit;
    }

    /** HF's classifier on the class token, or on the mean patch token without one. */
    static NDArray logits(Features f, Weights w, NDManager m) {
        Map<String, NDArray> t = w.tensorsWithPrefix("classifier.", m);
        NDArray pooled = f.hasClassToken() ? f.classToken() : f.patchTokens().mean(new int[] {1});
        return pooled.matMul(t.get("classifier.weight").transpose()).add(t.get("classifier.bias"));
    }
}
