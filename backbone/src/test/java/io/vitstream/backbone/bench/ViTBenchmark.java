package io.vitstream.backbone.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Backbones;
import io.vitstream.backbone.Djl;
import io.vitstream.backbone.EncoderSession;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.checkpoint.CheckpointFolder;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.checkpoint.Weights;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.onnx.OnnxRuntimeEncoder;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.backbone.vit.ViTConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of the random-weight ViT encoder at 224x224: vitstream's DJL/PyTorch forward in fp32
 * and bf16 next to ONNX Runtime (through DJL) on the same weights, exported by
 * {@code tools/export_onnx.py}. A command, not a test: {@code tools/bench-vit.sh [options]}.
 *
 * <p>Options: {@code --presets S/16,B/16 --batches 1,8,32 --quick --out docs/benchmarks.md
 * --python /usr/bin/python3 --no-ort}. With {@code --out} the section between the
 * {@code vit-benchmark} markers of that file is rewritten (the file is created if missing).
 *
 * <p>Timed: casting a ready fp32 input tensor to the model precision plus the encoder forward
 * (no image decoding or preprocessing), each run in its own sub-manager and {@link NDScope}, as
 * {@code VisionModel.infer} does. Warm-up runs first, then N runs (N so a cell takes a few
 * seconds); the median is reported, min-max shows the spread.
 */
public final class ViTBenchmark {

    private static final int SEED = 1234;
    private static final int SIDE = 224;
    private static final String BEGIN = "<!-- vit-benchmark:begin -->";
    private static final String END = "<!-- vit-benchmark:end -->";
    private static final String OURS = "vitstream (DJL PyTorch)";
    private static final String ORT = "ONNX Runtime (DJL)";
    private static final String OURS_ORT = "vitstream (ONNX Runtime, graph built in Java)";

    private ViTBenchmark() {}

    /** Parsed command line. */
    record Options(List<String> presets, List<Integer> batches, boolean quick, Path out, String python,
            boolean ort, Path root, String[] args) {
        static Options parse(String[] args) {
            List<String> presets = List.of("S/16", "B/16");
            List<Integer> batches = List.of(1, 8, 32);
            boolean quick = false;
            boolean ort = true;
            Path out = null;
            String python = "/usr/bin/python3";
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--presets": presets = List.of(args[++i].split(",")); break;
                    case "--batches": batches = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList(); break;
                    case "--quick": quick = true; break;
                    case "--no-ort": ort = false; break;
                    case "--out": out = Path.of(args[++i]); break;
                    case "--python": python = args[++i]; break;
                    default: throw new IllegalArgumentException("unknown option " + args[i]
                            + "; use --presets S/16,B/16 --batches 1,8,32 --quick --out FILE --python EXE --no-ort");
                }
            }
            return new Options(presets, batches, quick, out, python, ort, findRoot(), args);
        }

        int warmups() { return quick ? 1 : 2; }
        int maxWarmups() { return quick ? 2 : 10; }
        int minRuns() { return quick ? 3 : 7; }
        int maxRuns() { return quick ? 10 : 60; }
        double targetMs() { return quick ? 1_500 : 8_000; }
        int attempts() { return quick ? 1 : 3; }
        double busyPercent() { return 15; }
        Path work() { return root.resolve("backbone/target/bench"); }
    }

    /** One table row. */
    record Cell(String model, String path, String precision, int batch, int runs, double median, double min, double max,
            double others) {
        String row() {
            return String.format(Locale.ROOT, "| ViT-%s | %s | %s | %d | %d | %.1f | %.1f | %.2f | %.1f–%.1f | %.0f%% |",
                    model, path, precision, batch, runs, median, median / batch, 1000 * batch / median, min / batch,
                    max / batch, others);
        }
    }

    /** The ONNX Runtime side of one preset: model, predictor and the precision of its graph. */
    record OrtPath(ZooModel<NDList, NDList> model, Predictor<NDList, NDList> predictor, String precision)
            implements AutoCloseable {
        @Override public void close() {
            predictor.close();
            model.close();
        }
    }

    public static void main(String[] args) throws Exception {
        Djl.ensureOffline();
        setIfAbsent("ai.djl.pytorch.num_threads", "2");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        Options o = Options.parse(args);
        String loadBefore = Machine.loadAverage();
        Machine.Cpu start = Machine.cpu();
        System.out.println(Machine.describe() + "\nload average before: " + loadBefore);
        List<Cell> cells = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String preset : o.presets()) {
            cells.addAll(benchPreset(preset, o, notes));
        }
        double others = Machine.othersPercent(start, Machine.cpu());
        String section = Report.section(o, cells, notes, loadBefore, Machine.loadAverage(), others);
        System.out.println(section);
        if (o.out() != null) {
            Report.write(o.root().resolve(o.out()), section, BEGIN, END);
            System.out.println("wrote " + o.root().resolve(o.out()));
        }
    }

    private static List<Cell> benchPreset(String preset, Options o, List<String> notes) throws Exception {
        ViTConfig cfg = ViTConfig.preset(preset);
        Path folder = o.work().resolve(preset.replace("/", ""));
        writeRandomCheckpoint(cfg, folder);
        List<Cell> cells = new ArrayList<>();
        try (NDManager w32 = Djl.engine().newBaseManager(); NDManager w16 = Djl.engine().newBaseManager();
                OrtPath ort32 = ortPath(o, folder, "fp32", notes); OrtPath ort16 = ortPath(o, folder, "bf16", notes)) {
            Backbone vit32 = load(cfg, folder, w32, Precision.FP32);
            Backbone vit16 = load(cfg, folder, w16, Precision.BF16);
            notes.add(Parity.check(preset, vit32, vit16, ort32, ort16));
            try (OnnxRuntimeEncoder java32 = OnnxRuntimeEncoder.open(vit32, SIDE, SIDE, threads())) {
                notes.add(Parity.checkSession(preset, vit32, java32));
                for (int b : o.batches()) {
                    cells.add(timeOurs(preset, vit32, Precision.FP32, b, o));
                    cells.add(timeSession(preset, java32, b, o));
                    cells.add(timeOurs(preset, vit16, Precision.BF16, b, o));
                    for (OrtPath ort : new OrtPath[] {ort32, ort16}) {
                        if (ort != null) cells.add(timeOrt(preset, ort, b, o));
                    }
                }
            }
        }
        return cells;
    }

    /** Seeded random init (the ViT's own initializers), saved as an fp32 HF checkpoint folder. */
    private static void writeRandomCheckpoint(ViTConfig cfg, Path folder) {
        Djl.engine().setRandomSeed(SEED);
        try (NDManager m = Djl.engine().newBaseManager()) {
            ViT vit = new ViT(cfg);
            vit.initialize(m, DataType.FLOAT32, new Shape(1, 3, SIDE, SIDE));
            CheckpointFolder.write(folder, vit.toConfigJson(), Backbones.checkpointTensors(vit), StorageType.F32,
                    PreprocessorConfig.vitDefaults(SIDE, SIDE));
        }
    }

    private static Backbone load(ViTConfig cfg, Path folder, NDManager weights, Precision precision) {
        try (Weights w = CheckpointFolder.open(folder).openWeights()) {
            Backbone vit = new ViT(cfg);
            Backbones.loadWeights(vit, w, weights, precision, Device.cpu());
            return vit;
        }
    }

    /** Exports and loads the ONNX graph of one precision, or returns null with the reason in the notes. */
    private static OrtPath ortPath(Options o, Path folder, String precision, List<String> notes) {
        if (!o.ort()) return null;
        Path onnx = folder.resolve("model-" + precision + ".onnx");
        String tag = "ORT " + precision + " (" + folder.getFileName() + ")";
        String exported = Exporter.run(o, folder, onnx, precision);
        if (exported.startsWith("skipped")) {
            System.out.println(tag + ": " + exported);
            notes.add(tag + ": " + exported);
            return null;
        }
        notes.add(tag + ": " + exported);
        try {
            ZooModel<NDList, NDList> model = Criteria.builder().setTypes(NDList.class, NDList.class)
                    .optModelPath(onnx).optEngine("OnnxRuntime")
                    .optOption("interOpNumThreads", "1").optOption("intraOpNumThreads", "2")
                    .build().loadModel();
            OrtPath path = new OrtPath(model, model.newPredictor(), precision);
            try (NDManager probe = model.getNDManager().newSubManager()) {
                path.predictor().predict(new NDList(ortInput(probe, 1)));
            } catch (RuntimeException | TranslateException e) {
                path.close();
                throw e;
            }
            return path;
        } catch (Exception | UnsatisfiedLinkError e) {
            String why = "not measured: ONNX Runtime cannot run this graph on CPU: " + firstLine(e);
            System.out.println(tag + ": " + why);
            notes.add(tag + ": " + why);
            return null;
        }
    }

    private static Cell timeOurs(String model, Backbone vit, Precision p, int batch, Options o) throws InterruptedException {
        try (NDManager cell = Djl.engine().newBaseManager()) {
            NDArray input = images(cell, batch);
            return measure(model, OURS, p.label(), batch, o, () -> {
                try (NDManager run = cell.newSubManager(); NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    input.tempAttach(run);
                    vit.features(p.cast(input)).tokens();
                }
            });
        }
    }

    private static Cell timeSession(String model, EncoderSession session, int batch, Options o) throws InterruptedException {
        try (NDManager cell = Djl.engine().newBaseManager()) {
            NDArray input = images(cell, batch);
            return measure(model, OURS_ORT, "fp32", batch, o, () -> {
                try (NDManager run = cell.newSubManager(); NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    input.tempAttach(run);
                    session.features(input).tokens();
                }
            });
        }
    }

    static int threads() {
        return Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    }

    private static Cell timeOrt(String model, OrtPath ort, int batch, Options o) throws InterruptedException {
        try (NDManager cell = ort.model().getNDManager().newSubManager()) {
            NDArray input = ortInput(cell, batch);
            return measure(model, ORT, ort.precision(), batch, o, () -> {
                try (NDManager run = cell.newSubManager()) {
                    input.tempAttach(run);
                    ort.predictor().predict(new NDList(input));
                } catch (TranslateException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    /**
     * Warm-up, then timed runs. On a shared machine a cell during which other processes took more
     * than {@link Options#busyPercent()} of the CPU time is measured again (up to {@link Options#attempts()}
     * times); the attempt with the least interference is kept.
     */
    private static Cell measure(String model, String path, String precision, int batch, Options o, Runnable forward)
            throws InterruptedException {
        // Warm up until a run is no longer clearly faster than the one before: at a new batch size
        // the native heap keeps growing (page faults) for a few runs before the timings settle.
        double last = Double.MAX_VALUE;
        if (!o.quick()) Machine.awaitQuiet(10, 600);
        for (int i = 0; i < o.maxWarmups(); i++) {
            double t = Machine.timeMs(forward);
            boolean settled = i >= o.warmups() - 1 && t > 0.95 * last;
            last = t;
            if (settled) break;
        }
        int runs = (int) Math.max(o.minRuns(), Math.min(o.maxRuns(), Math.ceil(o.targetMs() / last)));
        Cell best = null;
        for (int attempt = 0; attempt < o.attempts() && (best == null || best.others() > o.busyPercent()); attempt++) {
            if (!o.quick()) Machine.awaitQuiet(10, 600);
            double[] ms = new double[runs];
            Machine.Cpu before = Machine.cpu();
            int n = 0;
            for (double spent = 0; n < runs && (n < o.minRuns() || spent < 2 * o.targetMs()); n++) {
                ms[n] = Machine.timeMs(forward); // stops early when interference makes runs much slower than the warm-up
                spent += ms[n];
            }
            double others = Machine.othersPercent(before, Machine.cpu());
            Arrays.sort(ms, 0, n);
            double median = n % 2 == 1 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
            Cell c = new Cell(model, path, precision, batch, n, median, ms[0], ms[n - 1], others);
            System.out.println(c.row() + "   (attempt " + (attempt + 1) + ", RSS " + Machine.rssMb() + " MB)");
            best = best == null || others < best.others() ? c : best;
        }
        return best;
    }

    /** Seeded standard-normal pixels {@code [B, 3, 224, 224]}, the same for every path. */
    static NDArray images(NDManager manager, int batch) {
        Djl.engine().setRandomSeed(SEED + batch);
        return manager.randomNormal(new Shape(batch, 3, SIDE, SIDE));
    }

    /** The same pixels as an ONNX Runtime array (every exported graph takes fp32 input). */
    static NDArray ortInput(NDManager ortManager, int batch) {
        try (NDManager m = Djl.engine().newBaseManager()) {
            return ortManager.create(images(m, batch).toFloatArray(), new Shape(batch, 3, SIDE, SIDE));
        }
    }

    static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        String msg = String.valueOf(root.getMessage()).strip();
        int nl = msg.indexOf('\n');
        return root.getClass().getSimpleName() + ": " + (nl < 0 ? msg : msg.substring(0, nl));
    }

    private static Path findRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tools/export_onnx.py"))) return p;
        }
        throw new IllegalStateException("run from inside the vitstream checkout (no tools/export_onnx.py above "
                + Path.of("").toAbsolutePath() + ")");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
