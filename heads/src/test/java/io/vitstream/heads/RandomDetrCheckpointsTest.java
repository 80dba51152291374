package io.vitstream.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.backbone.CameraFrames;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.results.Detection;
import io.vitstream.results.HeadResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Java-made real-shape DETR-R50 folder has exactly the keys and shapes of Hugging Face's:
 * the backbone against the 265 keys of a real {@code facebook/detr-resnet-50}
 * ({@code resnet50-keys.json}), the rest against the names transformers itself wrote for the
 * reduced fixture ({@code detr-hf/c5/timm}). Read from the safetensors headers here, not
 * through vitstream's loader; then the folder runs on a 720p frame.
 */
class RandomDetrCheckpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BACKBONE = "model.backbone.conv_encoder.model.";

    @TempDir
    Path dir;

    /** name -> shape, from a safetensors file's header. */
    private static Map<String, List<Long>> header(Path file) throws Exception {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            byte[] len = in.readNBytes(8);
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            JsonNode h = JSON.readTree(in.readNBytes((int) n));
            Map<String, List<Long>> out = new TreeMap<>();
            h.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("__metadata__")) {
                    out.put(e.getKey(), JSON.convertValue(e.getValue().get("shape"),
                            JSON.getTypeFactory().constructCollectionType(List.class, Long.class)));
                }
            });
            return out;
        }
    }

    private static TreeSet<String> headNames(java.util.Set<String> keys) {
        TreeSet<String> out = new TreeSet<>();
        for (String k : keys) {
            if (!k.startsWith(BACKBONE)) out.add(k.replaceAll("\\.layers\\.\\d+\\.", ".layers.N."));
        }
        return out;
    }

    @Test
    void keysAndShapesAreHuggingFacesAndTheFolderRuns() throws Exception {
        Path folder = RandomDetrCheckpoints.resnet50(dir.resolve("detr-r50"), 0, 3);
        Map<String, List<Long>> got = header(folder.resolve("model.safetensors"));

        Map<String, List<Long>> backbone = new TreeMap<>();
        got.forEach((k, v) -> {
            if (k.startsWith(BACKBONE)) backbone.put(k.substring(BACKBONE.length()), v);
        });
        Map<String, List<Long>> real = new TreeMap<>();
        try (InputStream in = RandomDetrCheckpointsTest.class.getResourceAsStream("/resnet50-keys.json")) {
            JSON.readTree(in).fields().forEachRemaining(e -> real.put(e.getKey(),
                    JSON.convertValue(e.getValue(), JSON.getTypeFactory().constructCollectionType(List.class, Long.class))));
        }
        // num_batches_tracked counters are in HF's file but optional (vitstream accepts, never needs them)
        real.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
        assertEquals(real, backbone);

        Path fixture = Path.of(RandomDetrCheckpointsTest.class.getResource("/detr-hf/c5/timm/model.safetensors").toURI());
        // the fixture has 2 + 2 layers, the real shape 6 + 6: names compared with the layer index left out
        TreeSet<String> hfHead = headNames(header(fixture).keySet());
        TreeSet<String> head = headNames(got.keySet());
        assertEquals(hfHead, head, "head key names");
        for (String stack : List.of("model.encoder.layers.", "model.decoder.layers.")) {
            assertTrue(got.containsKey(stack + "5.fc1.weight") && !got.containsKey(stack + "6.fc1.weight"), stack + " 0 to 5");
        }
        assertEquals(List.of(256L, 2048L, 1L, 1L), got.get("model.input_projection.weight"));
        assertEquals(List.of(100L, 256L), got.get("model.query_position_embeddings.weight"));
        assertEquals(List.of(92L, 256L), got.get("class_labels_classifier.weight"));
        assertEquals(List.of(2048L, 256L), got.get("model.encoder.layers.5.fc1.weight"));
        assertTrue(Files.size(folder.resolve("model.safetensors")) > 160_000_000L);

        try (VisionModel model = VisionModel.load(folder, Precision.BF16, Device.cpu())) {
            var pre = model.newPreprocessor(ImageLimits.DEFAULT);
            var prepared = pre.prepare(CameraFrames.jpeg(1280, 720, 4));
            assertEquals(750, prepared.geometry().inputHeight(), "DetrImageProcessor: 720p at 800 would be 1422 wide, over 1333");
            assertEquals(1333, prepared.geometry().inputWidth());
            List<Detection> d = ((HeadResult.Detections) model.infer(List.of(prepared)).get(0).get("detr")).detections();
            assertEquals(100, d.size(), "score_threshold 0 reports every query");
            for (Detection x : d) {
                assertTrue(x.box().x1() >= 0 && x.box().x2() <= 1280 && x.box().y1() >= 0 && x.box().y2() <= 720, x.toString());
                assertTrue(x.score() > 0 && x.score() < 1, x.toString());
            }
        }
    }
}
