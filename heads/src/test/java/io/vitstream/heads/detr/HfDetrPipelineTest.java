package io.vitstream.heads.detr;

import static io.vitstream.backbone.Fixtures.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.Precision;
import io.vitstream.backbone.checkpoint.SafeTensors;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.image.PaddedBatch;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.heads.VisionModel;
import io.vitstream.results.Detection;
import io.vitstream.results.HeadResult;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * HF DETR folders from the committed image bytes through our preprocessing, model and
 * post-processing, against what HF's {@code DetrImageProcessorPil}, {@code DetrForObjectDetection}
 * and {@code post_process_object_detection(threshold=0.3, target_sizes=original sizes)} gave on
 * the same images (tools/make_detr_hf_fixtures.py): image a (80x60) alone, and a with b (50x70,
 * portrait, resized to 91x128) padded to one 128x128 batch.
 */
class HfDetrPipelineTest {

    private static final float PIXEL_TOL = 1e-5f;
    private static final float MODEL_TOL = 1e-4f;
    /** Boxes are scaled by up to 80 pixels: 1e-4 in normalized boxes is 8e-3 px. */
    private static final float BOX_PX_TOL = 1e-2f;

    private static NDManager manager;
    private static Map<String, NDArray> hf;

    @TempDir
    Path dir;

    @BeforeAll
    static void read() {
        manager = NDManager.newBaseManager();
        hf = SafeTensors.read(HfDetrFolderTest.root().resolve("outputs.safetensors"), manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static List<byte[]> images(String input) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String name : input.equals("single") ? new String[] {"image-a.png"} : new String[] {"image-a.png", "image-b.png"}) {
            out.add(Files.readAllBytes(HfDetrFolderTest.root().resolve(name)));
        }
        return out;
    }

    private static List<ImagePreprocessor.Prepared> prepare(ImagePreprocessor p, String input) throws IOException {
        List<ImagePreprocessor.Prepared> out = new ArrayList<>();
        for (byte[] b : images(input)) out.add(p.prepare(b));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"single", "batch"})
    void preprocessingMatchesDetrImageProcessor(String input) throws IOException {
        PreprocessorConfig config = PreprocessorConfig.read(new ObjectMapper().readTree(
                HfDetrFolderTest.root().resolve("c5/timm/preprocessor_config.json").toFile()));
        ImagePreprocessor p = new ImagePreprocessor(config, ImageLimits.DEFAULT);
        try (NDManager m = manager.newSubManager()) {
            NDList ours = PaddedBatch.of(m, prepare(p, input));
            NDArray expectedMask = hf.get(input + ".pixel_mask");
            float pixels = maxAbsDiff(ours.get(0), hf.get(input + ".pixel_values"));
            System.out.printf("preprocessing %s %s: pixel_values %.2e%n", input, ours.get(0).getShape(), pixels);
            assertTrue(pixels <= PIXEL_TOL, "pixel_values differ by " + pixels);
            assertEquals(expectedMask.getShape(), ours.get(1).getShape());
            assertEquals(0, maxAbsDiff(ours.get(1), expectedMask), "pixel_mask");
            assertEquals(DataType.INT64, ours.get(1).getDataType());
        }
    }

    @ParameterizedTest
    @CsvSource({"c5, single", "c5, batch", "dc5, single", "dc5, batch"})
    void imageBytesToLogitsAndBoxes(String variant, String input) throws IOException {
        try (VisionModel model = VisionModel.load(HfDetrFolderTest.root().resolve(variant).resolve("timm"),
                Precision.FP32, Device.cpu())) {
            assertTrue(model.preprocessorConfig().padsBatch());
            List<VisionModel.RawOutput> raw = model.rawOutputs(prepare(model.newPreprocessor(ImageLimits.DEFAULT), input))
                    .get("detr");
            float logits = lastLayerDiff(raw.get(0), hf.get(variant + "." + input + ".logits"));
            float boxes = lastLayerDiff(raw.get(1), hf.get(variant + "." + input + ".pred_boxes"));
            System.out.printf("end to end %s %s: logits %.2e, boxes %.2e%n", variant, input, logits, boxes);
            assertTrue(logits <= MODEL_TOL, "logits differ by " + logits);
            assertTrue(boxes <= MODEL_TOL, "boxes differ by " + boxes);
        }
    }

    /**
     * HF's boxes in original pixels are not clipped; ours are clipped to the frame (documented in
     * {@link DetrPostProcessor}), so HF's are clipped here before comparing. Both lists are in
     * score order.
     */
    @ParameterizedTest
    @CsvSource({"c5, single", "c5, batch", "dc5, batch"})
    void detectionsInOriginalPixelsMatchPostProcessObjectDetection(String variant, String input) throws IOException {
        Path folder = withThreshold(variant, 0.3);
        try (VisionModel model = VisionModel.load(folder, Precision.FP32, Device.cpu())) {
            List<Map<String, HeadResult>> results = model.infer(prepare(model.newPreprocessor(ImageLimits.DEFAULT), input));
            long[] sizes = hf.get(variant + "." + input + ".target_sizes").toLongArray();
            for (int i = 0; i < results.size(); i++) {
                List<Detection> ours = ((HeadResult.Detections) results.get(i).get("detr")).detections();
                String key = variant + "." + input + ".post." + i + ".";
                float[] scores = hf.get(key + "scores").toFloatArray();
                long[] labels = hf.get(key + "labels").toLongArray();
                float[] boxes = hf.get(key + "boxes").toFloatArray();
                Integer[] order = new Integer[scores.length];
                for (int j = 0; j < order.length; j++) order[j] = j;
                java.util.Arrays.sort(order, Comparator.comparingDouble(j -> -scores[j]));
                assertEquals(scores.length, ours.size(), "detections kept in image " + i);
                float worst = 0;
                for (int r = 0; r < order.length; r++) {
                    int j = order[r];
                    Detection d = ours.get(r);
                    assertEquals(labels[j], d.labelId(), "label of detection " + r + " in image " + i);
                    assertEquals(scores[j], d.score(), MODEL_TOL, "score of detection " + r + " in image " + i);
                    float[] mine = {d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2()};
                    for (int c = 0; c < 4; c++) {
                        float limit = c % 2 == 0 ? sizes[2 * i + 1] : sizes[2 * i];
                        float expected = Math.min(Math.max(boxes[4 * j + c], 0f), limit);
                        worst = Math.max(worst, Math.abs(mine[c] - expected));
                    }
                }
                System.out.printf("post-processing %s %s image %d (%dx%d): %d boxes, max diff %.2e px%n", variant, input,
                        i, sizes[2 * i + 1], sizes[2 * i], ours.size(), worst);
                assertTrue(worst <= BOX_PX_TOL, "boxes differ by " + worst + " px");
            }
        }
    }

    private Path withThreshold(String variant, double threshold) throws IOException {
        Path src = HfDetrFolderTest.root().resolve(variant).resolve("timm");
        Path to = dir.resolve(variant);
        Files.createDirectories(to);
        for (String f : new String[] {"model.safetensors", "preprocessor_config.json"}) {
            Files.copy(src.resolve(f), to.resolve(f));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(src.resolve("config.json").toFile());
        json.writeValue(to.resolve("config.json").toFile(), config.put("score_threshold", threshold));
        return to;
    }

    /** Max difference between the last decoder layer of a raw output {@code [L, B, Q, K]} and HF's {@code [B, Q, K]}. */
    private static float lastLayerDiff(VisionModel.RawOutput raw, NDArray expected) {
        try (NDManager m = manager.newSubManager()) {
            NDArray all = m.create(raw.values(), new ai.djl.ndarray.types.Shape(raw.shape()));
            return maxAbsDiff(all.get(raw.shape()[0] - 1), expected);
        }
    }
}
