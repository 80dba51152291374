package io.vitstream.heads.detr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.nn.Activation;
import io.vitstream.heads.Labels;

import java.util.List;

/**
 * Settings of the DETR-style detection head. Names and defaults follow Hugging Face
 * {@code DetrConfig}; DETR's paper values are 256 wide, 6 + 6 layers, 8 heads, FFN 2048, 100
 * queries, matching costs 1 / 5 / 2, loss weights 1 / 5 / 2, no-object weight 0.1.
 *
 * @param labels class names (the classifier has one more output: "no object")
 * @param dModel transformer width d
 * @param numQueries learned object queries Q
 * @param encoderLayers transformer encoder layers over the patch tokens (0 = none)
 * @param decoderLayers decoder layers
 * @param encoderHeads attention heads in the encoder
 * @param decoderHeads attention heads in the decoder
 * @param encoderFfn encoder feed-forward width
 * @param decoderFfn decoder feed-forward width
 * @param activation feed-forward activation (DETR: relu)
 * @param dropout dropout after attention and feed-forward outputs, training only
 * @param attentionDropout dropout on attention probabilities, training only
 * @param activationDropout dropout after the feed-forward activation, training only
 * @param layerNormEps LayerNorm epsilon
 * @param positionTemperature temperature of the 2-D sine position embeddings
 * @param prefix checkpoint key prefix of this head ({@code ""}: HF DETR names as they are)
 * @param classCost matching weight of the class probability
 * @param bboxCost matching weight of the L1 box distance
 * @param giouCost matching weight of the generalized IoU
 * @param eosCoefficient cross-entropy weight of the "no object" class
 * @param bboxLossCoefficient loss weight of L1
 * @param giouLossCoefficient loss weight of 1 - GIoU
 * @param auxiliaryLoss whether every decoder layer's output is supervised
 * @param chainNormalized whether each decoder layer takes the previous one's output after the
 *     final LayerNorm (HF {@code DetrForObjectDetection} with {@code auxiliary_loss: true} does;
 *     the paper and HF without auxiliary loss pass it unnormalized); {@code decoder_chain_normalized}
 * @param scoreThreshold post-processing: smallest score reported
 * @param maxDetections post-processing: most boxes reported per image
 */
public record DetrConfig(List<String> labels, int dModel, int numQueries, int encoderLayers, int decoderLayers,
        int encoderHeads, int decoderHeads, int encoderFfn, int decoderFfn, Activation activation,
        double dropout, double attentionDropout, double activationDropout, double layerNormEps,
        double positionTemperature, String prefix, double classCost, double bboxCost, double giouCost,
        double eosCoefficient, double bboxLossCoefficient, double giouLossCoefficient, boolean auxiliaryLoss,
        boolean chainNormalized,
        double scoreThreshold, int maxDetections) {

    public DetrConfig {
        labels = List.copyOf(labels);
        positive("d_model", dModel);
        positive("num_queries", numQueries);
        positive("decoder_layers", decoderLayers);
        positive("encoder_attention_heads", encoderHeads);
        positive("decoder_attention_heads", decoderHeads);
        positive("encoder_ffn_dim", encoderFfn);
        positive("decoder_ffn_dim", decoderFfn);
        positive("max_detections", maxDetections);
        if (encoderLayers < 0) throw new IllegalArgumentException("encoder_layers must be >= 0, got " + encoderLayers);
        if (dModel % 2 != 0) throw new IllegalArgumentException("d_model must be even (sine embeddings split it in x and y), got " + dModel);
        if (dModel % encoderHeads != 0 || dModel % decoderHeads != 0) {
            throw new IllegalArgumentException("d_model " + dModel + " is not a multiple of the attention heads ("
                    + encoderHeads + ", " + decoderHeads + ")");
        }
        if (!(scoreThreshold >= 0 && scoreThreshold < 1)) {
            throw new IllegalArgumentException("score_threshold must be in [0, 1), got " + scoreThreshold);
        }
        if (!(eosCoefficient > 0)) throw new IllegalArgumentException("eos_coefficient must be > 0, got " + eosCoefficient);
    }

    private static void positive(String name, int v) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }

    /** Number of real classes K (the classifier outputs K + 1). */
    public int numLabels() {
        return labels.size();
    }

    /** Reads a head section with HF DetrConfig names and defaults. */
    public static DetrConfig read(JsonNode c) {
        int n = Labels.count(c);
        return new DetrConfig(Labels.read(c.get("id2label"), n),
                c.path("d_model").asInt(256), c.path("num_queries").asInt(100),
                c.path("encoder_layers").asInt(6), c.path("decoder_layers").asInt(6),
                c.path("encoder_attention_heads").asInt(8), c.path("decoder_attention_heads").asInt(8),
                c.path("encoder_ffn_dim").asInt(2048), c.path("decoder_ffn_dim").asInt(2048),
                Activation.parse(c.path("activation_function").asText("relu")),
                c.path("dropout").asDouble(0.1), c.path("attention_dropout").asDouble(0.0),
                c.path("activation_dropout").asDouble(0.0), c.path("layer_norm_eps").asDouble(1e-5),
                c.path("position_temperature").asDouble(10000), c.path("prefix").asText(""),
                c.path("class_cost").asDouble(1), c.path("bbox_cost").asDouble(5), c.path("giou_cost").asDouble(2),
                c.path("eos_coefficient").asDouble(0.1), c.path("bbox_loss_coefficient").asDouble(5),
                c.path("giou_loss_coefficient").asDouble(2), c.path("auxiliary_loss").asBoolean(true),
                c.path("decoder_chain_normalized").asBoolean(false),
                c.path("score_threshold").asDouble(0.5), c.path("max_detections").asInt(100));
    }

    /** Writes the head section. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", "detr");
        o.put("num_labels", labels.size());
        o.set("id2label", Labels.write(labels));
        o.put("d_model", dModel);
        o.put("num_queries", numQueries);
        o.put("encoder_layers", encoderLayers);
        o.put("decoder_layers", decoderLayers);
        o.put("encoder_attention_heads", encoderHeads);
        o.put("decoder_attention_heads", decoderHeads);
        o.put("encoder_ffn_dim", encoderFfn);
        o.put("decoder_ffn_dim", decoderFfn);
        o.put("activation_function", activation.hfName());
        o.put("dropout", dropout);
        o.put("attention_dropout", attentionDropout);
        o.put("activation_dropout", activationDropout);
        o.put("layer_norm_eps", layerNormEps);
        o.put("position_temperature", positionTemperature);
        o.put("prefix", prefix);
        o.put("class_cost", classCost);
        o.put("bbox_cost", bboxCost);
        o.put("giou_cost", giouCost);
        o.put("eos_coefficient", eosCoefficient);
        o.put("bbox_loss_coefficient", bboxLossCoefficient);
        o.put("giou_loss_coefficient", giouLossCoefficient);
        o.put("auxiliary_loss", auxiliaryLoss);
        o.put("decoder_chain_normalized", chainNormalized);
        o.put("score_threshold", scoreThreshold);
        o.put("max_detections", maxDetections);
        return o;
    }
}
