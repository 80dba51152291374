package io.vitstream.backbone.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Grid;
import io.vitstream.backbone.nn.Activation;
import io.vitstream.backbone.vit.PositionEmbeddings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.vitstream.backbone.onnx.OnnxGraph.Attr;

/**
 * The parts of a ViT-style encoder's ONNX graph that {@link ViTGraph} and {@link Dinov2Graph}
 * share, read from the encoder's parameters by their Hugging Face names: the embedding (conv
 * patches, class token, registers, position embeddings resampled at build time), pre-norm
 * residual branches with an optional layer scale, fused self-attention, linear layers, layer
 * norms and activations. The two encoders differ only in their layers' names and branches.
 */
final class TransformerGraph {

    /**
     * How an encoder turns pixels into tokens.
     *
     * @param channels input channels
     * @param patch side of a square patch, in pixels
     * @param trainedHeight patch rows the position embeddings were trained for
     * @param trainedWidth patch columns the position embeddings were trained for
     * @param classToken whether a class token (with a position embedding) comes first
     * @param registers register tokens after the class token, without position embeddings
     * @param antialias whether the position embeddings are resampled with antialiasing
     *     ({@link PositionEmbeddings#resample(NDArray, int, int, int, int, int, boolean)})
     */
    record Embedding(int channels, int patch, int trainedHeight, int trainedWidth, boolean classToken, int registers,
            boolean antialias) {}

    /** One encoder layer: from the layer's key prefix ({@code encoder.layer.N.}) and its input to its output. */
    @FunctionalInterface
    interface Layer {
        String write(String key, String x);
    }

    private final OnnxGraph g;
    private final Backbone encoder;
    private final Map<String, Parameter> params;
    private final int d;
    private final double layerNormEps;

    TransformerGraph(OnnxGraph g, Backbone encoder, double layerNormEps) {
        this.g = g;
        this.encoder = encoder;
        this.params = encoder.namedParameters();
        this.d = encoder.hiddenSize();
        this.layerNormEps = layerNormEps;
    }

    /** The graph being written. */
    OnnxGraph graph() {
        return g;
    }

    /**
     * Writes the whole encoder for inputs of {@code height x width} and any batch size: input
     * {@code pixel_values}, the embedding, {@code layer} for {@code encoder.layer.0.} onwards, the
     * final {@code layernorm.}, output {@code tokens [batch, P + h*w, D]}.
     */
    OnnxGraph encoder(Embedding e, int height, int width, Layer layer) {
        Grid grid = encoder.grid(height, width);
        g.input(OnnxGraph.INPUT, -1, e.channels(), height, width);
        String x = embed(e, grid);
        for (int i = 0; i < encoder.numLayers(); i++) {
            x = layer.write("encoder.layer." + i + ".", x);
        }
        x = layerNorm("layernorm.", x);
        g.alias(x, OnnxGraph.OUTPUT);
        g.output(OnnxGraph.OUTPUT, -1, (long) encoder.numPrefixTokens() + grid.size(), d);
        return g;
    }

    /** Class token, registers, patches: {@code [batch, P + h*w, D]}, position embeddings added. */
    private String embed(Embedding e, Grid grid) {
        int p = e.patch();
        String w = "embeddings.patch_embeddings.projection.";
        String conv = g.op("Conv", List.of(OnnxGraph.INPUT, weight(w + "weight", d, e.channels(), p, p), weight(w + "bias", d)),
                Attr.ints("kernel_shape", p, p), Attr.ints("strides", p, p));
        String tokens = g.op("Transpose", List.of(g.op("Reshape", List.of(conv, g.ints(0, d, -1)))), Attr.ints("perm", 0, 2, 1));

        // Position embeddings resampled to this grid by the encoder's own code, so both runtimes
        // see identical values.
        int prefix = e.classToken() ? 1 : 0;
        float[] all;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            all = PositionEmbeddings.resample(array("embeddings.position_embeddings"), prefix, e.trainedHeight(),
                    e.trainedWidth(), grid.height(), grid.width(), e.antialias()).toType(DataType.FLOAT32, false).toFloatArray();
        }
        float[] patchPos = Arrays.copyOfRange(all, prefix * d, all.length);
        tokens = g.op("Add", List.of(tokens, g.weight("embeddings.patch_position_embeddings", patchPos, 1, grid.size(), d)));

        String batch = g.op("Shape", List.of(OnnxGraph.INPUT), Attr.i("start", 0), Attr.i("end", 1));
        List<String> parts = new ArrayList<>();
        if (e.classToken()) {
            float[] cls = floats("embeddings.cls_token");
            for (int i = 0; i < d; i++) cls[i] += all[i];
            parts.add(expand(g.weight("embeddings.cls_token_with_position", cls, 1, 1, d), batch, 1));
        }
        if (e.registers() > 0) {
            parts.add(expand(weight("embeddings.register_tokens", 1, e.registers(), d), batch, e.registers()));
        }
        if (parts.isEmpty()) {
            return tokens;
        }
        parts.add(tokens);
        return g.op("Concat", parts, Attr.i("axis", 1));
    }

    /** {@code [1, n, D] -> [batch, n, D]}. */
    private String expand(String value, String batch, int n) {
        String shape = g.op("Concat", List.of(batch, g.ints(n, d)), Attr.i("axis", 0));
        return g.op("Expand", List.of(value, shape));
    }

    /**
     * A pre-norm residual branch, {@code x + scale * branch(norm(x))}.
     *
     * @param normKey the layer norm's key prefix
     * @param scaleKey the per-channel layer scale {@code [D]} (DINOv2's {@code lambda1}), or null for none
     */
    String residual(String x, String normKey, UnaryOperator<String> branch, String scaleKey) {
        String y = branch.apply(layerNorm(normKey, x));
        if (scaleKey != null) {
            y = g.op("Mul", List.of(y, weight(scaleKey, d)));
        }
        return g.op("Add", List.of(x, y));
    }

    /**
     * Self-attention with HF ViT's names under the layer's prefix {@code k}
     * ({@code attention.attention.{query,key,value}}, {@code attention.output.dense}): ONNX
     * Runtime's fused {@code com.microsoft.Attention} (the three projections as one
     * {@code [D, 3D]} product, scores, softmax and mixing in one kernel), then the output
     * projection.
     */
    String selfAttention(String k, String h, boolean qkvBias) {
        float[] w = qkvWeights(k);
        float[] b = qkvBias ? qkvBias(k) : new float[3 * d];
        String out = g.fresh("attention");
        g.node("com.microsoft", "Attention", List.of(h, g.weight(k + "attention.qkv.weight_t", w, d, 3L * d),
                g.weight(k + "attention.qkv.bias", b, 3L * d)), List.of(out), Attr.i("num_heads", encoder.numHeads()));
        return linear(k + "attention.output.dense.", out, d, d);
    }

    /** Query, key and value weights transposed side by side, {@code [D, 3D]}. */
    private float[] qkvWeights(String k) {
        float[] wq = transposed(k + "attention.attention.query.weight", d, d);
        float[] wk = transposed(k + "attention.attention.key.weight", d, d);
        float[] wv = transposed(k + "attention.attention.value.weight", d, d);
        float[] w = new float[d * 3 * d];
        for (int r = 0; r < d; r++) {
            System.arraycopy(wq, r * d, w, r * 3 * d, d);
            System.arraycopy(wk, r * d, w, r * 3 * d + d, d);
            System.arraycopy(wv, r * d, w, r * 3 * d + 2 * d, d);
        }
        return w;
    }

    private float[] qkvBias(String k) {
        float[] b = new float[3 * d];
        System.arraycopy(floats(k + "attention.attention.query.bias"), 0, b, 0, d);
        System.arraycopy(floats(k + "attention.attention.key.bias"), 0, b, d, d);
        System.arraycopy(floats(k + "attention.attention.value.bias"), 0, b, 2 * d, d);
        return b;
    }

    /** The feed-forward block {@code fc2(act(fc1(x)))}, with the two layers' key prefixes. */
    String mlp(String fc1, String fc2, String x, int width, Activation a) {
        return linear(fc2, activate(a, linear(fc1, x, d, width)), width, d);
    }

    /** {@code a(x)} as the PyTorch path computes it ({@code Ops.activate}). */
    String activate(Activation a, String x) {
        switch (a) {
            case GELU: return g.op("Gelu", List.of(x), Attr.s("approximate", "none"));
            case GELU_TANH: return g.op("Gelu", List.of(x), Attr.s("approximate", "tanh"));
            case RELU: return g.op("Relu", List.of(x));
            case SILU: return g.op("Mul", List.of(x, g.op("Sigmoid", List.of(x))));
            case QUICK_GELU:
                return g.op("Mul", List.of(x, g.op("Sigmoid", List.of(g.op("Mul", List.of(x, g.floats(new long[0], 1.702f)))))));
            default: throw new IllegalStateException("no ONNX form for activation " + a);
        }
    }

    /** {@code x W^T + b} with the checkpoint's {@code [out, in]} weight transposed once here. */
    String linear(String k, String x, int in, int out) {
        String y = g.op("MatMul", List.of(x, g.weight(k + "weight_t", transposed(k + "weight", out, in), in, out)));
        return g.op("Add", List.of(y, weight(k + "bias", out)));
    }

    /** LayerNorm over the last axis with the key prefix's {@code weight} and {@code bias}. */
    String layerNorm(String k, String x) {
        return g.op("LayerNormalization", List.of(x, weight(k + "weight", d), weight(k + "bias", d)),
                Attr.i("axis", -1), Attr.f("epsilon", (float) layerNormEps));
    }

    /** A parameter as a graph weight of the same name. */
    private String weight(String key, long... dims) {
        return g.weight(key, floats(key), dims);
    }

    /** A {@code [rows, cols]} parameter as {@code [cols, rows]}, row-major. */
    private float[] transposed(String key, int rows, int cols) {
        float[] w = floats(key);
        float[] t = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                t[col * rows + r] = w[r * cols + col];
            }
        }
        return t;
    }

    private float[] floats(String key) {
        // Arrays made here (a cast) are freed on return; the parameter's own array is not.
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return array(key).toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    private NDArray array(String key) {
        Parameter p = params.get(key);
        if (p == null || !p.isInitialized()) {
            throw new IllegalStateException("the encoder has no value for '" + key + "' (" + encoder.describe() + ")");
        }
        return p.getArray();
    }
}
