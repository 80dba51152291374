package io.vitstream.heads.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.Features;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.bench.Machine;
import io.vitstream.backbone.bench.Parity;
import io.vitstream.heads.Head;
import io.vitstream.heads.VisionModel;
import io.vitstream.heads.detr.DetrHead;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * frames/s of the two other backbones at their real shapes, random weights: DETR-R50 (ResNet-50
 * + DETR, d_model 256, 6+6 layers, 100 queries, 92 classes) at 800x1066 and DINOv2-S/14 at 224, on
 * our DJL PyTorch path in fp32 and bf16 and on ONNX Runtime fp32 with the same weights. The folders
 * and ONNX files come from {@code tools/make_bench_backbones.py}; {@code tools/bench-backbones.sh}
 * makes them and runs this.
 *
 * <p>Options: {@code --work DIR --detr-batches 1,4 --dinov2-batches 1,8 --quick --attempts 1 --quiet-wait 15}
 * (the last two: see {@link #measure}).
 *
 * <p>Timed: for ours, the cast of a ready fp32 input to the model precision, the backbone and (DETR)
 * the head's forward to logits and boxes, without mask (every image fills its 800x1066 input) and
 * without post-processing, each run in its own sub-manager; for ONNX Runtime, {@code session.run}
 * on a ready input tensor. Warm-up, then the median of the timed runs.
 */
public final class BackboneBenchmark {

    private static final int SEED = 1234;

    private BackboneBenchmark() {}

    /** A model of the table: its folder under the work directory, input size and batch sizes. */
    record Spec(String name, String folder, int height, int width, List<Integer> batches) {}

    /** Parsed command line. */
    record Options(Path work, List<Integer> detrBatches, List<Integer> dinov2Batches, boolean quick, int attempts,
            int quietWaitSeconds) {
        static Options parse(String[] args) {
            Path work = Path.of("heads/target/bench-backbones");
            List<Integer> detr = List.of(1, 4);
            List<Integer> dinov2 = List.of(1, 8);
            boolean quick = false;
            int attempts = 1;
            int quietWait = 15;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--work" -> work = Path.of(args[++i]);
                    case "--detr-batches" -> detr = ints(args[++i]);
                    case "--dinov2-batches" -> dinov2 = ints(args[++i]);
                    case "--quick" -> quick = true;
                    case "--attempts" -> attempts = Integer.parseInt(args[++i]);
                    case "--quiet-wait" -> quietWait = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; use --work DIR --detr-batches 1,4 --dinov2-batches 1,8 --quick --attempts 1"
                            + " --quiet-wait 15");
                }
            }
            return new Options(work, detr, dinov2, quick, quick ? 1 : attempts, quietWait);
        }

        private static List<Integer> ints(String s) {
            return s.isEmpty() ? List.of() : Arrays.stream(s.split(",")).map(Integer::valueOf).toList();
        }

        int warmups() { return quick ? 1 : 2; }
        int minRuns() { return quick ? 3 : 5; }
        int maxRuns() { return quick ? 3 : 30; }
        double targetMs() { return quick ? 0 : 10_000; }
    }

    /** One table row. */
    record Cell(String model, String path, String precision, int batch, int runs, double median, double min,
            double max, double speedup, String diff, double others) {
        String row() {
            return String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %.0f | %.2f | %.0f–%.0f | %.2fx | %s | %.0f%% |",
                    model, path, precision, batch, runs, median, 1000 * batch / median, min, max, speedup, diff, others);
        }
    }

    public static void main(String[] args) throws Exception {
        Djl.ensureOffline();
        Options o = Options.parse(args);
        String loadBefore = Machine.loadAverage();
        Machine.Cpu start = Machine.cpu();
        System.out.println(Machine.describe() + "\nload average before: " + loadBefore);
        List<Cell> cells = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Spec s : List.of(new Spec("DETR-R50", "detr-r50", 800, 1066, o.detrBatches()),
                new Spec("DINOv2-S/14", "dinov2-s14", 224, 224, o.dinov2Batches()))) {
            if (!s.batches().isEmpty()) cells.addAll(bench(s, o, notes));
        }
        double others = Machine.othersPercent(start, Machine.cpu());
        String loadAfter = Machine.loadAverage();
        StringBuilder out = new StringBuilder("\n").append(Machine.describe())
                .append("\n- load average (1, 5, 15 min) before: ").append(loadBefore).append("; after: ").append(loadAfter)
                .append(String.format(Locale.ROOT, "%n- other processes used %.0f%% of the machine's CPU time over the run%n%n",
                        others));
        out.append("| model | path | precision | batch | runs | median ms/batch | frames/s | min–max ms/batch "
                + "| vs our fp32 | max abs diff vs ORT fp32 | others' CPU |\n|---|---|---|---:|---:|---:|---:|---|---:|---|---:|\n");
        cells.forEach(c -> out.append(c.row()).append('\n'));
        out.append('\n');
        notes.forEach(n -> out.append("- ").append(n).append('\n'));
        System.out.println(out);
    }

    private static List<Cell> bench(Spec s, Options o, List<String> notes) throws Exception {
        Path folder = o.work().resolve(s.folder());
        List<Cell> cells = new ArrayList<>();
        try (VisionModel fp32 = VisionModel.load(folder, Precision.FP32, Device.cpu());
                VisionModel bf16 = VisionModel.load(folder, Precision.BF16, Device.cpu())) {
            for (int b : s.batches()) {
                long[] shape = {b, 3, s.height(), s.width()};
                float[] pixels = pixels(shape);
                Path onnx = folder.resolve("model-b" + b + ".onnx");
                float[] ort = null;
                OrtRunner runner = null;
                if (Files.isRegularFile(onnx)) {
                    runner = new OrtRunner(onnx, pixels, shape);
                    ort = runner.firstOutput();
                } else {
                    notes.add(s.name() + " batch " + b + ": no ONNX Runtime row, " + onnx + " is missing");
                }
                Cell ours = timeOurs(s, "ours (DJL PyTorch)", Precision.FP32, x -> forward(fp32, x), pixels, shape, ort, 0, o);
                cells.add(ours);
                Cell oursBf16 = timeOurs(s, "ours (DJL PyTorch)", Precision.BF16, x -> forward(bf16, x), pixels, shape, ort,
                        ours.median(), o);
                cells.add(oursBf16);
                // the fp32-onnxruntime path: the backbone on ONNX Runtime from a graph built in Java, any head on PyTorch
                try (io.vitstream.backbone.onnx.OnnxRuntimeEncoder enc = io.vitstream.backbone.onnx.OnnxRuntimeEncoder.open(
                        fp32.backbone(), s.height(), s.width(), Integer.getInteger("ai.djl.pytorch.num_threads", 2))) {
                    cells.add(timeOurs(s, "ours (ONNX Runtime, graph built in Java)", Precision.FP32,
                            x -> heads(fp32, enc.features(x)), pixels, shape, ort, ours.median(), o));
                }
                if (runner != null) {
                    try (OrtRunner r = runner) {
                        cells.add(measure(s.name(), "ONNX Runtime", "fp32", b, o, ours.median(), "(reference)", r::run));
                    }
                }
                if (s.name().startsWith("DETR")) notes.add(goal(oursBf16, ours));
            }
        }
        return cells;
    }

    /** The goal, on medians and, because the machine is shared, on each path's fastest run. */
    private static String goal(Cell bf16, Cell fp32) {
        double best = fp32.min() / bf16.min();
        return String.format(Locale.ROOT, "DETR-R50 batch %d: bf16 is %.2fx our fp32 by median (goal >= 1.5x %s), "
                + "%.2fx by fastest run (%.0f vs %.0f ms)", fp32.batch(), bf16.speedup(),
                bf16.speedup() >= 1.5 ? "met" : "not met", best, bf16.min(), fp32.min());
    }

    private static Cell timeOurs(Spec s, String path, Precision p, java.util.function.UnaryOperator<NDArray> forward,
            float[] pixels, long[] shape, float[] ort, double fp32Median, Options o) throws InterruptedException {
        try (NDManager cell = Djl.engine().newBaseManager()) {
            NDArray input = cell.create(pixels, new Shape(shape));
            String diff = "—";
            if (ort != null) {
                try (NDManager run = cell.newSubManager(); NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    input.tempAttach(run);
                    float[] ours = forward.apply(p.cast(input)).toType(DataType.FLOAT32, false).toFloatArray();
                    diff = String.format(Locale.ROOT, "%.1e (outputs up to %.1f)", Parity.maxDiff(ours, ort), Parity.maxAbs(ort));
                }
            }
            return measure(s.name(), path, p.label(), (int) shape[0], o, fp32Median, diff, () -> {
                try (NDManager run = cell.newSubManager(); NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    input.tempAttach(run);
                    forward.apply(p.cast(input));
                }
            });
        }
    }

    /**
     * The model's forward on {@code [B, 3, H, W]}: DETR's class logits {@code [B, Q, K+1]} (last decoder
     * layer; the boxes are computed too), or the backbone's tokens {@code [B, T, D]} when there is no head.
     */
    static NDArray forward(VisionModel model, NDArray images) {
        return heads(model, model.backbone().features(images));
    }

    /** The DETR head's last-layer class logits on {@code features}, or the tokens when there is no DETR head. */
    static NDArray heads(VisionModel model, Features features) {
        for (Head head : model.heads().values()) {
            if (head instanceof DetrHead detr) {
                NDArray logits = detr.forward(null, features, null, false).get(0);
                return logits.get(logits.getShape().get(0) - 1);
            }
        }
        return features.tokens();
    }

    /**
     * Warm-up (one run only when it takes over 5 s: two would cost a DETR batch of 4 a minute), then
     * timed runs (more for fast cells, about {@link Options#targetMs()} per cell); the median. The
     * machine is shared: a full run first waits (up to {@link Options#quietWaitSeconds()}) until other
     * processes use under 10% of the CPU, and measures a cell again (up to {@link Options#attempts()}
     * times) when they took more than 15% while it was timed, keeping the least disturbed attempt.
     */
    private static Cell measure(String model, String path, String precision, int batch, Options o, double fp32Median,
            String diff, Runnable forward) throws InterruptedException {
        if (!o.quick()) Machine.awaitQuiet(10, o.quietWaitSeconds());
        double last = 0;
        for (int i = 0; i < o.warmups() && last < 5_000; i++) last = Machine.timeMs(forward);
        int runs = (int) Math.max(o.minRuns(), Math.min(o.maxRuns(), Math.ceil(o.targetMs() / last)));
        Cell best = null;
        for (int attempt = 1; attempt <= o.attempts() && (best == null || best.others() > 15); attempt++) {
            if (attempt > 1) Machine.awaitQuiet(10, o.quietWaitSeconds());
            double[] ms = new double[runs];
            Machine.Cpu before = Machine.cpu();
            for (int i = 0; i < runs; i++) ms[i] = Machine.timeMs(forward);
            double others = Machine.othersPercent(before, Machine.cpu());
            Arrays.sort(ms);
            double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
            Cell c = new Cell(model, path, precision, batch, runs, median, ms[0], ms[runs - 1],
                    fp32Median > 0 ? fp32Median / median : 1, diff, others);
            System.out.println(c.row() + "   (attempt " + attempt + ", RSS " + Machine.rssMb() + " MB, load "
                    + Machine.loadAverage() + ")");
            best = best == null || others < best.others() ? c : best;
        }
        return best;
    }

    /** Seeded standard-normal pixels, the same for every path. */
    private static float[] pixels(long[] shape) {
        Random r = new Random(SEED);
        float[] x = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }
}
