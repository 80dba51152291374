package io.vitstream.analytics;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The lines and zones of one camera, in its frame's pixels. Names are unique per kind.
 *
 * <p>JSON form (the {@code camera-config} topic's value, key = camera):
 * <pre>{"lines": {"door": [x1, y1, x2, y2]}, "zones": {"till": [x1, y1, x2, y2, x3, y3]}}</pre>
 * Both members are optional; unknown members are refused (a typo would otherwise silently
 * configure nothing), and so is a name given twice.
 */
public record CameraConfig(List<LineSpec> lines, List<ZoneSpec> zones) {

    /** No lines, no zones: tracking only. */
    public static final CameraConfig EMPTY = new CameraConfig(List.of(), List.of());

    static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * Copies the lists (null counts as empty); refuses null elements and duplicate names within
     * lines or within zones.
     */
    public CameraConfig {
        lines = lines == null ? List.of() : List.copyOf(lines);
        zones = zones == null ? List.of() : List.copyOf(zones);
        requireUnique("lines", lines.stream().map(LineSpec::name).toList());
        requireUnique("zones", zones.stream().map(ZoneSpec::name).toList());
    }

    private static void requireUnique(String kind, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("camera config: two " + kind + " named '" + name + "'");
            }
        }
    }

    /**
     * From settings {@code <prefix>lines.<name>=x1,y1,x2,y2} and {@code <prefix>zones.<name>=...}
     * (keys of {@code settings} are relative to the camera, e.g. {@code lines.door}). Lines and
     * zones come out sorted by name.
     *
     * @param settingPrefix e.g. {@code vitstream.analytics.cameras.cam-1.}, for messages
     * @throws IllegalArgumentException naming the full setting of the first bad value (in key
     *     order), or an unknown key under the camera
     */
    public static CameraConfig fromSettings(String settingPrefix, Map<String, String> settings) {
        List<LineSpec> lines = new ArrayList<>();
        List<ZoneSpec> zones = new ArrayList<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(settings).entrySet()) {
            String key = entry.getKey();
            String setting = settingPrefix + key;
            if (key.startsWith("lines.")) {
                lines.add(LineSpec.parse(setting, key.substring("lines.".length()), entry.getValue()));
            } else if (key.startsWith("zones.")) {
                zones.add(ZoneSpec.parse(setting, key.substring("zones.".length()), entry.getValue()));
            } else {
                throw new IllegalArgumentException("unknown setting '" + setting + "' (expected "
                        + settingPrefix + "lines.<name> or " + settingPrefix + "zones.<name>)");
            }
        }
        return new CameraConfig(lines, zones);
    }

    /**
     * Every camera's config from settings {@code <prefix><camera>.lines.<name>} and
     * {@code <prefix><camera>.zones.<name>}: the camera is what comes before the first
     * {@code .lines.} or {@code .zones.} of a key.
     *
     * @param settingPrefix e.g. {@code vitstream.analytics.cameras.}, for messages
     * @param settings keys relative to {@code settingPrefix}, e.g. {@code cam-1.lines.door}
     * @return configs by camera, sorted by camera
     * @throws IllegalArgumentException naming the full setting of the first bad value or unknown key
     */
    public static Map<String, CameraConfig> camerasFromSettings(String settingPrefix, Map<String, String> settings) {
        Map<String, Map<String, String>> byCamera = new TreeMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(settings).entrySet()) {
            String key = entry.getKey();
            int cut = firstOf(key, ".lines.", ".zones.");
            if (cut <= 0) {
                throw new IllegalArgumentException("unknown setting '" + settingPrefix + key + "' (expected "
                        + settingPrefix + "<camera>.lines.<name> or " + settingPrefix + "<camera>.zones.<name>)");
            }
            byCamera.computeIfAbsent(key.substring(0, cut), camera -> new TreeMap<>())
                    .put(key.substring(cut + 1), entry.getValue());
        }
        Map<String, CameraConfig> configs = new TreeMap<>();
        byCamera.forEach((camera, own) -> configs.put(camera, fromSettings(settingPrefix + camera + ".", own)));
        return Collections.unmodifiableMap(configs);
    }

    private static int firstOf(String key, String first, String second) {
        int i = key.indexOf(first);
        int j = key.indexOf(second);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /**
     * From the JSON form.
     *
     * @throws IllegalArgumentException with the reason (not JSON, unknown member, bad line or zone by name)
     */
    public static CameraConfig fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("camera config could not be read as JSON: " + e.getOriginalMessage(), e);
        }
        return fromJson(root);
    }

    /** From a parsed JSON tree (also the {@code config} member of a snapshot). */
    static CameraConfig fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("camera config must be a JSON object like {\"lines\": {...}, "
                    + "\"zones\": {...}}, got " + (root == null ? "nothing" : root.getNodeType()));
        }
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String member = entry.getKey();
            if (!member.equals("lines") && !member.equals("zones")) {
                throw new IllegalArgumentException(
                        "camera config: unknown member '" + member + "' (expected lines, zones)");
            }
        }
        List<LineSpec> lines = new ArrayList<>();
        named(root, "lines").forEach((name, numbers) -> lines.add(LineSpec.of("line '" + name + "'", name, numbers)));
        List<ZoneSpec> zones = new ArrayList<>();
        named(root, "zones").forEach((name, numbers) -> zones.add(ZoneSpec.of("zone '" + name + "'", name, numbers)));
        return new CameraConfig(lines, zones);
    }

    /** The numbers of each name under {@code member}, in the document's order. */
    private static Map<String, double[]> named(JsonNode root, String member) {
        Map<String, double[]> out = new LinkedHashMap<>();
        JsonNode node = root.get(member);
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("camera config: '" + member
                    + "' must be an object of name: [numbers], got " + node.getNodeType());
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String what = member.substring(0, member.length() - 1) + " '" + entry.getKey() + "'";
            out.put(entry.getKey(), numbers(what, entry.getValue()));
        }
        return out;
    }

    private static double[] numbers(String what, JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException(what + ": expected an array of numbers, got " + array.getNodeType());
        }
        double[] numbers = new double[array.size()];
        for (int i = 0; i < numbers.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber()) {
                throw new IllegalArgumentException(what + ": value " + (i + 1) + " is not a number (" + value + ")");
            }
            numbers[i] = value.doubleValue();
        }
        return numbers;
    }

    /** The JSON form (parsed back by {@link #fromJson}). */
    public String toJson() {
        return toJsonTree().toString();
    }

    /** The JSON form as a tree. */
    ObjectNode toJsonTree() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode lineNodes = root.putObject("lines");
        for (LineSpec line : lines) {
            lineNodes.putArray(line.name()).add(line.a().x()).add(line.a().y()).add(line.b().x()).add(line.b().y());
        }
        ObjectNode zoneNodes = root.putObject("zones");
        for (ZoneSpec zone : zones) {
            ArrayNode corners = zoneNodes.putArray(zone.name());
            zone.polygon().forEach(p -> corners.add(p.x()).add(p.y()));
        }
        return root;
    }
}
