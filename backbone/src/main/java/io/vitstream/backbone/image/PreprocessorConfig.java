package io.vitstream.backbone.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;

/**
 * The image preprocessing of a checkpoint, read from Hugging Face's
 * {@code preprocessor_config.json} (ViTImageProcessor and its relatives).
 *
 * <p>Resizing is either to an exact {@code height x width} ({@code "size": {"height", "width"}}
 * or an int), or of the shortest edge ({@code "size": {"shortest_edge"}}) followed by a center
 * crop to {@code crop_size}. One extension: {@code "vitstream_letterbox": true} resizes to fit
 * inside {@code height x width} keeping the aspect ratio and pads right and bottom with zeros
 * (after normalization), which detection needs to keep boxes undistorted.
 *
 * <p>{@code DetrImageProcessor}'s {@code "size": {"shortest_edge", "longest_edge"}} is kept as it
 * is ({@code longestEdge > 0}, see {@link #padsBatch()}): each image is resized to its own
 * {@link DetrResize} size, and a batch is padded bottom-right to its largest height and width
 * with a pixel mask, as HF's {@code do_pad} does; {@code height x width} is then
 * {@code shortest_edge x longest_edge}, the input of a landscape frame within the limit.
 *
 * @param doResize whether to resize
 * @param height target height (exact mode and letterbox) or crop height
 * @param width target width (exact mode and letterbox) or crop width
 * @param shortestEdge target shortest edge, or 0 for exact / letterbox resizing
 * @param letterbox keep aspect ratio and pad instead of stretching
 * @param resample PIL filter
 * @param doRescale whether to multiply by {@code rescaleFactor}
 * @param rescaleFactor usually 1/255
 * @param doNormalize whether to apply {@code (x - mean) / std}
 * @param mean per-channel mean (RGB)
 * @param std per-channel standard deviation (RGB)
 * @param longestEdge DETR's longest-edge limit (images of varying size, padded per batch), else 0
 */
public record PreprocessorConfig(boolean doResize, int height, int width, int shortestEdge, boolean letterbox,
        Resampler.Filter resample, boolean doRescale, double rescaleFactor, boolean doNormalize,
        float[] mean, float[] std, int longestEdge) {

    /** Types whose {@code {shortest_edge, longest_edge}} size vitstream reproduces exactly. */
    private static final java.util.Set<String> DETR_TYPES =
            java.util.Set.of("DetrImageProcessor", "DetrImageProcessorFast", "DetrImageProcessorPil");

    /** Settings of one fixed input size (no DETR resizing). */
    public PreprocessorConfig(boolean doResize, int height, int width, int shortestEdge, boolean letterbox,
            Resampler.Filter resample, boolean doRescale, double rescaleFactor, boolean doNormalize,
            float[] mean, float[] std) {
        this(doResize, height, width, shortestEdge, letterbox, resample, doRescale, rescaleFactor, doNormalize, mean, std, 0);
    }

    public PreprocessorConfig {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("preprocessor_config.json: size must be positive, got " + height + "x" + width);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("preprocessor_config.json: image_mean and image_std need 3 values, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("preprocessor_config.json: image_std values must be > 0, got " + Arrays.toString(std));
            }
        }
    }

    /** Hugging Face's ViT defaults at a given size: bilinear, 1/255, mean = std = 0.5. */
    public static PreprocessorConfig vitDefaults(int height, int width) {
        return new PreprocessorConfig(true, height, width, 0, false, Resampler.Filter.BILINEAR, true, 1 / 255.0, true,
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
    }

    /** The same settings with letterboxing switched on or off. */
    public PreprocessorConfig withLetterbox(boolean on) {
        return new PreprocessorConfig(doResize, height, width, shortestEdge, on, resample, doRescale, rescaleFactor,
                doNormalize, mean, std, longestEdge);
    }

    /**
     * Whether images keep their own (DETR) size and a batch is padded to its largest with a pixel
     * mask, instead of every image having the input size {@code height x width}.
     */
    public boolean padsBatch() {
        return longestEdge > 0;
    }

    /**
     * How an image becomes the model's input, for APIs and logs (snake_case keys):
     * <ul>
     *   <li>{@code {"mode": "exact", "height", "width"}}: stretched to that size;
     *   <li>{@code {"mode": "letterbox", "height", "width"}}: fitted inside it, aspect kept, padded;
     *   <li>{@code {"mode": "shortest_edge_crop", "shortest_edge", "height", "width"}}: shortest
     *       edge resized, then centre-cropped to {@code height x width};
     *   <li>{@code {"mode": "shortest_longest_edge", "shortest_edge", "longest_edge", "pads_batch": true}}:
     *       DETR's own size per image (no fixed input size), a batch padded to its largest;
     *   <li>{@code {"mode": "none", "height", "width"}}: images must already have that size.
     * </ul>
     */
    public java.util.Map<String, Object> resizeInfo() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        if (padsBatch()) {
            m.put("mode", "shortest_longest_edge");
            m.put("shortest_edge", height);
            m.put("longest_edge", longestEdge);
            m.put("pads_batch", true);
            return m;
        }
        m.put("mode", !doResize ? "none" : letterbox ? "letterbox" : shortestEdge > 0 ? "shortest_edge_crop" : "exact");
        if (doResize && shortestEdge > 0 && !letterbox) {
            m.put("shortest_edge", shortestEdge);
        }
        m.put("height", height);
        m.put("width", width);
        return m;
    }

    /**
     * Reads a {@code preprocessor_config.json}.
     *
     * @throws IllegalArgumentException naming the malformed setting
     */
    public static PreprocessorConfig read(JsonNode json) {
        int h;
        int w;
        int shortest = 0;
        JsonNode size = json.get("size");
        JsonNode crop = json.get("crop_size");
        if (size == null) {
            throw new IllegalArgumentException("preprocessor_config.json: missing setting 'size'");
        } else if (size.isInt()) {
            h = size.asInt();
            w = size.asInt();
        } else if (size.has("height") && size.has("width")) {
            h = size.get("height").asInt();
            w = size.get("width").asInt();
        } else if (size.has("shortest_edge") && size.has("longest_edge")) {
            h = size.get("shortest_edge").asInt();
            w = size.get("longest_edge").asInt();
            // DetrImageProcessor exactly (its own size per image, padded batches); other processors
            // of this form (YOLOS, Deformable DETR, ...) are not reproduced: they get a fixed-size
            // letterbox into shortest x longest, which equals HF's size only for landscape frames
            // within the limit.
            boolean detr = DETR_TYPES.contains(json.path("image_processor_type").asText(""));
            if (detr && !json.path("do_pad").asBoolean(true)) {
                throw new IllegalArgumentException("preprocessor_config.json: DetrImageProcessor with 'do_pad': false"
                        + " gives images of varying size that cannot share a batch; vitstream needs 'do_pad': true");
            }
            if (h <= 0 || w < h) {
                throw new IllegalArgumentException("preprocessor_config.json: 'size' needs 0 < shortest_edge <="
                        + " longest_edge, got " + size);
            }
            return new PreprocessorConfig(json.path("do_resize").asBoolean(true), h, w, 0, !detr,
                    Resampler.Filter.fromPil(json.path("resample").asInt(2)),
                    json.path("do_rescale").asBoolean(true), json.path("rescale_factor").asDouble(1 / 255.0),
                    json.path("do_normalize").asBoolean(true),
                    triple(json, "image_mean", 0.5f), triple(json, "image_std", 0.5f), detr ? w : 0);
        } else if (size.has("shortest_edge")) {
            shortest = size.get("shortest_edge").asInt();
            boolean crops = json.path("do_center_crop").asBoolean(crop != null);
            if (!crops || crop == null) {
                throw new IllegalArgumentException("preprocessor_config.json: 'size.shortest_edge' without 'do_center_crop'"
                        + " and 'crop_size' gives images of varying size; vitstream needs a fixed input size");
            }
            h = crop.isInt() ? crop.asInt() : crop.path("height").asInt();
            w = crop.isInt() ? crop.asInt() : crop.path("width").asInt();
        } else {
            throw new IllegalArgumentException("preprocessor_config.json: 'size' must be an int, {height, width} or"
                    + " {shortest_edge}, got " + size);
        }
        return new PreprocessorConfig(json.path("do_resize").asBoolean(true), h, w, shortest,
                json.path("vitstream_letterbox").asBoolean(false),
                Resampler.Filter.fromPil(json.path("resample").asInt(2)),
                json.path("do_rescale").asBoolean(true), json.path("rescale_factor").asDouble(1 / 255.0),
                json.path("do_normalize").asBoolean(true),
                triple(json, "image_mean", 0.5f), triple(json, "image_std", 0.5f));
    }

    private static float[] triple(JsonNode json, String key, float fallback) {
        JsonNode v = json.get(key);
        if (v == null) {
            return new float[] {fallback, fallback, fallback};
        }
        if (v.isNumber()) {
            return new float[] {v.floatValue(), v.floatValue(), v.floatValue()};
        }
        if (!v.isArray() || v.size() != 3) {
            throw new IllegalArgumentException("preprocessor_config.json: '" + key + "' must be 3 numbers, got " + v);
        }
        return new float[] {v.get(0).floatValue(), v.get(1).floatValue(), v.get(2).floatValue()};
    }

    /**
     * Writes HF's format: a {@code DetrImageProcessor} when batches are padded, a
     * {@code BitImageProcessor} (DINOv2's) for a shortest-edge resize and centre crop, which
     * ViT's processor does not do, else a {@code ViTImageProcessor} for an exact size.
     */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("image_processor_type", padsBatch() ? "DetrImageProcessor"
                : shortestEdge > 0 ? "BitImageProcessor" : "ViTImageProcessor");
        o.put("do_resize", doResize);
        if (padsBatch()) {
            o.putObject("size").put("shortest_edge", height).put("longest_edge", longestEdge);
            o.put("do_pad", true);
        } else if (shortestEdge > 0) {
            o.putObject("size").put("shortest_edge", shortestEdge);
            o.put("do_center_crop", true);
            o.putObject("crop_size").put("height", height).put("width", width);
        } else {
            o.putObject("size").put("height", height).put("width", width);
        }
        if (letterbox) o.put("vitstream_letterbox", true);
        o.put("resample", resample.pilCode());
        o.put("do_rescale", doRescale);
        o.put("rescale_factor", rescaleFactor);
        o.put("do_normalize", doNormalize);
        var m = o.putArray("image_mean");
        var s = o.putArray("image_std");
        for (int i = 0; i < 3; i++) {
            m.add(mean[i]);
            s.add(std[i]);
        }
        o.put("do_convert_rgb", true);
        return o;
    }
}
