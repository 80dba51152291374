package io.vitstream.backbone.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.util.Map;

/** {@link PreprocessorConfig#resizeInfo()}: each form of HF's {@code size} described as it behaves. */
class PreprocessorConfigResizeInfoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> info(String json) throws Exception {
        return PreprocessorConfig.read(JSON.readTree(json)).resizeInfo();
    }

    @Test
    void exactSize() throws Exception {
        assertEquals(Map.of("mode", "exact", "height", 224, "width", 160),
                info("{\"size\": {\"height\": 224, \"width\": 160}}"));
        assertEquals(Map.of("mode", "exact", "height", 384, "width", 384), info("{\"size\": 384}"));
    }

    @Test
    void letterboxAndNoResize() throws Exception {
        assertEquals(Map.of("mode", "letterbox", "height", 640, "width", 640),
                info("{\"size\": 640, \"vitstream_letterbox\": true}"));
        assertEquals(Map.of("mode", "none", "height", 32, "width", 32), info("{\"size\": 32, \"do_resize\": false}"));
    }

    @Test
    void shortestEdgeThenCentreCrop() throws Exception {
        assertEquals(Map.of("mode", "shortest_edge_crop", "shortest_edge", 256, "height", 224, "width", 224),
                info("{\"image_processor_type\": \"BitImageProcessor\", \"size\": {\"shortest_edge\": 256},"
                        + " \"do_center_crop\": true, \"crop_size\": {\"height\": 224, \"width\": 224}}"));
    }

    @Test
    void detrSizesEachImageItself() throws Exception {
        assertEquals(Map.of("mode", "shortest_longest_edge", "shortest_edge", 800, "longest_edge", 1333, "pads_batch", true),
                info("{\"image_processor_type\": \"DetrImageProcessor\", \"do_pad\": true,"
                        + " \"size\": {\"shortest_edge\": 800, \"longest_edge\": 1333}}"));
        // another processor of the {shortest, longest} form gets a fixed letterbox (documented)
        assertEquals(Map.of("mode", "letterbox", "height", 512, "width", 864),
                info("{\"image_processor_type\": \"YolosImageProcessor\", \"size\": {\"shortest_edge\": 512, \"longest_edge\": 864}}"));
    }
}
