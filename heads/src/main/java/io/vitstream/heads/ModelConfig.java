package io.vitstream.heads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Backbones;
import io.vitstream.heads.detr.HfDetrConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The layout of {@code config.json} for a backbone plus heads.
 *
 * <p>vitstream writes {@code {"vitstream": 1, "backbone": {...}, "heads": {name: {"type": ...}}}}.
 * A plain Hugging Face config (no {@code "backbone"} key) is read too: the whole file is the
 * backbone, and an {@code architectures} entry ending in {@code ForImageClassification} adds a
 * classification head named {@code "classification"} with HF's layout, so a
 * {@code google/vit-base-patch16-224} folder loads unchanged. Its pooling is the one HF's class
 * for that {@code model_type} uses: the class token, or for DINOv2 ({@code Dinov2ForImageClassification},
 * {@code Dinov2WithRegistersForImageClassification}) the class token concatenated with the mean
 * patch token. An HF DETR config ({@code model_type: detr}) is a ResNet backbone plus a head
 * named {@code "detr"}, read by {@link HfDetrConfig}.
 */
public final class ModelConfig {

    /** The format version written in {@code "vitstream"}. */
    public static final int VERSION = 1;

    /** HF classifiers that do not pool the class token alone, by {@code model_type}. */
    private static final Map<String, String> HF_POOLING = Map.of("dinov2", "cls+mean", "dinov2_with_registers", "cls+mean");

    private ModelConfig() {}

    /** The backbone section. */
    public static JsonNode backbone(JsonNode config) {
        if (HfDetrConfig.isDetr(config)) {
            return HfDetrConfig.backbone(config);
        }
        return Backbones.backboneSection(config);
    }

    /**
     * The head sections by name, in file order.
     *
     * @throws IllegalArgumentException when {@code heads} is malformed
     */
    public static Map<String, JsonNode> heads(JsonNode config) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        JsonNode heads = config.get("heads");
        if (HfDetrConfig.isDetr(config)) {
            out.put("detr", HfDetrConfig.head(config));
            return out;
        }
        if (config.has("backbone")) {
            if (heads != null && !heads.isObject()) {
                throw new IllegalArgumentException("config.json: 'heads' must be an object of name: {type, ...}");
            }
            if (heads != null) heads.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
            return out;
        }
        for (JsonNode arch : config.path("architectures")) {
            if (arch.asText().endsWith("ForImageClassification")) {
                ObjectNode c = JsonNodeFactory.instance.objectNode();
                c.put("type", "classification");
                if (config.has("num_labels")) c.set("num_labels", config.get("num_labels"));
                if (config.has("id2label")) c.set("id2label", config.get("id2label"));
                Labels.defaultAsHuggingFace(c);
                c.put("pooling", HF_POOLING.getOrDefault(config.path("model_type").asText(), "cls"));
                c.put("prefix", "classifier.");
                out.put("classification", c);
            }
        }
        return out;
    }

    /** Writes the composite layout. */
    public static ObjectNode write(Backbone backbone, Map<String, Head> heads) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("vitstream", VERSION);
        o.set("backbone", backbone.toConfigJson());
        ObjectNode h = o.putObject("heads");
        heads.forEach((name, head) -> h.set(name, head.toConfigJson()));
        return o;
    }
}
