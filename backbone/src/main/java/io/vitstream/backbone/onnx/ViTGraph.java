package io.vitstream.backbone.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;

import io.vitstream.backbone.Grid;
import io.vitstream.backbone.nn.Activation;
import io.vitstream.backbone.vit.PositionEmbeddings;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.backbone.vit.ViTConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.vitstream.backbone.onnx.OnnxGraph.Attr;

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
 * exactly what {@link ViT#features} returns as tokens.
 */
public final class ViTGraph {

    /** Name of the graph's input. */
    public static final String INPUT = OnnxGraph.INPUT;
    /** Name of the graph's output. */
    public static final String OUTPUT = OnnxGraph.OUTPUT;

    private final ViT vit;
    private final ViTConfig c;
    private final Map<String, Parameter> params;
    private final OnnxGraph g;

    private ViTGraph(ViT vit, OnnxGraph g) {
        this.vit = vit;
        this.c = vit.config();
        this.params = vit.namedParameters();
        this.g = g;
    }

    /**
     * The graph for inputs of {@code height x width} pixels (multiples of the patch size) and
     * any batch size, its weights written to {@code dataFile} (which the caller deletes).
     */
    public static OnnxGraph build(ViT vit, int height, int width, Path dataFile) {
        Grid grid = vit.grid(height, width);
        try (OnnxGraph g = new OnnxGraph("vitstream-vit", dataFile)) {
            return new ViTGraph(vit, g).write(grid, height, width);
        }
    }

    private OnnxGraph write(Grid grid, int height, int width) {
        int d = c.hiddenSize();
        g.input(INPUT, -1, c.numChannels(), height, width);
        String x = embed(grid);
        for (int i = 0; i < c.numLayers(); i++) {
            x = layer("encoder.layer." + i + ".", x);
        }
        x = layerNorm("layernorm.", x);
        g.alias(x, OUTPUT);
        g.output(OUTPUT, -1, (long) c.numPrefixTokens() + grid.size(), d);
        return g;
    }

    private String embed(Grid grid) {
        int d = c.hiddenSize();
        int p = c.patchSize();
        String conv = g.op("Conv", List.of(INPUT,
                        weight("embeddings.patch_embeddings.projection.weight", floats("embeddings.patch_embeddings.projection.weight"),
                                d, c.numChannels(), p, p),
                        weight("embeddings.patch_embeddings.projection.bias", floats("embeddings.patch_embeddings.projection.bias"), d)),
                Attr.ints("kernel_shape", p, p), Attr.ints("strides", p, p));
        String tokens = g.op("Transpose", List.of(g.op("Reshape", List.of(conv, g.ints(0, d, -1)))), Attr.ints("perm", 0, 2, 1));

        // Position embeddings resampled to this grid by the encoder's own code, so both runtimes
        // see identical values.
        int prefix = c.useClassToken() ? 1 : 0;
        float[] all;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            all = PositionEmbeddings.resample(array("embeddings.position_embeddings"), prefix,
                    c.gridHeight(), c.gridWidth(), grid.height(), grid.width()).toType(DataType.FLOAT32, false).toFloatArray();
        }
        float[] patchPos = java.util.Arrays.copyOfRange(all, prefix * d, all.length);
        tokens = g.op("Add", List.of(tokens, g.weight("vit.patch_position_embeddings", patchPos, 1, grid.size(), d)));

        String batch = g.op("Shape", List.of(INPUT), Attr.i("start", 0), Attr.i("end", 1));
        List<String> parts = new java.util.ArrayList<>();
        if (prefix == 1) {
            float[] cls = floats("embeddings.cls_token");
            for (int i = 0; i < d; i++) cls[i] += all[i];
            parts.add(expand(g.weight("vit.cls_token_with_position", cls, 1, 1, d), batch, 1));
        }
        if (c.numRegisterTokens() > 0) {
            parts.add(expand(weight("embeddings.register_tokens", floats("embeddings.register_tokens"),
                    1, c.numRegisterTokens(), d), batch, c.numRegisterTokens()));
        }
        if (parts.isEmpty()) {
            return tokens;
        }
        parts.add(tokens);
        return g.op("Concat", parts, Attr.i("axis", 1));
    }

    /** {@code [1, n, D] -> [batch, n, D]}. */
    private String expand(String value, String batch, int n) {
        String shape = g.op("Concat", List.of(batch, g.ints(n, c.hiddenSize())), Attr.i("axis", 0));
        return g.op("Expand", List.of(value, shape));
    }

    private String layer(String k, String x) {
        int d = c.hiddenSize();
        String h = layerNorm(k + "layernorm_before.", x);

        String context = attention(k, h);
        String attended = linear(k + "attention.output.dense.", context, d, d);
        String r = g.op("Add", List.of(x, attended));

        String m = linear(k + "intermediate.dense.", layerNorm(k + "layernorm_after.", r), d, c.intermediateSize());
        m = activate(m);
        m = linear(k + "output.dense.", m, c.intermediateSize(), d);
        return g.op("Add", List.of(r, m));
    }

    /**
     * ONNX Runtime's fused multi-head attention ({@code com.microsoft.Attention}: the three
     * projections as one {@code [D, 3D]} product, scores, softmax and mixing in one kernel).
     */
    private String attention(String k, String h) {
        int d = c.hiddenSize();
        float[] w = qkvWeights(k);
        float[] b = c.qkvBias() ? qkvBias(k) : new float[3 * d];
        String out = g.fresh("attention");
        g.node("com.microsoft", "Attention", List.of(h, g.weight(k + "attention.qkv.weight_t", w, d, 3L * d),
                g.weight(k + "attention.qkv.bias", b, 3L * d)), List.of(out), Attr.i("num_heads", c.numHeads()));
        return out;
    }

    /** Query, key and value weights transposed side by side, {@code [D, 3D]}. */
    private float[] qkvWeights(String k) {
        int d = c.hiddenSize();
        float[] wq = transposed(k + "attention.attention.query.weight", d, d);
        float[] wk = transposed(k + "attention.attention.key.weight", d, d);
        float[] wv = transposed(k + "attention.attention.value.weight", d, d);
        float[] w = new float[d * 3 * d];
        for (int r = 0; r < d; r++) {
            for (int col = 0; col < d; col++) {
                w[r * 3 * d + col] = wq[r * d + col];
                w[r * 3 * d + d + col] = wk[r * d + col];
                w[r * 3 * d + 2 * d + col] = wv[r * d + col];
            }
        }
        return w;
    }

    private float[] qkvBias(String k) {
        int d = c.hiddenSize();
        float[] b = new float[3 * d];
        float[] bq = floats(k + "attention.attention.query.bias");
        System.arraycopy(bq, 0, b, 0, d);
        System.arraycopy(floats(k + "attention.attention.key.bias"), 0, b, d, d);
        System.arraycopy(floats(k + "attention.attention.value.bias"), 0, b, 2 * d, d);
        return b;
    }

    private String activate(String x) {
        Activation a = c.activation();
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
    private String linear(String k, String x, int in, int out) {
        String y = g.op("MatMul", List.of(x, g.weight(k + "weight_t", transposed(k + "weight", out, in), in, out)));
        return g.op("Add", List.of(y, weight(k + "bias", floats(k + "bias"), out)));
    }

    private String layerNorm(String k, String x) {
        int d = c.hiddenSize();
        return g.op("LayerNormalization", List.of(x, weight(k + "weight", floats(k + "weight"), d),
                        weight(k + "bias", floats(k + "bias"), d)),
                Attr.i("axis", -1), Attr.f("epsilon", (float) c.layerNormEps()));
    }

    private String weight(String key, float[] data, long... dims) {
        return g.weight(key, data, dims);
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
            throw new IllegalStateException("the encoder has no value for '" + key + "' (" + vit.describe() + ")");
        }
        return p.getArray();
    }
}
