package io.vitstream.heads.detr;

import static io.vitstream.backbone.Fixtures.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.Features;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.checkpoint.CheckpointException;
import io.vitstream.backbone.checkpoint.SafeTensors;
import io.vitstream.heads.VisionModel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * HF {@code DetrForObjectDetection} folders (random weights, a ResNet-50 with narrow stages,
 * saved by HF's save_pretrained: tools/make_detr_hf_fixtures.py) load as they are and give HF's
 * logits and boxes for HF's pixel_values and pixel_mask, alone and as a padded batch of two sizes.
 */
class HfDetrFolderTest {

    private static final float TOL = 1e-4f;

    private static NDManager manager;
    private static Map<String, NDArray> hf;

    @TempDir
    Path dir;

    @BeforeAll
    static void read() {
        manager = NDManager.newBaseManager();
        hf = SafeTensors.read(root().resolve("outputs.safetensors"), manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Path root() {
        try {
            return Path.of(HfDetrFolderTest.class.getResource("/detr-hf").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({"c5, timm, single", "c5, timm, batch", "c5, backbone_config, single", "c5, backbone_config, batch",
            "dc5, timm, single", "dc5, timm, batch", "dc5, backbone_config, batch"})
    void matchesHuggingFace(String variant, String form, String input) {
        try (VisionModel model = VisionModel.load(root().resolve(variant).resolve(form), Precision.FP32, Device.cpu());
                NDManager batch = manager.newSubManager()) {
            NDArray pixels = hf.get(input + ".pixel_values");
            NDArray mask = hf.get(input + ".pixel_mask");
            Features features = model.backbone().features(pixels);
            DetrHead head = (DetrHead) model.heads().get("detr");
            NDList out = head.forward(null, features, input.equals("single") ? null : mask, false);
            long last = out.get(0).getShape().get(0) - 1;
            float logits = maxAbsDiff(out.get(0).get(last), hf.get(variant + "." + input + ".logits"));
            float boxes = maxAbsDiff(out.get(1).get(last), hf.get(variant + "." + input + ".pred_boxes"));
            System.out.printf("%s/%s %s: logits %.2e, boxes %.2e%n", variant, form, input, logits, boxes);
            assertTrue(logits <= TOL, "logits differ by " + logits);
            assertTrue(boxes <= TOL, "boxes differ by " + boxes);
        }
    }

    @Test
    void refusesAnUnsupportedBackboneWithTheSupportedList() throws IOException {
        Path folder = copy("c5/timm", c -> c.put("backbone", "resnet101"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VisionModel.load(folder, Precision.FP32, Device.cpu()));
        assertTrue(e.getMessage().contains("'resnet101'") && e.getMessage().contains("[resnet50]"), e.getMessage());
    }

    @Test
    void refusesAnUnsupportedModelTypeWithTheKnownBackbones() throws IOException {
        Path folder = copy("c5/timm", c -> c.put("model_type", "yolos"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VisionModel.load(folder, Precision.FP32, Device.cpu()));
        assertTrue(e.getMessage().contains("'yolos'") && e.getMessage().contains("resnet50"), e.getMessage());
    }

    /**
     * Inference folds each frozen norm into its convolution; training runs them apart (the
     * parity above checks the folded form against HF): both give the same C5 features.
     */
    @ParameterizedTest
    @CsvSource({"c5", "dc5"})
    void foldedNormsEqualTheNormsApart(String variant) {
        try (VisionModel model = VisionModel.load(root().resolve(variant).resolve("timm"), Precision.FP32, Device.cpu());
                NDManager batch = manager.newSubManager()) {
            NDArray pixels = hf.get("batch.pixel_values");
            NDArray folded = model.backbone().features(null, pixels, false, false).tokens();
            NDArray apart = model.backbone().features(null, pixels, true, false).tokens();
            float scale = apart.abs().max().getFloat();
            float diff = maxAbsDiff(folded, apart);
            assertTrue(scale > 0.1f, "features all near zero: " + scale);
            assertTrue(diff <= 1e-5f * Math.max(1f, scale), variant + ": folded and apart differ by " + diff + " (scale " + scale + ")");
        }
    }

    /**
     * A config with neither {@code num_labels} nor {@code id2label} (transformers 5 writes none
     * for a default {@code DetrConfig()}) means 2 labels, as Hugging Face reads it: this fixture's
     * classifier has 3 (+1 for no object), so the load names that key's shapes instead of
     * refusing the config.
     */
    @Test
    void noLabelsInTheConfigMeansHuggingFacesTwo() throws IOException {
        Path folder = copy("c5/timm", c -> {
            c.remove("id2label");
            c.remove("label2id");
            c.remove("num_labels");
        });
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> VisionModel.load(folder, Precision.FP32, Device.cpu()));
        assertTrue(e.getMessage().contains("class_labels_classifier.weight") && e.getMessage().contains("(3, "), e.getMessage());
    }

    @Test
    void namesAMissingAndAMisshapedBackboneKey() throws IOException {
        Path folder = copy("c5/timm", c -> { });
        Map<String, NDArray> tensors = SafeTensors.read(folder.resolve("model.safetensors"), manager);
        String prefix = "model.backbone.conv_encoder.model.";
        tensors.remove(prefix + "layer3.2.bn2.running_var");
        tensors.put(prefix + "layer1.0.conv2.weight", manager.zeros(new ai.djl.ndarray.types.Shape(8, 8, 1, 1)));
        tensors.put(prefix + "layer2.0.bn1.num_batches_tracked", manager.create(new long[] {5}));
        NDList list = new NDList();
        tensors.forEach((k, v) -> { v.setName(k); list.add(v); });
        try (OutputStream out = Files.newOutputStream(folder.resolve("model.safetensors"))) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> VisionModel.load(folder, Precision.FP32, Device.cpu()));
        assertTrue(e.getMessage().contains("missing key '" + prefix + "layer3.2.bn2.running_var'"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + prefix + "layer1.0.conv2.weight' has shape (8, 8, 1, 1)"), e.getMessage());
    }

    @Test
    void acceptsBatchNormCounters() throws IOException {
        Path folder = copy("c5/timm", c -> { });
        Map<String, NDArray> tensors = SafeTensors.read(folder.resolve("model.safetensors"), manager);
        tensors.put("model.backbone.conv_encoder.model.layer2.0.bn1.num_batches_tracked", manager.create(new long[] {5}));
        tensors.put("model.backbone.conv_encoder.model.bn1.num_batches_tracked", manager.create(new long[] {5}));
        NDList list = new NDList();
        tensors.forEach((k, v) -> { v.setName(k); list.add(v); });
        try (OutputStream out = Files.newOutputStream(folder.resolve("model.safetensors"))) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
        try (VisionModel model = VisionModel.load(folder, Precision.FP32, Device.cpu())) {
            assertEquals("resnet50", model.backbone().architecture());
        }
    }

    private Path copy(String from, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path src = root().resolve(from);
        Path to = dir.resolve(from.replace('/', '-'));
        Files.createDirectories(to);
        for (String f : new String[] {"model.safetensors", "preprocessor_config.json"}) {
            Files.copy(src.resolve(f), to.resolve(f));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(src.resolve("config.json").toFile());
        edit.accept(config);
        json.writeValue(to.resolve("config.json").toFile(), config);
        return to;
    }
}
