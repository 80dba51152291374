package io.vitstream.train.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code key=value,key=value} form of the backbone size options ({@code --dinov2},
 * {@code --resnet50}): split, keys lower-cased, unknown keys refused with the known ones.
 */
final class KeyValues {

    private final String option;
    private final Map<String, String> values;

    private KeyValues(String option, Map<String, String> values) {
        this.option = option;
        this.values = values;
    }

    /**
     * @param option the option name for messages, e.g. {@code "--dinov2"}
     * @throws IllegalArgumentException naming a part that is not key=value or a key not in {@code known}
     */
    static KeyValues parse(String option, String spec, List<String> known) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String[] p = part.trim().split("=", 2);
            if (p.length != 2) throw new IllegalArgumentException(option + ": '" + part + "' is not key=value");
            String key = p[0].trim().toLowerCase(Locale.ROOT);
            if (!known.contains(key)) {
                throw new IllegalArgumentException(option + ": unknown key '" + key + "'; known: " + String.join(", ", known));
            }
            kv.put(key, p[1].trim());
        }
        return new KeyValues(option, kv);
    }

    int integer(String key, int fallback) {
        String v = values.get(key);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + key + "=" + v + "' is not an integer", e);
        }
    }

    double number(String key, double fallback) {
        String v = values.get(key);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + key + "=" + v + "' is not a number", e);
        }
    }

    boolean flag(String key, boolean fallback) {
        String v = values.get(key);
        if (v == null) return fallback;
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(option + ": '" + key + "=" + v + "' must be true or false");
        }
        return Boolean.parseBoolean(v);
    }

    String string(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /** {@code {height, width}} from {@code N} or {@code HxW}, or the fallback. */
    int[] size(String key, int height, int width) {
        String v = values.get(key);
        if (v == null) return new int[] {height, width};
        String[] hw = v.toLowerCase(Locale.ROOT).split("x");
        try {
            return new int[] {Integer.parseInt(hw[0]), Integer.parseInt(hw[hw.length - 1])};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + key + "=" + v + "' is not N or HxW", e);
        }
    }
}
