package io.vitstream.backbone.onnx;

import io.vitstream.backbone.vit.ViT;
import io.vitstream.backbone.vit.ViTConfig;

import java.nio.file.Path;

/**
 * Writes a loaded {@link ViT} encoder as an ONNX graph for one input size, from the weights it
 * holds (loaded or fine-tuned), so ONNX Runtime can run the same computation: the same
 * operations as {@link ViT#features}, with rewrites that change only rounding:
 *
 * <ul>
 *   <li>self-attention is ONNX Runtime's fused {@code com.microsoft.Attention}: the query, key
 *       and value projections as one {@code [D, 3D]} product, then scores, softmax and mixing
 *       (timed against the same computation in standard operators: no difference here);
 *   <li>the class token's position embedding is added to it once, at build time, and the
 *       position embeddings are resampled to the input's grid once, at build time.
 * </ul>
 *
 * <p>Input {@code pixel_values [batch, C, H, W]}, output {@code tokens [batch, P + H/p*W/p, D]},
 * exactly what {@link ViT#features} returns as tokens. The pieces are {@link TransformerGraph}'s,
 * shared with {@link Dinov2Graph}.
 */
public final class ViTGraph {

    /** Name of the graph's input. */
    public static final String INPUT = OnnxGraph.INPUT;
    /** Name of the graph's output. */
    public static final String OUTPUT = OnnxGraph.OUTPUT;

    private ViTGraph() {}

    /**
     * The graph for inputs of {@code height x width} pixels (multiples of the patch size) and
     * any batch size, its weights written to {@code dataFile} (which the caller deletes).
     */
    public static OnnxGraph build(ViT vit, int height, int width, Path dataFile) {
        ViTConfig c = vit.config();
        TransformerGraph.Embedding embedding = new TransformerGraph.Embedding(c.numChannels(), c.patchSize(),
                c.gridHeight(), c.gridWidth(), c.useClassToken(), c.numRegisterTokens(), false);
        try (OnnxGraph g = new OnnxGraph("vitstream-vit", dataFile)) {
            TransformerGraph t = new TransformerGraph(g, vit, c.layerNormEps());
            return t.encoder(embedding, height, width, (k, x) -> {
                String r = t.residual(x, k + "layernorm_before.", h -> t.selfAttention(k, h, c.qkvBias()), null);
                return t.residual(r, k + "layernorm_after.",
                        h -> t.mlp(k + "intermediate.dense.", k + "output.dense.", h, c.intermediateSize(), c.activation()),
                        null);
            });
        }
    }
}
