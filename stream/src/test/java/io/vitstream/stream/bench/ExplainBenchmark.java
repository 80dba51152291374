package io.vitstream.stream.bench;

import ai.djl.Device;

import io.vitstream.backbone.CameraFrames;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.RandomCheckpoints;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.explain.AttentionRollout;
import io.vitstream.backbone.explain.AttentionRollout.HeadFusion;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.heads.Attentions;
import io.vitstream.heads.VisionModel;
import io.vitstream.stream.explain.Explainer;
import io.vitstream.stream.explain.Explanation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * What an attention map costs ({@code GET /v1/explain}, {@code vitstream.explain.every}): for
 * ViT S/16 and B/16 classifiers (random weights in the Hugging Face layout, written under
 * {@code target/bench-explain}) on a 1920x1080 JPEG, the backbone pass with attentions, the
 * rollout as the full {@code T x T} product and as the one row the map needs, the whole
 * explanation, and the PNG; then the rollout alone on random attention of larger token counts.
 * Median of {@code --runs} (5) after two warm-ups. Prints Markdown.
 *
 * <p>{@code tools/bench-explain.sh [--runs 5] [--presets S/16,B/16]}
 */
public final class ExplainBenchmark {

    private ExplainBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = 5;
        List<String> presets = List.of("S/16", "B/16");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--presets" -> presets = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--runs N, --presets S/16,B/16)");
            }
        }
        byte[] frame = CameraFrames.jpeg(1920, 1080, 3);
        System.out.println("Machine: " + Machine.describe() + "; PyTorch threads "
                + System.getProperty("ai.djl.pytorch.num_threads", "default") + "; median of " + runs + " runs, ms");
        System.out.println();
        System.out.println("| model | tokens | layers | attentions pass | rollout, full product | rollout, one row | map difference |"
                + " explanation (1080p JPEG) | PNG |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String preset : presets) {
            Path dir = Path.of("target/bench-explain").resolve(preset.replace('/', '-'));
            RandomCheckpoints.classifier(dir, preset, 10, StorageType.F32, 5);
            try (VisionModel model = VisionModel.load(dir, Precision.FP32, Device.cpu())) {
                ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
                ImagePreprocessor.Prepared prepared = pre.prepare(frame);
                Attentions a = model.attentions(List.of(prepared)).get(0);
                int t = a.numPrefixTokens() + a.grid().size();
                double attentionsMs = median(runs, () -> model.attentions(List.of(prepared)));
                float[][][] full = new float[1][][];
                double fullMs = median(runs, () -> full[0] = AttentionRollout.heatmap(
                        AttentionRollout.rollout(a.layers(), HeadFusion.MEAN), 0, a.numPrefixTokens(), a.grid()));
                float[][][] row = new float[1][][];
                double rowMs = median(runs, () -> row[0] = AttentionRollout.heatmap(
                        AttentionRollout.rolloutRow(a.layers(), HeadFusion.MEAN, classRow(t)), a.numPrefixTokens(), a.grid()));
                Explainer explainer = new Explainer(model, pre);
                Explanation[] e = new Explanation[1];
                double explainMs = median(runs, () -> e[0] = explainer.explain(frame, explainer.layers(), HeadFusion.MEAN));
                double pngMs = median(runs, () -> explainer.png(frame, e[0], 1280));
                System.out.printf("| ViT-%s, 224 | %d | %d | %.0f | %.1f | %.1f | %.1e | %.0f | %.0f |%n", preset, t,
                        a.layers().size(), attentionsMs, fullMs, rowMs, maxDiff(full[0], row[0]), explainMs, pngMs);
            }
        }
        System.out.println();
        System.out.println("Rollout alone on random attention (12 heads):");
        System.out.println();
        System.out.println("| tokens | layers | as in | full product | one row |");
        System.out.println("|---:|---:|---|---:|---:|");
        int[][] sizes = {{197, 12}, {577, 12}, {1370, 24}};
        String[] as = {"B/16 at 224", "B/16 at 384", "L/14 at 518 (DINOv2-L)"};
        for (int s = 0; s < sizes.length; s++) {
            int t = sizes[s][0];
            List<float[][][]> layers = random(t, sizes[s][1], 12, new Random(s));
            String fullMs = t > 600 ? "not run (minutes)"
                    : String.format("%.0f", median(Math.min(runs, 3), () -> AttentionRollout.rollout(layers, HeadFusion.MEAN)));
            double rowMs = median(runs, () -> AttentionRollout.rolloutRow(layers, HeadFusion.MEAN, classRow(t)));
            System.out.printf("| %d | %d | %s | %s | %.0f |%n", t, sizes[s][1], as[s], fullMs, rowMs);
        }
    }

    private static double[] classRow(int t) {
        double[] start = new double[t];
        start[0] = 1;
        return start;
    }

    private static double maxDiff(float[][] a, float[][] b) {
        double d = 0;
        for (int y = 0; y < a.length; y++) {
            for (int x = 0; x < a[y].length; x++) d = Math.max(d, Math.abs(a[y][x] - b[y][x]));
        }
        return d;
    }

    private static List<float[][][]> random(int t, int layers, int heads, Random rnd) {
        List<float[][][]> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            float[][][] a = new float[heads][t][t];
            for (float[][] h : a) {
                for (float[] r : h) {
                    double sum = 0;
                    for (int j = 0; j < t; j++) sum += r[j] = rnd.nextFloat();
                    for (int j = 0; j < t; j++) r[j] /= sum;
                }
            }
            out.add(a);
        }
        return out;
    }

    private static double median(int runs, Supplier<?> work) {
        work.get();
        work.get();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            work.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }
}
