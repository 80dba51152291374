package io.vitstream.backbone.onnx;

import io.vitstream.backbone.dinov2.Dinov2;
import io.vitstream.backbone.dinov2.Dinov2Config;
import io.vitstream.backbone.nn.Activation;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes a loaded {@link Dinov2} encoder (with or without registers) as an ONNX graph for one
 * input size, from the weights it holds: the same operations as {@link Dinov2#features}, with
 * {@link ViTGraph}'s rewrites that change only rounding (fused {@code com.microsoft.Attention};
 * position embeddings interpolated to the input's grid at build time by the encoder's own code,
 * bicubic, antialiased with registers as in HF; the class token's position embedding added once).
 *
 * <p>Each layer is {@code h = x + lambda1 * attn(norm1(x))}, {@code out = h + lambda2 * mlp(norm2(h))},
 * the layer scales an elementwise product; the MLP is {@code fc2(act(fc1))} or the SwiGLU
 * {@code weights_out(silu(a) * b)}, {@code [a, b]} the two halves of {@code weights_in}'s output.
 *
 * <p>Input {@code pixel_values [batch, C, H, W]}, output {@code tokens [batch, 1 + R + H/p*W/p, D]}
 * (class token, registers, patches, after the final layer norm): what {@link Dinov2#features}
 * returns as tokens.
 */
public final class Dinov2Graph {

    private Dinov2Graph() {}

    /**
     * The graph for inputs of {@code height x width} pixels (multiples of the patch size) and
     * any batch size, its weights written to {@code dataFile} (which the caller deletes).
     */
    public static OnnxGraph build(Dinov2 dinov2, int height, int width, Path dataFile) {
        Dinov2Config c = dinov2.config();
        TransformerGraph.Embedding embedding = new TransformerGraph.Embedding(c.numChannels(), c.patchSize(),
                c.gridSize(), c.gridSize(), true, c.numRegisterTokens(), c.withRegisters());
        try (OnnxGraph g = new OnnxGraph("vitstream-" + c.modelType(), dataFile)) {
            TransformerGraph t = new TransformerGraph(g, dinov2, c.layerNormEps());
            return t.encoder(embedding, height, width, (k, x) -> {
                String h = t.residual(x, k + "norm1.", n -> t.selfAttention(k, n, c.qkvBias()), k + "layer_scale1.lambda1");
                return t.residual(h, k + "norm2.", n -> c.useSwiglu() ? swiGlu(t, k + "mlp.", n, c)
                        : t.mlp(k + "mlp.fc1.", k + "mlp.fc2.", n, c.mlpWidth(), c.activation()), k + "layer_scale2.lambda1");
            });
        }
    }

    /** HF's {@code Dinov2SwiGLUFFN}: {@code weights_out(silu(a) * b)}, {@code [a, b] = weights_in(x)} split in halves. */
    private static String swiGlu(TransformerGraph t, String k, String x, Dinov2Config c) {
        int d = c.hiddenSize();
        int hidden = c.swigluWidth();
        OnnxGraph g = t.graph();
        String both = t.linear(k + "weights_in.", x, d, 2 * hidden);
        String gate = g.fresh("swiglu_gate");
        String value = g.fresh("swiglu_value");
        g.node("", "Split", List.of(both, g.ints(hidden, hidden)), List.of(gate, value), OnnxGraph.Attr.i("axis", -1));
        String product = g.op("Mul", List.of(t.activate(Activation.SILU, gate), value));
        return t.linear(k + "weights_out.", product, hidden, d);
    }
}
