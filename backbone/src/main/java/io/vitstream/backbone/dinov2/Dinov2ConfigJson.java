package io.vitstream.backbone.dinov2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.nn.Activation;

/**
 * Reads and writes {@link Dinov2Config} as a Hugging Face {@code config.json} with
 * {@code model_type} {@code "dinov2"} or {@code "dinov2_with_registers"}. An absent setting takes
 * the default of that HF config class (they differ in {@code patch_size}: 14 and 16), as
 * {@code from_pretrained} does.
 */
public final class Dinov2ConfigJson {

    /** HF {@code model_type} of {@code Dinov2Model}. */
    public static final String PLAIN = "dinov2";
    /** HF {@code model_type} of {@code Dinov2WithRegistersModel}. */
    public static final String WITH_REGISTERS = "dinov2_with_registers";

    private Dinov2ConfigJson() {}

    /**
     * Reads a config.
     *
     * @throws IllegalArgumentException naming the malformed setting
     */
    public static Dinov2Config read(JsonNode json) {
        String type = json.path("model_type").asText();
        if (!type.equals(PLAIN) && !type.equals(WITH_REGISTERS)) {
            throw new IllegalArgumentException("config.json: model_type '" + type + "' is not " + PLAIN + " or " + WITH_REGISTERS);
        }
        boolean registers = type.equals(WITH_REGISTERS);
        try {
            return new Dinov2Config(registers, side(json, "image_size", 224), side(json, "patch_size", registers ? 16 : 14),
                    integer(json, "num_channels", 3), integer(json, "hidden_size", 768),
                    integer(json, "num_hidden_layers", 12), integer(json, "num_attention_heads", 12),
                    number(json, "mlp_ratio", 4), activation(json), number(json, "layer_norm_eps", 1e-6),
                    bool(json, "qkv_bias", true), number(json, "layerscale_value", 1.0),
                    bool(json, "use_swiglu_ffn", false), registers ? integer(json, "num_register_tokens", 4) : 0,
                    registers || bool(json, "use_mask_token", true), number(json, "hidden_dropout_prob", 0),
                    number(json, "attention_probs_dropout_prob", 0), number(json, "drop_path_rate", 0),
                    number(json, "initializer_range", 0.02));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("config.json") ? e.getMessage()
                    : "config.json: " + e.getMessage(), e);
        }
    }

    /** Writes HF's format, every setting spelled out. */
    public static ObjectNode write(Dinov2Config c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model_type", c.modelType());
        o.put("hidden_size", c.hiddenSize());
        o.put("num_hidden_layers", c.numLayers());
        o.put("num_attention_heads", c.numHeads());
        o.put("mlp_ratio", c.mlpRatio());
        o.put("hidden_act", c.activation().hfName());
        o.put("hidden_dropout_prob", c.hiddenDropout());
        o.put("attention_probs_dropout_prob", c.attentionDropout());
        o.put("initializer_range", c.initializerRange());
        o.put("layer_norm_eps", c.layerNormEps());
        o.put("image_size", c.imageSize());
        o.put("patch_size", c.patchSize());
        o.put("num_channels", c.numChannels());
        o.put("qkv_bias", c.qkvBias());
        o.put("layerscale_value", c.layerscaleValue());
        o.put("drop_path_rate", c.dropPathRate());
        o.put("use_swiglu_ffn", c.useSwiglu());
        if (c.withRegisters()) {
            o.put("num_register_tokens", c.numRegisterTokens());
        } else {
            o.put("use_mask_token", c.useMaskToken());
        }
        return o;
    }

    /** An int, or HF's {@code [h, w]} form with equal sides (DINOv2 interpolates from a square grid). */
    private static int side(JsonNode json, String key, int fallback) {
        JsonNode v = json.get(key);
        if (v == null) {
            return fallback;
        }
        if (v.isArray() && v.size() == 2 && v.get(0).isInt() && v.get(0).equals(v.get(1))) {
            return v.get(0).asInt();
        }
        if (!v.isInt()) {
            throw new IllegalArgumentException("config.json: '" + key + "' must be an int (or [n, n]), got " + v);
        }
        return v.asInt();
    }

    private static int integer(JsonNode json, String key, int fallback) {
        JsonNode v = json.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber() || !v.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("config.json: '" + key + "' must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static double number(JsonNode json, String key, double fallback) {
        JsonNode v = json.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("config.json: '" + key + "' must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode json, String key, boolean fallback) {
        JsonNode v = json.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("config.json: '" + key + "' must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    private static Activation activation(JsonNode json) {
        JsonNode v = json.get("hidden_act");
        if (v == null) {
            return Activation.GELU;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("config.json: 'hidden_act' must be a string, got " + v);
        }
        return Activation.parse(v.asText());
    }
}
