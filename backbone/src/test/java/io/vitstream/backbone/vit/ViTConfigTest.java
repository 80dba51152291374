package io.vitstream.backbone.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.nn.Activation;

import org.junit.jupiter.api.Test;

class ViTConfigTest {

    /** The sizes of Dosovitskiy et al. 2020, Table 1 (plus DeiT's Ti and S). */
    @Test
    void presetsHaveThePublishedSizes() {
        ViTConfig b16 = ViTConfig.preset("B/16");
        assertEquals(768, b16.hiddenSize());
        assertEquals(12, b16.numLayers());
        assertEquals(12, b16.numHeads());
        assertEquals(3072, b16.intermediateSize());
        assertEquals(14, b16.gridHeight());
        ViTConfig l14 = ViTConfig.preset("L/14");
        assertEquals(1024, l14.hiddenSize());
        assertEquals(24, l14.numLayers());
        assertEquals(16, l14.gridWidth());
        assertEquals(1280, ViTConfig.preset("H/14").hiddenSize());
        assertEquals(192, ViTConfig.preset("Ti/16").hiddenSize());
        assertEquals(6, ViTConfig.preset("S/32").numHeads());
        assertEquals(28, ViTConfig.preset("S/8").gridHeight());
    }

    @Test
    void unknownPresetListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ViTConfig.preset("XL/16"));
        assertTrue(e.getMessage().contains("B/16"), e.getMessage());
    }

    @Test
    void invalidValuesNameTheSetting() {
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> ViTConfig.preset("B/16").toBuilder().setNumHeads(7).build());
        assertTrue(heads.getMessage().contains("num_attention_heads 7"), heads.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> ViTConfig.preset("B/16").toBuilder().optImageSize(225).build());
        assertTrue(size.getMessage().contains("patch_size 16"), size.getMessage());
    }

    @Test
    void jsonRoundTripAndErrorsNameTheKey() throws Exception {
        ViTConfig c = ViTConfig.preset("S/16").toBuilder().optImageSize(384, 640).optActivation(Activation.QUICK_GELU)
                .optUseClassToken(false).optNumRegisterTokens(4).optQkvBias(false).optLayerNormEps(1e-6).build();
        assertEquals(c, ViTConfigJson.read(ViTConfigJson.write(c)));

        ObjectNode bad = ViTConfigJson.write(c);
        bad.put("hidden_act", "gelu_exotic");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ViTConfigJson.read(bad)).getMessage().contains("gelu_exotic"));
        ObjectNode missing = ViTConfigJson.write(c);
        missing.remove("patch_size");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ViTConfigJson.read(missing)).getMessage().contains("'patch_size'"));
        ObjectNode text = (ObjectNode) new ObjectMapper().readTree("{\"hidden_size\": \"768\"}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ViTConfigJson.read(text)).getMessage().contains("'hidden_size'"));
    }
}
