package io.vitstream.backbone.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DETR's per-image size. Expected values printed by transformers 5.17's
 * {@code get_size_with_aspect_ratio((h, w), shortest, longest)}.
 */
class DetrResizeTest {

    @ParameterizedTest(name = "{0}x{1} in ({2}, {3}) -> {4}x{5}")
    @CsvSource({
            "60, 80, 96, 128, 96, 128",        // landscape, the longest edge lands exactly on the limit
            "70, 50, 96, 128, 128, 91",        // portrait, capped: raw 91.43 rounds to 91
            "480, 640, 800, 1333, 800, 1066",  // int() truncates 1066.67
            "640, 480, 800, 1333, 1066, 800",
            "1080, 1920, 800, 1333, 750, 1333",
            "1920, 1080, 800, 1333, 1333, 750",
            "720, 1280, 800, 1333, 750, 1333",
            "333, 1001, 800, 1333, 443, 1333",
            "800, 1000, 800, 1333, 800, 1000", // already at size: kept
            "1, 2, 3, 5, 2, 5",                // raw 2.5: Python's round gives 2 (half to even), not 3
            "1, 100000, 800, 1333, 0, 1333"})  // HF's own degenerate answer
    void matchesHuggingFace(int h, int w, int shortest, int longest, int outH, int outW) {
        assertArrayEquals(new int[] {outH, outW}, DetrResize.size(h, w, shortest, longest));
    }

    @Test
    void detrProcessorConfigPadsBatchesOthersLetterbox() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode detr = (ObjectNode) json.readTree("{\"image_processor_type\": \"DetrImageProcessor\","
                + " \"size\": {\"shortest_edge\": 800, \"longest_edge\": 1333}, \"do_pad\": true,"
                + " \"image_mean\": [0.485, 0.456, 0.406], \"image_std\": [0.229, 0.224, 0.225]}");
        PreprocessorConfig c = PreprocessorConfig.read(detr);
        assertTrue(c.padsBatch());
        assertFalse(c.letterbox());
        assertEquals(1333, c.longestEdge());
        assertEquals(800, c.height());
        PreprocessorConfig again = PreprocessorConfig.read(c.toJson());
        assertTrue(again.padsBatch());
        assertEquals(1333, again.longestEdge());
        assertEquals(800, again.height());

        ObjectNode yolos = detr.deepCopy().put("image_processor_type", "YolosImageProcessor");
        PreprocessorConfig y = PreprocessorConfig.read(yolos);
        assertFalse(y.padsBatch());
        assertTrue(y.letterbox());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreprocessorConfig.read(detr.deepCopy().put("do_pad", false)));
        assertTrue(e.getMessage().contains("'do_pad'"), e.getMessage());
    }

    @Test
    void eachImageKeepsItsOwnSizeAndGeometry() {
        PreprocessorConfig c = new PreprocessorConfig(true, 96, 128, 0, false, Resampler.Filter.BILINEAR, true,
                1 / 255.0, true, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}, 128);
        ImagePreprocessor p = new ImagePreprocessor(c, ImageLimits.DEFAULT);
        ImagePreprocessor.Prepared portrait = p.prepare(new RgbImage(50, 70, new byte[50 * 70 * 3]));
        ImageGeometry g = portrait.geometry();
        assertEquals(91, g.inputWidth());
        assertEquals(128, g.inputHeight());
        assertEquals(3 * 91 * 128, portrait.chw().length);
        assertEquals(50, g.toOriginalX(91), 1e-9);
        assertEquals(70, g.toOriginalY(128), 1e-9);
        BadImageException e = assertThrows(BadImageException.class,
                () -> p.prepare(new RgbImage(1000, 1, new byte[1000 * 3])));
        assertTrue(e.getMessage().contains("too extreme"), e.getMessage());
    }
}
