package io.vitstream.heads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Reads and writes Hugging Face's {@code id2label} maps. */
public final class Labels {

    private Labels() {}

    /**
     * Class names for {@code numLabels} classes from an {@code id2label} object; missing ids are
     * named by their index (HF's own default is {@code LABEL_i}; a bare index reads better in
     * results).
     *
     * @throws IllegalArgumentException when an id is not an integer in range
     */
    public static List<String> read(JsonNode id2label, int numLabels) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < numLabels; i++) names.add(Integer.toString(i));
        if (id2label == null || id2label.isNull()) {
            return names;
        }
        id2label.fields().forEachRemaining(e -> {
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("id2label key '" + e.getKey() + "' is not an integer");
            }
            if (id < 0 || id >= numLabels) {
                throw new IllegalArgumentException("id2label has id " + id + " but num_labels is " + numLabels);
            }
            names.set(id, e.getValue().asText());
        });
        return names;
    }

    /** {@code {"0": name0, ...}}. */
    public static ObjectNode write(List<String> names) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < names.size(); i++) o.put(Integer.toString(i), names.get(i));
        return o;
    }

    /**
     * What Hugging Face assumes of a config that names neither {@code num_labels} nor
     * {@code id2label} ({@code PretrainedConfig}'s default: 2 labels): set on a head section read
     * from a plain HF config, so a folder saved with the default loads as HF loads it.
     */
    public static void defaultAsHuggingFace(ObjectNode head) {
        boolean noNames = !head.has("id2label") || head.get("id2label").isNull() || head.get("id2label").size() == 0;
        if (!head.has("num_labels") && noNames) {
            head.put("num_labels", 2);
        }
    }

    /** The number of labels a head config declares: {@code num_labels}, else the size of {@code id2label}. */
    public static int count(JsonNode config) {
        if (config.has("num_labels")) {
            int n = config.get("num_labels").asInt();
            if (n <= 0) throw new IllegalArgumentException("num_labels must be > 0, got " + config.get("num_labels"));
            return n;
        }
        JsonNode id2label = config.get("id2label");
        if (id2label == null || id2label.size() == 0) {
            throw new IllegalArgumentException("needs 'num_labels' or a non-empty 'id2label'");
        }
        return id2label.size();
    }
}
