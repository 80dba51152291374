package io.vitstream.backbone.resnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.Map;

/**
 * A bottleneck ResNet (He et al. 2016, the "v1.5" form with the stride on the 3x3 convolution,
 * as timm and torchvision build it) described as data: blocks per stage and the stage widths.
 *
 * @param name the preset name (the registry name, e.g. {@code "resnet50"})
 * @param layers bottleneck blocks in each of the 4 stages (ResNet-50: 3, 4, 6, 3)
 * @param channels each stage's bottleneck width; a stage outputs 4x as many channels
 *     (ResNet-50: 64, 128, 256, 512, so C5 has 2048); timm's {@code channels} argument
 * @param dilated DETR-DC5: the last stage keeps stride 16 and dilates its 3x3 convolutions by 2
 *     (timm's {@code output_stride=16}; HF DETR's {@code dilation: true})
 * @param imageHeight input height the checkpoint was trained at (DETR: 800)
 * @param imageWidth input width the checkpoint was trained at (DETR: 1066 for 4:3 frames)
 */
public record ResNetConfig(String name, int[] layers, int[] channels, boolean dilated, int imageHeight, int imageWidth) {

    /** Width of the stem (timm's ResNet keeps 64 for the plain 7x7 stem whatever the stage widths). */
    public static final int STEM_WIDTH = 64;

    /** Bottleneck expansion: a stage outputs {@code 4 * channels}. */
    public static final int EXPANSION = 4;

    /** The named presets; only ResNet-50 so far. */
    static final Map<String, int[]> LAYERS = Map.of("resnet50", new int[] {3, 4, 6, 3});

    public ResNetConfig {
        if (layers.length != 4 || channels.length != 4) {
            throw new IllegalArgumentException("a ResNet has 4 stages: layers " + Arrays.toString(layers)
                    + ", channels " + Arrays.toString(channels));
        }
        for (int i = 0; i < 4; i++) {
            if (layers[i] <= 0 || channels[i] <= 0) {
                throw new IllegalArgumentException("stage " + (i + 1) + " needs positive layers and channels, got "
                        + layers[i] + " and " + channels[i]);
            }
        }
        if (imageHeight <= 0 || imageWidth <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + imageHeight + "x" + imageWidth);
        }
        layers = layers.clone();
        channels = channels.clone();
    }

    /** ResNet-50 at DETR's 800x1066, stride 32 or (dilated) 16. */
    public static ResNetConfig resnet50(boolean dilated) {
        return new ResNetConfig("resnet50", LAYERS.get("resnet50"), new int[] {64, 128, 256, 512}, dilated, 800, 1066);
    }

    /** Output channels of the last stage (ResNet-50: 2048). */
    public int outChannels() {
        return channels[3] * EXPANSION;
    }

    /** Total stride of the C5 map: 32, or 16 when dilated. */
    public int stride() {
        return dilated ? 16 : 32;
    }

    /**
     * Reads a backbone section: {@code {"model_type": "resnet50", "channels": [...], "dilation": bool,
     * "image_size": [h, w]}}; channels default to the preset's.
     *
     * @throws IllegalArgumentException naming an unknown preset or a malformed setting
     */
    public static ResNetConfig read(JsonNode c) {
        String name = c.path("model_type").asText("resnet50");
        int[] layers = LAYERS.get(name);
        if (layers == null) {
            throw new IllegalArgumentException("unknown ResNet '" + name + "'; known: " + LAYERS.keySet());
        }
        ResNetConfig preset = resnet50(c.path("dilation").asBoolean(false));
        int[] channels = c.has("channels") ? ints(c.get("channels"), "channels") : preset.channels();
        int[] size = c.has("image_size") ? ints(c.get("image_size"), "image_size")
                : new int[] {preset.imageHeight(), preset.imageWidth()};
        if (size.length != 2) {
            throw new IllegalArgumentException("image_size must be [height, width], got " + c.get("image_size"));
        }
        return new ResNetConfig(name, layers, channels, preset.dilated(), size[0], size[1]);
    }

    private static int[] ints(JsonNode v, String key) {
        if (!v.isArray()) {
            throw new IllegalArgumentException("'" + key + "' must be an array of ints, got " + v);
        }
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = v.get(i).asInt();
        return out;
    }

    /** The backbone section {@link #read} reads. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model_type", name);
        var ch = o.putArray("channels");
        for (int v : channels) ch.add(v);
        o.put("dilation", dilated);
        o.putArray("image_size").add(imageHeight).add(imageWidth);
        return o;
    }

    @Override
    public String toString() {
        return name + " (blocks " + Arrays.toString(layers) + ", widths " + Arrays.toString(channels)
                + ", stride " + stride() + ")";
    }
}
