package io.vitstream.heads.classification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.heads.Labels;

import java.util.List;

/**
 * Settings of the classification head.
 *
 * @param labels class names, one per output
 * @param pooling how tokens become one vector per image
 * @param useNorm whether a LayerNorm precedes the linear layer (timm's {@code fc_norm}, useful
 *     with mean pooling since the backbone's final norm was applied per token)
 * @param normEps epsilon of that LayerNorm
 * @param prefix checkpoint key prefix ({@code "classifier."} as in HF ViTForImageClassification)
 * @param topK how many labels post-processing reports
 */
public record ClassificationConfig(List<String> labels, Pooling pooling, boolean useNorm, double normEps,
        String prefix, int topK) {

    /** Pooling of the backbone tokens. */
    public enum Pooling {
        /** The class token (HF ViTForImageClassification). */
        CLS("cls"),
        /** The mean of the patch tokens (prefix tokens excluded). */
        MEAN("mean"),
        /**
         * The class token concatenated with the mean of the patch tokens (registers excluded), a
         * {@code 2D} vector: HF {@code Dinov2ForImageClassification} and its with-registers twin.
         */
        CLS_MEAN("cls+mean");

        private final String label;

        Pooling(String label) {
            this.label = label;
        }

        /** The name in {@code config.json}. */
        public String label() {
            return label;
        }

        /** Width of the pooled vector for tokens of width {@code d}. */
        public int width(int d) {
            return this == CLS_MEAN ? 2 * d : d;
        }

        /**
         * The pooling named {@code label} in {@code config.json}.
         *
         * @throws IllegalArgumentException naming the value and the known ones
         */
        public static Pooling parse(String label) {
            for (Pooling p : values()) {
                if (p.label.equalsIgnoreCase(label)) return p;
            }
            throw new IllegalArgumentException("unknown pooling '" + label + "'; use cls, mean or cls+mean");
        }
    }

    public ClassificationConfig {
        labels = List.copyOf(labels);
        if (labels.isEmpty()) throw new IllegalArgumentException("num_labels must be > 0");
        if (topK <= 0) throw new IllegalArgumentException("top_k must be > 0, got " + topK);
    }

    /** Reads a head section; absent fields take HF ViT's behaviour (class token, no norm). */
    public static ClassificationConfig read(JsonNode c) {
        int n = Labels.count(c);
        Pooling p = Pooling.parse(c.path("pooling").asText("cls"));
        return new ClassificationConfig(Labels.read(c.get("id2label"), n), p, c.path("use_norm").asBoolean(false),
                c.path("norm_eps").asDouble(1e-6), c.path("prefix").asText("classifier."),
                Math.min(c.path("top_k").asInt(5), n));
    }

    /** Writes the head section. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", "classification");
        o.put("num_labels", labels.size());
        o.set("id2label", Labels.write(labels));
        o.put("pooling", pooling.label());
        o.put("use_norm", useNorm);
        if (useNorm) o.put("norm_eps", normEps);
        o.put("prefix", prefix);
        o.put("top_k", topK);
        return o;
    }
}
