package io.vitstream.backbone.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.nn.Ops;
import io.vitstream.backbone.vit.ViTConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where a ViT encoder's time goes, op by op, in fp32 on the PyTorch engine: each op of one
 * encoder layer at a preset's shapes (the same DJL calls the model makes: {@code linear},
 * batched {@code matMul}, softmax, layer norm, GELU, adds), timed alone on random inputs, with
 * GFLOP/s for the matrix products, then summed over the layers and set beside a whole forward
 * pass of the same batch. Prints a Markdown table.
 *
 * <pre>
 *   tools/bench-ops.sh                    # ViT-B/16, batch 8
 *   tools/bench-ops.sh --preset S/16 --batch 1
 *   tools/bench-ops.sh --onnxruntime      # the fp32-onnxruntime path, by ONNX Runtime's profiler
 *   tools/bench-ops.sh --softmax-bf16     # bf16 attention softmax: composed vs PyTorch's kernel
 * </pre>
 */
public final class OpProfile {

    private static final int RUNS = 7;

    /** One op at its shapes, and its floating-point work (0 for memory-bound ops). */
    private record Op(String name, double gflop, int perLayer, Function<NDManager, NDArray> run) {}

    private OpProfile() {}

    public static void main(String[] args) throws Exception {
        String preset = "B/16";
        int batch = 8;
        boolean onnxruntime = false;
        boolean softmaxBf16 = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--preset" -> preset = args[++i];
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--onnxruntime" -> onnxruntime = true;
                case "--softmax-bf16" -> softmaxBf16 = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --preset S/16|B/16 --batch N [--onnxruntime | --softmax-bf16]");
            }
        }
        if (onnxruntime) {
            OrtProfile.profile(preset, batch, 5);
        } else if (softmaxBf16) {
            softmaxBf16(preset, batch);
        } else {
            profile(preset, batch);
        }
    }

    private static void profile(String preset, int batch) {
        ViTConfig c = ViTConfig.preset(preset);
        int side = 224;
        long t = (long) (side / c.patchSize()) * (side / c.patchSize()) + 1;
        long d = c.hiddenSize();
        long h = c.numHeads();
        long hd = d / h;
        long mlp = c.intermediateSize();
        long rows = batch * t;
        try (NDManager m = Djl.engine().newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(batch, t, d));
            NDArray wIn = m.randomNormal(new Shape(d, d)).mul(0.02f);
            NDArray bIn = m.zeros(new Shape(d));
            NDArray w1 = m.randomNormal(new Shape(mlp, d)).mul(0.02f);
            NDArray b1 = m.zeros(new Shape(mlp));
            NDArray w2 = m.randomNormal(new Shape(d, mlp)).mul(0.02f);
            NDArray b2 = m.zeros(new Shape(d));
            NDArray gamma = m.ones(new Shape(d));
            NDArray beta = m.zeros(new Shape(d));
            NDArray qh = m.randomNormal(new Shape(batch, h, t, hd));
            NDArray kt = m.randomNormal(new Shape(batch, h, hd, t));
            NDArray scores = m.randomNormal(new Shape(batch, h, t, t));
            NDArray hidden = m.randomNormal(new Shape(batch, t, mlp));
            double gLinD = 2.0 * rows * d * d / 1e9;
            double gMlp = 2.0 * rows * d * mlp / 1e9;
            double gAtt = 2.0 * batch * h * t * t * hd / 1e9;
            List<Op> ops = List.of(
                    new Op("layer norm [B,T,D]", 0, 2, s -> x.getNDArrayInternal().layerNorm(x, new Shape(d), gamma, beta, 1e-12f)
                            .singletonOrThrow()),
                    new Op("linear D->D (q, k, v, output)", gLinD, 4, s -> x.getNDArrayInternal().linear(x, wIn, bIn).singletonOrThrow()),
                    new Op("matMul q k^T [B,H,T,T]", gAtt, 1, s -> qh.matMul(kt)),
                    new Op("softmax [B,H,T,T]", 0, 1, s -> Ops.softmax(scores, -1)),
                    new Op("matMul probs v [B,H,T,hd]", gAtt, 1, s -> scores.matMul(qh)),
                    new Op("transpose+reshape heads (copy)", 0, 4, s -> qh.transpose(0, 2, 1, 3).reshape(batch, t, d)),
                    new Op("linear D->MLP (fc1)", gMlp, 1, s -> x.getNDArrayInternal().linear(x, w1, b1).singletonOrThrow()),
                    new Op("GELU (exact) [B,T,MLP]", 0, 1, s -> hidden.getNDArrayInternal().gelu()),
                    new Op("linear MLP->D (fc2)", gMlp, 1, s -> hidden.getNDArrayInternal().linear(hidden, w2, b2).singletonOrThrow()),
                    new Op("residual add [B,T,D]", 0, 2, s -> x.add(x)),
                    new Op("scale q (mul) [B,T,D]", 0, 1, s -> x.mul(0.125f)));

            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%n### Op profile: ViT-%s fp32, batch %d (T=%d, D=%d, heads=%d, MLP=%d), %d layers%n%n",
                    preset, batch, t, d, h, mlp, c.numLayers()));
            out.append(Machine.describe()).append("\n\n");
            out.append("| op | per layer | median ms (one) | GFLOP/s | ms per layer | share of the sum |\n|---|---:|---:|---:|---:|---:|\n");
            double[] perLayerMs = new double[ops.size()];
            double[] oneMs = new double[ops.size()];
            for (int i = 0; i < ops.size(); i++) {
                oneMs[i] = medianMs(m, ops.get(i).run());
                perLayerMs[i] = oneMs[i] * ops.get(i).perLayer();
            }
            double layerSum = Arrays.stream(perLayerMs).sum();
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                String gflops = op.gflop() > 0 ? String.format(Locale.ROOT, "%.0f", op.gflop() / (oneMs[i] / 1e3)) : "";
                out.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %s | %.2f | %.0f%% |%n", op.name(), op.perLayer(), oneMs[i],
                        gflops, perLayerMs[i], 100 * perLayerMs[i] / layerSum));
            }
            double matmulGflop = (4 * gLinD + 2 * gAtt + 2 * gMlp) * c.numLayers();
            out.append(String.format(Locale.ROOT, "%nSum of the ops: %.1f ms per layer, %.0f ms for %d layers (%.1f ms per image); the"
                    + " matrix products are %.1f GFLOP per batch (%.2f per image), %.0f GFLOP/s over that sum.%n", layerSum,
                    layerSum * c.numLayers(), c.numLayers(), layerSum * c.numLayers() / batch, matmulGflop, matmulGflop / batch,
                    matmulGflop / (layerSum * c.numLayers() / 1e3)));
            System.out.print(out);
        }
    }

    /**
     * bf16 attention softmax at the preset's shapes, the two ways: composed of DJL ops (max, sub,
     * exp, sum, div: what {@code Ops.softmax} did before) and PyTorch's own kernel through the
     * TorchScript module ({@code Djl.softmaxLastAxis}, what it does now), alternating, 3 rounds.
     */
    private static void softmaxBf16(String preset, int batch) {
        ViTConfig c = ViTConfig.preset(preset);
        long t = (long) (224 / c.patchSize()) * (224 / c.patchSize()) + 1;
        try (NDManager m = Djl.engine().newBaseManager()) {
            NDArray scores = Djl.toBfloat16(m.randomNormal(new Shape(batch, c.numHeads(), t, t)));
            Function<NDManager, NDArray> composed = s -> {
                NDArray e = scores.sub(scores.max(new int[] {-1}, true)).exp();
                return e.div(e.sum(new int[] {-1}, true));
            };
            Function<NDManager, NDArray> kernel = s -> Djl.softmaxLastAxis(scores);
            double diff = composed.apply(m).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .sub(kernel.apply(m).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)).abs().max().getFloat();
            System.out.printf(Locale.ROOT, "%n### bf16 softmax [%d,%d,%d,%d] (ViT-%s batch %d), median of %d runs, 3 rounds%n%n",
                    batch, c.numHeads(), t, t, preset, batch, RUNS);
            System.out.println("| round | composed (max, sub, exp, sum, div) ms | PyTorch kernel (TorchScript) ms | ratio |");
            System.out.println("|---:|---:|---:|---:|");
            for (int r = 1; r <= 3; r++) {
                double a = medianMs(m, composed);
                double b = medianMs(m, kernel);
                System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.1fx |%n", r, a, b, a / b);
            }
            System.out.printf(Locale.ROOT, "%nlargest difference between the two: %.3g (probabilities)%n", diff);
        }
    }

    /** Median of {@link #RUNS} timed runs after two warm-up runs; each result freed at once. */
    private static double medianMs(NDManager parent, Function<NDManager, NDArray> op) {
        List<Double> ms = new ArrayList<>();
        for (int r = 0; r < RUNS + 2; r++) {
            try (NDManager s = parent.newSubManager()) {
                long t0 = System.nanoTime();
                // PyTorch's CPU ops are eager: the result is complete when the call returns.
                NDArray y = op.apply(s);
                double elapsed = (System.nanoTime() - t0) / 1e6;
                y.close();
                if (r >= 2) {
                    ms.add(elapsed);
                }
            }
        }
        ms.sort(Double::compare);
        return ms.get(ms.size() / 2);
    }
}
