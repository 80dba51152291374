package io.vitstream.backbone.resnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.backbone.Backbones;
import io.vitstream.backbone.Grid;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

/** ResNet-50's checkpoint keys and shapes against a real HF DETR-R50, its grid and its config. */
class ResNetTest {

    /**
     * Every backbone tensor of {@code DetrForObjectDetection(use_timm_backbone=True,
     * backbone="resnet50")} as save_pretrained writes it (name and shape, no weights; made by
     * tools/make_detr_hf_fixtures.py), for both C5 and DC5.
     */
    @Test
    void declaresExactlyTheKeysAndShapesOfHfDetrResNet50() throws IOException {
        Map<String, Shape> expected = new TreeMap<>();
        try (InputStream in = ResNetTest.class.getResourceAsStream("/resnet50-keys.json")) {
            JsonNode keys = new ObjectMapper().readTree(in);
            keys.fields().forEachRemaining(e -> {
                long[] dims = new long[e.getValue().size()];
                for (int i = 0; i < dims.length; i++) dims[i] = e.getValue().get(i).asLong();
                expected.put(e.getKey(), new Shape(dims));
            });
        }
        assertEquals(265, expected.size());
        for (boolean dilated : new boolean[] {false, true}) {
            assertEquals(expected, new TreeMap<>(new ResNet(ResNetConfig.resnet50(dilated)).parameterShapes()),
                    "dilated " + dilated);
        }
    }

    @Test
    void gridRoundsUpAtEveryStrideTwoStep() {
        ResNet c5 = new ResNet(ResNetConfig.resnet50(false));
        assertEquals(new Grid(25, 34), c5.grid(800, 1066));
        assertEquals(new Grid(2, 1), c5.grid(33, 32));
        // 65 -> 33 -> 17 -> 9 -> 5 -> 3: ceil at each step, which here equals ceil(65 / 32).
        assertEquals(new Grid(3, 1), c5.grid(65, 1));
        ResNet dc5 = new ResNet(ResNetConfig.resnet50(true));
        assertEquals(new Grid(50, 67), dc5.grid(800, 1066));
        assertEquals(2048, dc5.hiddenSize());
        assertThrows(IllegalArgumentException.class, () -> c5.grid(0, 32));
    }

    @Test
    void registeredAsResnet50AndRefusesOtherDepths() throws IOException {
        JsonNode c = new ObjectMapper().readTree("{\"model_type\": \"resnet50\", \"dilation\": true}");
        ResNet r = (ResNet) Backbones.create(c);
        assertEquals(16, r.patchSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backbones.create(new ObjectMapper().readTree("{\"model_type\": \"resnet101\"}")));
        assertTrue(e.getMessage().contains("resnet50"), e.getMessage());
    }
}
