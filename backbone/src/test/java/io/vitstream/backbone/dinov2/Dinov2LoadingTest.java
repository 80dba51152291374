package io.vitstream.backbone.dinov2;

import static io.vitstream.backbone.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Backbones;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.checkpoint.CheckpointException;
import io.vitstream.backbone.checkpoint.CheckpointFolder;
import io.vitstream.backbone.checkpoint.SafeTensors;
import io.vitstream.backbone.checkpoint.Weights;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

/** HF DINOv2 configs and checkpoints: defaults, strict loading that names keys, refused model types. */
class Dinov2LoadingTest {

    private static Backbone backbone(String name) {
        return Backbones.create(CheckpointFolder.open(fixture(name)).config());
    }

    private static String loadError(String name, java.util.function.Consumer<Map<String, NDArray>> edit) {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>(SafeTensors.read(fixture(name).resolve("model.safetensors"), m));
            edit.accept(t);
            return assertThrows(CheckpointException.class, () -> Backbones.loadWeights(backbone(name),
                    new Weights("model.safetensors", t), m, Precision.FP32, Device.cpu())).getMessage();
        }
    }

    @Test
    void missingLayerScaleIsNamed() {
        String msg = loadError("dinov2-tiny", t -> t.remove("dinov2.encoder.layer.1.layer_scale2.lambda1"));
        assertTrue(msg.contains("missing key 'dinov2.encoder.layer.1.layer_scale2.lambda1'") && msg.contains("(48)"), msg);
    }

    @Test
    void misshapedSwiGluWeightIsNamedWithBothShapes() {
        String msg = loadError("dinov2-registers-swiglu", t -> t.put(
                "dinov2_with_registers.encoder.layer.0.mlp.weights_in.weight", t.get("dinov2_with_registers.encoder.layer.0.mlp.weights_out.weight")));
        assertTrue(msg.contains("'dinov2_with_registers.encoder.layer.0.mlp.weights_in.weight' has shape (48, 128)")
                && msg.contains("expects (256, 48)"), msg);
    }

    /** The mask token is skipped, not unexpected; only the classifier (a head's keys) is left unclaimed. */
    @Test
    void maskTokenIsAcceptedNotUnexpected() {
        try (NDManager m = NDManager.newBaseManager(); Weights w = CheckpointFolder.open(fixture("dinov2-tiny")).openWeights()) {
            assertTrue(w.keys().contains("dinov2.embeddings.mask_token"));
            Backbones.loadWeights(backbone("dinov2-tiny"), w, m, Precision.FP32, Device.cpu());
            String msg = assertThrows(CheckpointException.class, () -> w.requireAllClaimed("backbone only")).getMessage();
            assertTrue(msg.contains("unexpected key 'classifier.weight'") && !msg.contains("mask_token"), msg);
        }
    }

    @Test
    void unsupportedModelTypeIsRefusedListingTheKnownOnes() {
        ObjectNode c = new ObjectMapper().createObjectNode().put("model_type", "dinov3_vit");
        String msg = assertThrows(IllegalArgumentException.class, () -> Backbones.create(c)).getMessage();
        assertTrue(msg.contains("'dinov3_vit'") && msg.contains("dinov2") && msg.contains("dinov2_with_registers")
                && msg.contains("vit"), msg);
    }

    /** An absent setting takes the default of its HF config class, as {@code from_pretrained} does. */
    @Test
    void absentSettingsTakeEachVariantsDefaults() {
        ObjectMapper json = new ObjectMapper();
        Dinov2Config plain = Dinov2ConfigJson.read(json.createObjectNode().put("model_type", "dinov2"));
        Dinov2Config regs = Dinov2ConfigJson.read(json.createObjectNode().put("model_type", "dinov2_with_registers"));
        assertEquals(14, plain.patchSize());
        assertEquals(16, regs.patchSize());
        assertEquals(4, regs.numRegisterTokens());
        assertEquals(3072, plain.mlpWidth());
        assertEquals(1e-6, plain.layerNormEps());
        String msg = assertThrows(IllegalArgumentException.class, () -> Dinov2ConfigJson.read(
                json.createObjectNode().put("model_type", "dinov2").put("image_size", 518).put("patch_size", 16))).getMessage();
        assertTrue(msg.contains("image_size 518") && msg.contains("patch_size 16"), msg);
    }

    /** DINOv2-giant: HF's SwiGLU width rule, {@code (int(4 * 1536 * 2 / 3) + 7) // 8 * 8 = 4096}. */
    @Test
    void swiGluWidthFollowsHuggingFace() {
        ObjectNode giant = new ObjectMapper().createObjectNode().put("model_type", "dinov2").put("hidden_size", 1536)
                .put("num_attention_heads", 24).put("num_hidden_layers", 1).put("use_swiglu_ffn", true);
        Backbone b = Backbones.create(giant);
        assertEquals(new Shape(8192, 1536), b.parameterShapes().get("encoder.layer.0.mlp.weights_in.weight"));
        assertEquals(new Shape(1536, 4096), b.parameterShapes().get("encoder.layer.0.mlp.weights_out.weight"));
    }
}
