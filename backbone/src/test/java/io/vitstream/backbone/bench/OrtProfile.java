package io.vitstream.backbone.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.onnx.OnnxRuntimeEncoder;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.backbone.vit.ViTConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the fp32 encoder's time goes on ONNX Runtime (the graph {@code ViTGraph} builds): ONNX
 * Runtime's own profiler over timed batches of random weights, kernel time summed by operator
 * type (after the runtime's graph fusions), per batch. {@code tools/bench-ops.sh --onnxruntime}.
 */
final class OrtProfile {

    private OrtProfile() {}

    static void profile(String preset, int batch, int runs) throws Exception {
        ViTConfig c = ViTConfig.preset(preset);
        int side = 224;
        Path dir = Files.createDirectories(Path.of("target/ort-profile"));
        Djl.engine().setRandomSeed(1);
        try (NDManager m = Djl.engine().newBaseManager()) {
            ViT vit = new ViT(c);
            vit.initialize(m, DataType.FLOAT32, new Shape(1, 3, side, side));
            int threads = ViTBenchmark.threads();
            Path trace;
            double wallMs;
            try (OnnxRuntimeEncoder ort = OnnxRuntimeEncoder.open(vit, side, side, threads, dir.resolve("vit"))) {
                var x = m.randomNormal(new Shape(batch, 3, side, side));
                for (int i = 0; i < 2; i++) run(ort, x);
                long t0 = System.nanoTime();
                for (int i = 0; i < runs; i++) run(ort, x);
                wallMs = (System.nanoTime() - t0) / 1e6 / runs;
                trace = ort.endProfiling();
            }
            report(preset, batch, runs + 2, runs, wallMs, trace, threads);
        }
    }

    private static void run(OnnxRuntimeEncoder ort, ai.djl.ndarray.NDArray x) {
        try (NDScope s = new NDScope()) {
            s.suppressNotUsedWarning();
            ort.features(x);
        }
    }

    /** Sums kernel time per operator type over the last {@code runs} of {@code total} runs. */
    private static void report(String preset, int batch, int total, int runs, double wallMs, Path trace, int threads)
            throws Exception {
        JsonNode events = new ObjectMapper().readTree(trace.toFile());
        Map<String, double[]> byOp = new LinkedHashMap<>();
        int seen = 0;
        for (JsonNode e : events) {
            String name = e.path("name").asText();
            if (e.path("cat").asText().equals("Session") && name.equals("model_run")) {
                seen++;
            }
            // a run's node events come before its model_run event: skip those of the first (total - runs) runs
            if (seen < total - runs || !e.path("cat").asText().equals("Node") || !name.endsWith("_kernel_time")) {
                continue;
            }
            String op = e.path("args").path("op_name").asText();
            byOp.computeIfAbsent(op, k -> new double[2])[0] += e.path("dur").asDouble() / 1000.0;
            byOp.get(op)[1]++;
        }
        double sum = byOp.values().stream().mapToDouble(v -> v[0]).sum() / runs;
        System.out.printf(Locale.ROOT, "### ONNX Runtime kernel time by operator, ViT-%s, batch %d, %d threads%n%n", preset, batch, threads);
        System.out.printf(Locale.ROOT, "Whole forward %.1f ms/batch (wall, mean of %d runs with the profiler on); kernels sum to %.1f ms.%n%n",
                wallMs, runs, sum);
        System.out.println("| operator (after ONNX Runtime's fusions) | nodes per run | ms/batch | share of kernel time |");
        System.out.println("|---|---:|---:|---:|");
        byOp.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).forEach(e ->
                System.out.printf(Locale.ROOT, "| %s | %.0f | %.1f | %.0f%% |%n", e.getKey(), e.getValue()[1] / runs,
                        e.getValue()[0] / runs, 100 * e.getValue()[0] / runs / sum));
        long counted = byOp.values().stream().mapToLong(v -> (long) v[1]).sum();
        if (counted % runs != 0) {
            throw new IllegalStateException(counted + " kernel events are not a whole number of " + runs + " runs");
        }
        System.out.println("\ntrace: " + trace.toAbsolutePath());
    }
}
