package io.vitstream.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The COCO object-detection annotation format ({@code instances.json}): images, categories and
 * annotations whose {@code bbox} is {@code [x, y, width, height]} in pixels from the top-left
 * corner. Only what box detection needs is kept; segmentation is ignored and {@code iscrowd}
 * annotations are rejected, since the metrics here are crowd-free.
 *
 * @param images the images, in file order
 * @param categories category id to name, in file order (label index = position)
 * @param annotations all boxes
 */
public record CocoDataset(List<Image> images, Map<Integer, String> categories, List<Annotation> annotations) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One image entry. */
    public record Image(int id, String fileName, int width, int height) {}

    /** One box: {@code bbox} is {@code [x, y, w, h]} in pixels. */
    public record Annotation(int id, int imageId, int categoryId, float[] bbox) {}

    public CocoDataset {
        images = List.copyOf(images);
        categories = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(categories));
        annotations = List.copyOf(annotations);
    }

    /** Category names in label order. */
    public List<String> labels() {
        return new ArrayList<>(categories.values());
    }

    /** The label index (position in {@link #categories}) of a category id. */
    public int labelOf(int categoryId) {
        int i = 0;
        for (Integer id : categories.keySet()) {
            if (id == categoryId) return i;
            i++;
        }
        throw new IllegalArgumentException("unknown category_id " + categoryId + "; categories: " + categories.keySet());
    }

    /** Annotations grouped by image id. */
    public Map<Integer, List<Annotation>> byImage() {
        Map<Integer, List<Annotation>> out = new LinkedHashMap<>();
        images.forEach(i -> out.put(i.id(), new ArrayList<>()));
        annotations.forEach(a -> out.get(a.imageId()).add(a));
        return out;
    }

    /**
     * Reads an {@code instances.json}.
     *
     * @throws IllegalArgumentException naming the file and the malformed entry
     */
    public static CocoDataset read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        List<Image> images = new ArrayList<>();
        for (JsonNode i : required(root, "images", file)) {
            images.add(new Image(i.path("id").asInt(), text(i, "file_name", file), i.path("width").asInt(), i.path("height").asInt()));
        }
        Map<Integer, String> categories = new LinkedHashMap<>();
        for (JsonNode c : required(root, "categories", file)) categories.put(c.path("id").asInt(), text(c, "name", file));
        java.util.Set<Integer> imageIds = new java.util.HashSet<>();
        images.forEach(i -> imageIds.add(i.id()));
        List<Annotation> annotations = new ArrayList<>();
        for (JsonNode a : required(root, "annotations", file)) {
            int id = a.path("id").asInt();
            JsonNode b = a.get("bbox");
            if (b == null || !b.isArray() || b.size() != 4) {
                throw new IllegalArgumentException(file + ": annotation " + id + " has no [x, y, w, h] bbox");
            }
            if (a.path("iscrowd").asInt(0) != 0) {
                throw new IllegalArgumentException(file + ": annotation " + id + " is a crowd region (iscrowd=1), which is not supported");
            }
            int imageId = a.path("image_id").asInt();
            int category = a.path("category_id").asInt();
            if (!imageIds.contains(imageId)) throw new IllegalArgumentException(file + ": annotation " + id + " refers to unknown image_id " + imageId);
            if (!categories.containsKey(category)) throw new IllegalArgumentException(file + ": annotation " + id + " refers to unknown category_id " + category);
            annotations.add(new Annotation(id, imageId, category,
                    new float[] {b.get(0).floatValue(), b.get(1).floatValue(), b.get(2).floatValue(), b.get(3).floatValue()}));
        }
        return new CocoDataset(images, categories, annotations);
    }

    private static JsonNode required(JsonNode root, String key, Path file) {
        JsonNode n = root.get(key);
        if (n == null || !n.isArray()) throw new IllegalArgumentException(file + ": missing array '" + key + "'");
        return n;
    }

    private static String text(JsonNode n, String key, Path file) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException(file + ": entry " + n + " has no '" + key + "'");
        return v.asText();
    }

    /** Writes an {@code instances.json} (with {@code area} and {@code iscrowd: 0} for other tools). */
    public void write(Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("info").put("description", "written by vitstream-train");
        ArrayNode imgs = root.putArray("images");
        images.forEach(i -> imgs.addObject().put("id", i.id()).put("file_name", i.fileName()).put("width", i.width()).put("height", i.height()));
        ArrayNode cats = root.putArray("categories");
        categories.forEach((id, name) -> cats.addObject().put("id", id).put("name", name));
        ArrayNode anns = root.putArray("annotations");
        for (Annotation a : annotations) {
            ObjectNode o = anns.addObject().put("id", a.id()).put("image_id", a.imageId()).put("category_id", a.categoryId());
            ArrayNode b = o.putArray("bbox");
            for (float v : a.bbox()) b.add(v);
            o.put("area", a.bbox()[2] * a.bbox()[3]);
            o.put("iscrowd", 0);
        }
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
