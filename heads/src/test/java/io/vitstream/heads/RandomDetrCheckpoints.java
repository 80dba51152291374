package io.vitstream.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Backbones;
import io.vitstream.backbone.Djl;
import io.vitstream.backbone.checkpoint.CheckpointFolder;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.image.PreprocessorConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real-shape {@code facebook/detr-resnet-50} folder made at test time in Java (random weights,
 * never committed): HF's {@code config.json} form ({@code model_type: detr},
 * {@code use_timm_backbone: true}, d_model 256, 6 + 6 layers, 8 heads, FFN 2048, 100 queries, 91
 * labels), every key HF names ({@code model.backbone.conv_encoder.model.*} at timm's ResNet-50
 * widths, {@code model.input_projection}, ..., {@code class_labels_classifier},
 * {@code bbox_predictor}), and {@code DetrImageProcessor}'s 800 / 1333 settings. About 166 MB.
 *
 * <p>The frozen norms get non-trivial statistics (scale around 0.5, small shifts) so that random
 * activations stay in range through 16 blocks, as a trained network's do.
 */
public final class RandomDetrCheckpoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RandomDetrCheckpoints() {}

    /**
     * Writes (once: a folder with the same config is reused) the checkpoint.
     *
     * @param scoreThreshold written as {@code score_threshold} (a key HF ignores, our DETR
     *     post-processing reads it); random weights score every class near 1/92, so 0 reports
     *     every query; negative: left out (the head's default threshold applies)
     */
    public static Path resnet50(Path dir, double scoreThreshold, int seed) {
        ObjectNode config = config(scoreThreshold);
        if (Files.isRegularFile(dir.resolve(CheckpointFolder.WEIGHTS)) && config.equals(CheckpointFolder.open(dir).config())) {
            return dir;
        }
        Djl.ensureOffline();
        Djl.engine().setRandomSeed(seed);
        try (NDManager m = Djl.engine().newBaseManager()) {
            Backbone backbone = Backbones.create(ModelConfig.backbone(config));
            backbone.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            Head head = Heads.create("detr", ModelConfig.heads(config).get("detr"), HeadContext.of(backbone));
            head.initialize(m, DataType.FLOAT32, new Shape(1));
            Map<String, NDArray> tensors = new LinkedHashMap<>(Backbones.checkpointTensors(backbone));
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                String k = e.getKey();
                long c = e.getValue().getShape().get(0);
                if (k.endsWith("running_var")) {
                    e.setValue(m.randomUniform(1f, 4f, new Shape(c)));
                } else if (k.endsWith("running_mean") || (k.contains("bn") || k.contains("downsample.1")) && k.endsWith(".bias")) {
                    e.setValue(m.randomUniform(-0.1f, 0.1f, new Shape(c)));
                } else if ((k.contains("bn") || k.contains("downsample.1")) && k.endsWith(".weight")) {
                    e.setValue(m.randomUniform(0.3f, 0.7f, new Shape(c)));
                }
            }
            head.namedParameters().forEach((k, p) -> tensors.put(head.checkpointPrefix() + k, p.getArray()));
            CheckpointFolder.write(dir, config, tensors, StorageType.F32, PreprocessorConfig.read(processor()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    private static ObjectNode config(double scoreThreshold) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("DetrForObjectDetection");
        c.put("model_type", "detr");
        c.put("use_timm_backbone", true);
        c.put("backbone", "resnet50");
        c.put("dilation", false);
        c.put("num_channels", 3);
        c.put("d_model", 256);
        c.put("encoder_layers", 6);
        c.put("decoder_layers", 6);
        c.put("encoder_attention_heads", 8);
        c.put("decoder_attention_heads", 8);
        c.put("encoder_ffn_dim", 2048);
        c.put("decoder_ffn_dim", 2048);
        c.put("num_queries", 100);
        c.put("activation_function", "relu");
        c.put("position_embedding_type", "sine");
        c.put("auxiliary_loss", false);
        ObjectNode id2label = c.putObject("id2label");
        for (int i = 0; i < 91; i++) id2label.put(Integer.toString(i), "class_" + i);
        if (scoreThreshold >= 0) c.put("score_threshold", scoreThreshold);
        return c;
    }

    private static JsonNode processor() throws java.io.IOException {
        return JSON.readTree("{\"image_processor_type\": \"DetrImageProcessor\", \"do_resize\": true,"
                + " \"size\": {\"shortest_edge\": 800, \"longest_edge\": 1333}, \"resample\": 2, \"do_rescale\": true,"
                + " \"rescale_factor\": 0.00392156862745098, \"do_normalize\": true,"
                + " \"image_mean\": [0.485, 0.456, 0.406], \"image_std\": [0.229, 0.224, 0.225], \"do_pad\": true}");
    }
}
