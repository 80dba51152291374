package io.vitstream.backbone.vit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.nn.Activation;

/**
 * Reads and writes {@link ViTConfig} as a Hugging Face {@code config.json} ({@code model_type
 * "vit"}). Two extensions HF's ViT lacks: {@code use_class_token} (default true) and
 * {@code num_register_tokens} (default 0), written only when they differ from the default so
 * plain HF configs stay plain. {@code drop_path_rate} is timm's stochastic depth.
 */
public final class ViTConfigJson {

    private ViTConfigJson() {}

    /**
     * Reads a config; absent optional fields take HF's defaults.
     *
     * @throws IllegalArgumentException naming the missing or malformed setting
     */
    public static ViTConfig read(JsonNode json) {
        ViTConfig.Builder b = ViTConfig.builder()
                .setHiddenSize(requiredInt(json, "hidden_size"))
                .setNumLayers(requiredInt(json, "num_hidden_layers"))
                .setNumHeads(requiredInt(json, "num_attention_heads"))
                .setIntermediateSize(requiredInt(json, "intermediate_size"))
                .setPatchSize(requiredInt(json, "patch_size"));
        JsonNode image = json.get("image_size");
        if (image == null) {
            throw new IllegalArgumentException("config.json: missing setting 'image_size'");
        } else if (image.isInt()) {
            b.optImageSize(image.asInt());
        } else if (image.isArray() && image.size() == 2 && image.get(0).isInt() && image.get(1).isInt()) {
            b.optImageSize(image.get(0).asInt(), image.get(1).asInt());
        } else {
            throw new IllegalArgumentException("config.json: 'image_size' must be an int or [height, width], got " + image);
        }
        if (json.has("num_channels")) b.optNumChannels(requiredInt(json, "num_channels"));
        if (json.has("qkv_bias")) b.optQkvBias(requiredBool(json, "qkv_bias"));
        if (json.has("layer_norm_eps")) b.optLayerNormEps(requiredDouble(json, "layer_norm_eps"));
        if (json.has("hidden_act")) b.optActivation(activation(json));
        if (json.has("use_class_token")) b.optUseClassToken(requiredBool(json, "use_class_token"));
        if (json.has("num_register_tokens")) b.optNumRegisterTokens(requiredInt(json, "num_register_tokens"));
        if (json.has("hidden_dropout_prob")) b.optHiddenDropout(requiredDouble(json, "hidden_dropout_prob"));
        if (json.has("attention_probs_dropout_prob")) {
            b.optAttentionDropout(requiredDouble(json, "attention_probs_dropout_prob"));
        }
        if (json.has("drop_path_rate")) b.optDropPathRate(requiredDouble(json, "drop_path_rate"));
        if (json.has("initializer_range")) b.optInitializerRange(requiredDouble(json, "initializer_range"));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config.json: " + e.getMessage(), e);
        }
    }

    /** Writes a config in HF's {@code ViTConfig} format. */
    public static ObjectNode write(ViTConfig c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model_type", "vit");
        o.put("hidden_size", c.hiddenSize());
        o.put("num_hidden_layers", c.numLayers());
        o.put("num_attention_heads", c.numHeads());
        o.put("intermediate_size", c.intermediateSize());
        o.put("hidden_act", c.activation().hfName());
        o.put("hidden_dropout_prob", c.hiddenDropout());
        o.put("attention_probs_dropout_prob", c.attentionDropout());
        o.put("initializer_range", c.initializerRange());
        o.put("layer_norm_eps", c.layerNormEps());
        if (c.imageHeight() == c.imageWidth()) {
            o.put("image_size", c.imageHeight());
        } else {
            o.putArray("image_size").add(c.imageHeight()).add(c.imageWidth());
        }
        o.put("patch_size", c.patchSize());
        o.put("num_channels", c.numChannels());
        o.put("qkv_bias", c.qkvBias());
        if (!c.useClassToken()) o.put("use_class_token", false);
        if (c.numRegisterTokens() > 0) o.put("num_register_tokens", c.numRegisterTokens());
        if (c.dropPathRate() > 0) o.put("drop_path_rate", c.dropPathRate());
        return o;
    }

    private static Activation activation(JsonNode json) {
        JsonNode v = json.get("hidden_act");
        if (!v.isTextual()) {
            throw new IllegalArgumentException("config.json: 'hidden_act' must be a string, got " + v);
        }
        try {
            return Activation.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config.json: " + e.getMessage(), e);
        }
    }

    private static int requiredInt(JsonNode json, String key) {
        JsonNode v = json.get(key);
        if (v == null) {
            throw new IllegalArgumentException("config.json: missing setting '" + key + "'");
        }
        if (!v.canConvertToExactIntegral() || !v.isNumber()) {
            throw new IllegalArgumentException("config.json: '" + key + "' must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static double requiredDouble(JsonNode json, String key) {
        JsonNode v = json.get(key);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("config.json: '" + key + "' must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static boolean requiredBool(JsonNode json, String key) {
        JsonNode v = json.get(key);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException("config.json: '" + key + "' must be true or false, got " + v);
        }
        return v.asBoolean();
    }
}
