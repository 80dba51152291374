package io.vitstream.heads.detr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Reads a Hugging Face {@code DetrForObjectDetection} {@code config.json} ({@code model_type:
 * detr}) as a backbone section plus a DETR head section, so a {@code facebook/detr-resnet-50}
 * folder loads as it is. Both forms in use are read: the hub's {@code use_timm_backbone: true,
 * backbone: "resnet50"} and transformers 5's {@code backbone_config: {model_type: timm_backbone,
 * backbone: "resnet50", output_stride}}. DC5 is {@code dilation: true} or an output stride of 16.
 *
 * <p>One extension, for reduced test checkpoints: {@code backbone_kwargs.channels} (timm's
 * ResNet stage widths) is passed on to the backbone.
 */
public final class HfDetrConfig {

    /** The timm backbones a DETR folder may name. */
    public static final List<String> SUPPORTED_BACKBONES = List.of("resnet50");

    private HfDetrConfig() {}

    /** Whether a {@code config.json} is HF's DETR form. */
    public static boolean isDetr(JsonNode config) {
        return "detr".equals(config.path("model_type").asText()) && !config.has("heads");
    }

    /**
     * The backbone section: {@code {"model_type": "resnet50", "dilation", "channels"?}}.
     *
     * @throws IllegalArgumentException naming the backbone when it is not supported
     */
    public static ObjectNode backbone(JsonNode config) {
        JsonNode timm = config.path("backbone_config");
        String name;
        boolean dilated = config.path("dilation").asBoolean(false);
        if (timm.isObject()) {
            String type = timm.path("model_type").asText();
            if (!"timm_backbone".equals(type)) {
                throw new IllegalArgumentException("config.json: DETR backbone_config of model_type '" + type
                        + "' is not supported; supported: timm_backbone with backbone " + SUPPORTED_BACKBONES);
            }
            name = timm.path("backbone").asText();
            dilated |= timm.path("output_stride").asInt(32) == 16;
        } else {
            if (!config.path("use_timm_backbone").asBoolean(true)) {
                throw new IllegalArgumentException("config.json: DETR with use_timm_backbone false is not supported;"
                        + " supported: timm backbones " + SUPPORTED_BACKBONES);
            }
            name = config.path("backbone").asText("resnet50");
        }
        if (!SUPPORTED_BACKBONES.contains(name)) {
            throw new IllegalArgumentException("config.json: DETR backbone '" + name + "' is not supported; supported: "
                    + SUPPORTED_BACKBONES);
        }
        if (config.path("num_channels").asInt(3) != 3) {
            throw new IllegalArgumentException("config.json: num_channels " + config.get("num_channels")
                    + " is not supported; supported: 3");
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model_type", name);
        o.put("dilation", dilated);
        JsonNode channels = config.path("backbone_kwargs").path("channels");
        if (channels.isArray()) o.set("channels", channels);
        return o;
    }

    /**
     * The DETR head section: HF's own settings, checkpoint keys as they are (prefix ""), the
     * decoder chained through the final norm when {@code auxiliary_loss} is on (as HF runs it).
     *
     * @throws IllegalArgumentException for position embeddings other than sine
     */
    public static ObjectNode head(JsonNode config) {
        String position = config.path("position_embedding_type").asText("sine");
        if (!"sine".equals(position)) {
            throw new IllegalArgumentException("config.json: position_embedding_type '" + position
                    + "' is not supported; supported: [sine]");
        }
        ObjectNode o = ((ObjectNode) config).deepCopy();
        io.vitstream.heads.Labels.defaultAsHuggingFace(o);
        o.put("type", "detr");
        o.put("prefix", "");
        o.put("decoder_chain_normalized", config.path("auxiliary_loss").asBoolean(false));
        o.put("auxiliary_loss", config.path("auxiliary_loss").asBoolean(false));
        return o;
    }
}
