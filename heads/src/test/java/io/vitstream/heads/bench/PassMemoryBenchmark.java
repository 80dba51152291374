package io.vitstream.heads.bench;

import ai.djl.Device;

import io.vitstream.backbone.CameraFrames;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.bench.Machine;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.heads.RandomDetrCheckpoints;
import io.vitstream.heads.VisionModel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Peak memory and speed of a batch of camera frames through {@code VisionModel.infer} (what
 * the stream runs) under different {@code vitstream.batch.max-pixels}: a real-shape HF
 * DETR-R50 folder made in Java ({@link RandomDetrCheckpoints}), 1080p JPEG frames (750x1333
 * inputs). Every cell runs in a fresh JVM, because a process's peak resident memory
 * ({@code VmHWM}) only grows: the peak of a cell is its own.
 *
 * <pre>tools/bench-pass-memory.sh [--batch 8] [--limits 0,2000000,1100000] [--precisions fp32,bf16]</pre>
 */
public final class PassMemoryBenchmark {

    private PassMemoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--cell")) {
            cell(Path.of(args[1]), Precision.parse(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]),
                    Integer.parseInt(args[5]));
            return;
        }
        Path work = Path.of("heads/target/bench-pass-memory");
        int batch = 8;
        int runs = 3;
        List<Long> limits = List.of(0L, 2_000_000L, VisionModel.DEFAULT_MAX_PASS_PIXELS);
        List<String> precisions = List.of("fp32", "bf16");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--work" -> work = Path.of(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--limits" -> limits = Arrays.stream(args[++i].split(",")).map(Long::parseLong).toList();
                case "--precisions" -> precisions = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path folder = RandomDetrCheckpoints.resnet50(work.resolve("detr-r50"), -1, 7);
        System.out.println(Machine.describe() + "\nload average before: " + Machine.loadAverage());
        List<String> rows = new ArrayList<>();
        for (String p : precisions) {
            for (long limit : limits) {
                String row = child(folder, p, batch, limit, runs);
                System.out.println(row);
                rows.add(row);
            }
        }
        System.out.println("load average after: " + Machine.loadAverage());
        System.out.println();
        System.out.println("| model | precision | frames per batch | max-pixels | passes per batch | median ms/batch | frames/s | peak RSS |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    /** Runs one cell in a new JVM with this one's class path and PyTorch settings; returns its table row. */
    private static String child(Path folder, String precision, int batch, long limit, int runs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path")));
        for (String k : List.of("ai.djl.offline", "offline", "ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
            if (System.getProperty(k) != null) cmd.add("-D" + k + "=" + System.getProperty(k));
        }
        cmd.addAll(List.of(PassMemoryBenchmark.class.getName(), "--cell", folder.toString(), precision,
                Integer.toString(batch), Long.toString(limit), Integer.toString(runs)));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String row = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream()))) {
            for (String line; (line = r.readLine()) != null;) {
                if (line.startsWith("| ")) row = line;
                else if (line.startsWith("cell failed")) System.out.println(line);
            }
        }
        if (proc.waitFor() != 0 || row == null) {
            return String.format(Locale.ROOT, "| DETR-R50 | %s | %d | %d | failed (exit %d) | | | |", precision, batch, limit,
                    proc.exitValue());
        }
        return row;
    }

    private static void cell(Path folder, Precision precision, int batch, long limit, int runs) {
        try (VisionModel model = VisionModel.load(folder, precision, Device.cpu())) {
            model.limitPassPixels(limit);
            ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
            List<ImagePreprocessor.Prepared> frames = new ArrayList<>();
            for (int i = 0; i < batch; i++) frames.add(pre.prepare(CameraFrames.jpeg(1920, 1080, 100 + i)));
            model.infer(frames); // warm-up
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                model.infer(frames);
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(ms);
            double median = ms[runs / 2];
            var g = frames.get(0).geometry();
            int passes = VisionModel.passes(frames, limit).size();
            System.out.printf(Locale.ROOT, "| DETR-R50 (%dx%d inputs) | %s | %d | %s | %d | %.0f | %.2f | %d MB |%n",
                    g.inputHeight(), g.inputWidth(), precision.label(), batch, limit == 0 ? "0 (no limit)" : String.format(Locale.ROOT, "%,d", limit),
                    passes, median, 1000 * batch / median, peakMb());
        } catch (RuntimeException e) {
            System.out.println("cell failed: " + e);
            throw e;
        }
    }

    /** Peak resident set size of this process ({@code VmHWM}) in MB. */
    static long peakMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return -1;
    }
}
