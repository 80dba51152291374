package io.vitstream.heads;

import ai.djl.Device;

import io.vitstream.backbone.ExecutionPath;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.image.RgbImage;
import io.vitstream.backbone.vit.ViT;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code precision=auto}: loads the model on every execution path this node can run, checks each
 * against PyTorch fp32 on a small golden set, times each on full batches, and keeps the fastest
 * one within the tolerances (the others are closed).
 *
 * <p>The golden set is {@link #GOLDEN} seeded images at the model's input size: smooth colour
 * fields with noise, so activations are those of pictures rather than of white noise. For every
 * head and every raw output array the check computes the largest absolute difference relative to
 * the largest reference magnitude of that array, and for the first array (class logits, per
 * image or per DETR query) how often the arg-max agrees. Box arrays (after the first, last axis
 * 4) are compared in absolute terms (they are fractions of the image).
 */
public final class PathSelection {

    private static final Logger LOG = LoggerFactory.getLogger(PathSelection.class);

    /** Most warm-up batches per candidate. */
    static final int MAX_WARMUPS = 3;

    /**
     * About how long timing one candidate may take: warm-up stops after half of it (one batch at
     * least), timed batches after all of it (one at least). A ViT-B/16 batch of 8 takes about a
     * second here, so its 3 warm-up and 3 timed batches fit; a DETR-R50 batch of 8 at 750x1333
     * takes 5 to 11 s, and one warm-up and one or two timed batches are enough to tell paths
     * apart that differ by 2x, instead of a minute per candidate at start.
     */
    public static final long DEFAULT_TIME_BUDGET_MS = 20_000;

    /** Images in the golden set. */
    public static final int GOLDEN = 4;

    /**
     * Tolerances a candidate must meet against PyTorch fp32.
     *
     * @param maxRelativeDiff largest |difference| over the largest |reference| of each non-box array
     * @param maxBoxDiff largest |difference| of box coordinates (fractions of the image)
     * @param minTop1Agreement share of arg-max agreements of each head's first array
     */
    public record Tolerances(double maxRelativeDiff, double maxBoxDiff, double minTop1Agreement) {
        /** The defaults: 2% of the output's range, 1% of the image side, every arg-max the same. */
        public static final Tolerances DEFAULT = new Tolerances(0.02, 0.01, 1.0);
    }

    /**
     * How one candidate did; a measurement is null when it was not made (a path that failed to
     * load is not compared, one outside the tolerances is not timed).
     */
    public record Candidate(String path, Double msPerImage, Double maxRelativeDiff, Double maxBoxDiff,
            Double top1Agreement, boolean withinTolerance, String note) {
        /** Images per second, or null when not timed. */
        public Double imagesPerSecond() {
            return msPerImage == null ? null : 1000 / msPerImage;
        }

        static Candidate failed(ExecutionPath path, String note) {
            return new Candidate(path.label(), null, null, null, null, false, note);
        }
    }

    /** The outcome: the chosen path, its model, and every candidate's measurements. */
    public record Result(ExecutionPath chosen, VisionModel model, List<Candidate> candidates, int batch, long millis) {
        /** One line per candidate for the log. */
        public String describe() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "precision auto chose %s (batches of %d, %d golden images, %d ms):", chosen.label(), batch, GOLDEN, millis));
            for (Candidate c : candidates) {
                sb.append(String.format(Locale.ROOT, "%n  %-17s %s", c.path(), c.msPerImage() == null ? "not timed      "
                        : String.format(Locale.ROOT, "%7.1f ms/image", c.msPerImage())));
                if (c.maxRelativeDiff() != null) {
                    sb.append(String.format(Locale.ROOT, "  max rel diff %.2g  box diff %.2g  top-1 %.0f%%",
                            c.maxRelativeDiff(), c.maxBoxDiff(), 100 * c.top1Agreement()));
                }
                sb.append(c.note().isEmpty() ? "" : "  (" + c.note() + ")");
            }
            return sb.toString();
        }
    }

    private PathSelection() {}

    /** The paths worth trying on a device: GPU fp32/bf16/fp16; CPU fp32 both runtimes, bf16 where the CPU has it. */
    public static List<ExecutionPath> candidates(Device device, boolean cpuHasBf16) {
        if (device.isGpu()) {
            return List.of(ExecutionPath.FP32, ExecutionPath.BF16, ExecutionPath.FP16);
        }
        List<ExecutionPath> c = new ArrayList<>(List.of(ExecutionPath.FP32, ExecutionPath.FP32_ONNXRUNTIME));
        if (cpuHasBf16) c.add(ExecutionPath.BF16);
        return c;
    }

    /**
     * Whether this CPU runs bf16 matrix products natively (AVX-512 BF16 or AMX); elsewhere
     * PyTorch emulates bf16 and it is slower than fp32. Linux only ({@code /proc/cpuinfo}).
     */
    public static boolean cpuHasBf16() {
        try {
            String flags = Files.readString(Path.of("/proc/cpuinfo"));
            return flags.contains(" avx512_bf16") || flags.contains(" amx_bf16");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Selects a path. Candidates are tried in order with at most one model in memory at a time:
     * fp32 and fp32-onnxruntime share one set of PyTorch weights (the ONNX Runtime session is
     * added to it and removed again), any other path is loaded after that model is closed. The
     * winner is kept if it is the last model loaded, else loaded again: a start-up's peak memory
     * is that of the largest candidate, not of all of them.
     *
     * @param candidates paths to try; fp32 (the reference) should come first and fp32-onnxruntime
     *     right after it
     * @param batch batch size to time (the service's)
     * @param timedBatches timed batches per candidate (after 1 to {@link #MAX_WARMUPS} warm-up batches)
     */
    public static Result select(Path folder, Device device, List<ExecutionPath> candidates, int batch,
            int timedBatches, Tolerances tol) {
        return select(folder, device, candidates, batch, timedBatches, tol, VisionModel.DEFAULT_MAX_PASS_PIXELS,
                DEFAULT_TIME_BUDGET_MS);
    }

    /**
     * As {@link #select(Path, Device, List, int, int, Tolerances)}, with every model loaded
     * limited to {@code maxPassPixels} per pass ({@link VisionModel#limitPassPixels}), as the
     * service runs it: the golden set, the timing and the chosen model all split their batches
     * the same way; and with each candidate's timing limited to about {@code timeBudgetMs} (see
     * {@link #DEFAULT_TIME_BUDGET_MS}).
     */
    public static Result select(Path folder, Device device, List<ExecutionPath> candidates, int batch,
            int timedBatches, Tolerances tol, long maxPassPixels, long timeBudgetMs) {
        long t0 = System.nanoTime();
        java.util.function.Function<ExecutionPath, VisionModel> load = p -> {
            VisionModel m = VisionModel.load(folder, p, device);
            m.limitPassPixels(maxPassPixels);
            return m;
        };
        VisionModel current = load.apply(ExecutionPath.FP32);
        boolean currentIsFp32 = true;
        List<Candidate> results = new ArrayList<>();
        ExecutionPath best = null;
        double bestMs = Double.MAX_VALUE;
        try {
            List<ImagePreprocessor.Prepared> golden = golden(current);
            Map<String, List<VisionModel.RawOutput>> expected = current.rawOutputs(golden);
            for (ExecutionPath path : candidates) {
                boolean onFp32 = path.precision() == Precision.FP32;
                try {
                    if (onFp32 && !currentIsFp32) {
                        current.close();
                        current = null;
                        current = load.apply(ExecutionPath.FP32);
                        currentIsFp32 = true;
                    } else if (!onFp32) {
                        current.close();
                        current = null;
                        current = load.apply(path);
                        currentIsFp32 = false;
                    }
                    if (onFp32) {
                        current.runBackboneOn(path);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("precision auto: {} cannot run here: {}", path.label(), e.getMessage());
                    results.add(Candidate.failed(path, "failed: " + e.getMessage()));
                    if (current == null) {
                        current = load.apply(ExecutionPath.FP32);
                        currentIsFp32 = true;
                    }
                    continue;
                }
                Candidate c = compare(path, current, golden, expected, tol);
                if (c.withinTolerance()) {
                    double ms = time(current, golden, batch, timedBatches, timeBudgetMs);
                    c = new Candidate(c.path(), ms, c.maxRelativeDiff(), c.maxBoxDiff(), c.top1Agreement(), true, "");
                    if (ms < bestMs) {
                        bestMs = ms;
                        best = path;
                    }
                }
                results.add(c);
            }
            if (best == null) {
                best = ExecutionPath.FP32; // the reference: nothing else met the tolerances, or fp32 was no candidate
            }
            if (current.path() != best) {
                boolean sameWeights = best.precision() == Precision.FP32 && currentIsFp32;
                if (sameWeights) {
                    current.runBackboneOn(best);
                } else {
                    current.close();
                    current = null;
                    current = load.apply(best);
                }
            }
        } catch (RuntimeException e) {
            if (current != null) current.close();
            throw e;
        }
        Result r = new Result(best, current, List.copyOf(results), batch, (System.nanoTime() - t0) / 1_000_000);
        LOG.info(r.describe());
        return r;
    }

    /** Compares a candidate's raw outputs with the reference's. */
    static Candidate compare(ExecutionPath path, VisionModel m, List<ImagePreprocessor.Prepared> golden,
            Map<String, List<VisionModel.RawOutput>> expected, Tolerances tol) {
        Map<String, List<VisionModel.RawOutput>> got = m.rawOutputs(golden);
        double rel = 0;
        double box = 0;
        double agreement = 1;
        for (Map.Entry<String, List<VisionModel.RawOutput>> e : expected.entrySet()) {
            List<VisionModel.RawOutput> want = e.getValue();
            List<VisionModel.RawOutput> have = got.get(e.getKey());
            for (int i = 0; i < want.size(); i++) {
                float[] w = want.get(i).values();
                float[] h = have.get(i).values();
                int last = want.get(i).lastDim();
                if (last == 4 && i > 0) {
                    box = Math.max(box, maxDiff(w, h));
                } else {
                    rel = Math.max(rel, maxDiff(w, h) / Math.max(1e-12, maxAbs(w)));
                }
                if (i == 0) {
                    agreement = Math.min(agreement, argmaxAgreement(w, h, last));
                }
            }
        }
        boolean ok = rel <= tol.maxRelativeDiff() && box <= tol.maxBoxDiff() && agreement >= tol.minTop1Agreement();
        return new Candidate(path.label(), null, rel, box, agreement, ok, ok ? "" : "outside the tolerances");
    }

    /**
     * Median milliseconds per image over {@code timed} batches, after warm-up batches: until one
     * is no longer 5 % faster than the one before, at most {@link #MAX_WARMUPS} (a path's first
     * passes at a batch size pay for kernel selection and memory).
     */
    static double time(VisionModel m, List<ImagePreprocessor.Prepared> golden, int batch, int timed, long budgetMs) {
        List<ImagePreprocessor.Prepared> images = new ArrayList<>();
        for (int i = 0; i < batch; i++) images.add(golden.get(i % golden.size()));
        long start = System.nanoTime();
        double last = Double.MAX_VALUE;
        for (int w = 0; w < MAX_WARMUPS; w++) {
            double ms = timeMs(m, images);
            if (ms > 0.95 * last || elapsedMs(start) > budgetMs / 2) break;
            last = ms;
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < timed && (i == 0 || elapsedMs(start) < budgetMs); i++) {
            ms.add(timeMs(m, images) / batch);
        }
        Collections.sort(ms);
        int n = ms.size();
        return n % 2 == 1 ? ms.get(n / 2) : (ms.get(n / 2 - 1) + ms.get(n / 2)) / 2;
    }

    private static double timeMs(VisionModel m, List<ImagePreprocessor.Prepared> images) {
        long t = System.nanoTime();
        m.infer(images);
        return (System.nanoTime() - t) / 1e6;
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Seeded smooth colour fields with noise at the model's input size. */
    static List<ImagePreprocessor.Prepared> golden(VisionModel m) {
        int w = m.preprocessorConfig().width();
        int h = m.preprocessorConfig().height();
        ImagePreprocessor pre = m.newPreprocessor(new ImageLimits(Long.MAX_VALUE, Long.MAX_VALUE));
        Random random = new Random(20261202L);
        List<ImagePreprocessor.Prepared> out = new ArrayList<>();
        for (int n = 0; n < GOLDEN; n++) {
            double[] a = new double[9];
            for (int i = 0; i < a.length; i++) a[i] = random.nextDouble();
            byte[] rgb = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double u = (double) x / w;
                    double v = (double) y / h;
                    for (int ch = 0; ch < 3; ch++) {
                        double base = 127 + 100 * Math.sin(6.28 * (a[ch] * 3 * u + a[ch + 3] * 3 * v + a[ch + 6]));
                        int val = (int) Math.round(base + 20 * random.nextGaussian());
                        rgb[(y * w + x) * 3 + ch] = (byte) Math.max(0, Math.min(255, val));
                    }
                }
            }
            out.add(pre.prepare(new RgbImage(w, h, rgb)));
        }
        return Collections.unmodifiableList(out);
    }

    static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalStateException("output sizes differ: " + a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** Share of rows (of {@code width} values) whose arg-max is the same in both. */
    static double argmaxAgreement(float[] a, float[] b, int width) {
        int rows = a.length / width;
        int same = 0;
        for (int r = 0; r < rows; r++) {
            if (argmax(a, r * width, width) == argmax(b, r * width, width)) same++;
        }
        return rows == 0 ? 1 : (double) same / rows;
    }

    private static int argmax(float[] a, int from, int width) {
        int best = 0;
        for (int i = 1; i < width; i++) {
            if (a[from + i] > a[from + best]) best = i;
        }
        return best;
    }
}
