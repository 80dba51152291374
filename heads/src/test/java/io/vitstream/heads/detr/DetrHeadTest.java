package io.vitstream.heads.detr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.heads.Head;
import io.vitstream.heads.HeadContext;
import io.vitstream.heads.HeadContract;
import io.vitstream.results.HeadResult;

import org.junit.jupiter.api.Test;

public class DetrHeadTest extends HeadContract {

    public static DetrConfig smallConfig() {
        try {
            return DetrConfig.read(new ObjectMapper().readTree("{\"type\": \"detr\", \"id2label\": {\"0\": \"a\", \"1\": \"b\"},"
                    + " \"d_model\": 8, \"num_queries\": 5, \"encoder_layers\": 1, \"decoder_layers\": 2,"
                    + " \"encoder_attention_heads\": 2, \"decoder_attention_heads\": 2, \"encoder_ffn_dim\": 16,"
                    + " \"decoder_ffn_dim\": 16, \"dropout\": 0.0, \"score_threshold\": 0.0}"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Head newHead(HeadContext context) {
        return new DetrHead(smallConfig(), context);
    }

    /**
     * The first decoder layer's queries start as zeros, so its self-attention values are all
     * the same vector (the value bias): the value weight multiplies zeros and the attention
     * weights cannot matter, so the value weight and the query and key projections get no
     * gradient, in the original DETR as here.
     */
    @Override
    protected java.util.Set<String> parametersWithoutGradient() {
        String p = "model.decoder.layers.0.self_attn.";
        return java.util.Set.of(p + "q_proj.weight", p + "q_proj.bias", p + "k_proj.weight", p + "k_proj.bias",
                p + "v_proj.weight");
    }

    @Override
    protected void checkRawOutput(NDList raw, int b) {
        assertEquals(2, raw.size());
        assertEquals(new Shape(2, b, 5, 3), raw.get(0).getShape());
        assertEquals(new Shape(2, b, 5, 4), raw.get(1).getShape());
        assertTrue(raw.get(1).min().getFloat() >= 0 && raw.get(1).max().getFloat() <= 1, "boxes are sigmoid outputs");
    }

    @Override
    protected Class<? extends HeadResult> resultType() {
        return HeadResult.Detections.class;
    }

    @Test
    void checkpointKeysAreHuggingFaceDetrNames() {
        var keys = head.namedParameters().keySet();
        assertTrue(keys.contains("model.input_projection.weight"), keys.toString());
        assertTrue(keys.contains("model.query_position_embeddings.weight"));
        assertTrue(keys.contains("model.encoder.layers.0.self_attn.q_proj.weight"));
        assertTrue(keys.contains("model.encoder.layers.0.fc1.weight"));
        assertTrue(keys.contains("model.decoder.layers.1.encoder_attn.out_proj.bias"));
        assertTrue(keys.contains("model.decoder.layers.1.encoder_attn_layer_norm.weight"));
        assertTrue(keys.contains("model.decoder.layers.0.final_layer_norm.bias"));
        assertTrue(keys.contains("model.decoder.layernorm.weight"));
        assertTrue(keys.contains("class_labels_classifier.weight"));
        assertTrue(keys.contains("bbox_predictor.layers.2.weight"));
        assertEquals(new Shape(8, 16, 1, 1), head.parameterShapes().get("model.input_projection.weight"));
        assertEquals(new Shape(4, 8), head.parameterShapes().get("bbox_predictor.layers.2.weight"));
    }
}
