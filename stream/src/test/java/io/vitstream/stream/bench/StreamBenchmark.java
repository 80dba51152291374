package io.vitstream.stream.bench;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.heads.VisionModel;
import io.vitstream.stream.kafka.EmbeddedKafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Frames per second through the whole packaged service (produce, consume, decode, infer,
 * publish) next to model-only throughput at the same batch size and precision, in one run; then
 * the service's resident memory at the start and after minutes of steady input.
 *
 * <pre>
 * tools/bench-stream.sh --minutes 10 --out docs/benchmarks.md
 * </pre>
 */
public final class StreamBenchmark {

    private StreamBenchmark() {}

    /** PyTorch threads, the same in the model-only run and in the service process. */
    static final String THREADS = "2";

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.pytorch.num_threads", THREADS);
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Djl.ensureOffline();
        Options o = Options.parse(args);
        List<byte[]> frames = BenchFrames.load(o.frames());
        Path model = BenchFrames.model(o.model());
        double modelOnly = modelOnly(model, frames, o);
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().setDataDir(io.vitstream.stream.ServiceProcess.moduleDir().resolve("target/bench-kafka")).optWipe(true)
                .optPartitions(3).build().start()) {
            kafka.createTopics(Map.of("frames", 3, "classifications", 3, "detections", 3, "frames-dlq", 3));
            ServiceRun run = new ServiceRun(kafka.bootstrapServers(), model, o);
            ServiceRun.Result r = run.measure(frames);
            String table = table(o, modelOnly, r);
            System.out.println(table);
            if (o.out() != null) {
                BenchDoc.replaceSection(Path.of(o.out()), "stream-benchmark", table);
            }
        }
    }

    /** The model on the path the service would run: the explicit one, or what {@code auto} chooses. */
    private static VisionModel load(Path model, Options o) {
        if (!o.precision().equalsIgnoreCase("auto")) {
            return VisionModel.load(model, io.vitstream.backbone.ExecutionPath.parse(o.precision()), ai.djl.Device.cpu());
        }
        return io.vitstream.heads.PathSelection.select(model, ai.djl.Device.cpu(),
                io.vitstream.heads.PathSelection.candidates(ai.djl.Device.cpu(), io.vitstream.heads.PathSelection.cpuHasBf16()),
                o.batch(), 3, io.vitstream.heads.PathSelection.Tolerances.DEFAULT).model();
    }

    /** Images per second of {@code VisionModel.infer} alone on prepared frames, median of runs. */
    static double modelOnly(Path model, List<byte[]> frames, Options o) {
        try (VisionModel m = load(model, o)) {
            ImagePreprocessor pre = new ImagePreprocessor(m.preprocessorConfig(), ImageLimits.DEFAULT,
                    io.vitstream.backbone.image.DecodeMode.parse(o.decode()));
            List<ImagePreprocessor.Prepared> batch = new ArrayList<>();
            for (int i = 0; i < o.batch(); i++) batch.add(pre.prepare(frames.get(i % frames.size())));
            for (int i = 0; i < 5; i++) m.infer(batch);
            double[] rates = new double[7];
            for (int r = 0; r < rates.length; r++) {
                long t0 = System.nanoTime();
                int n = 0;
                while (System.nanoTime() - t0 < 2_000_000_000L) {
                    m.infer(batch);
                    n += batch.size();
                }
                rates[r] = n / ((System.nanoTime() - t0) / 1e9);
            }
            java.util.Arrays.sort(rates);
            return rates[rates.length / 2];
        }
    }

    static String table(Options o, double modelOnly, ServiceRun.Result r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Model `%s`, batch %d, %s, decode %s with %d threads, frames `%s`, %s; %d frames"
                + " per throughput run.%n%n", o.model(), o.batch(), o.precision(), o.decode(), o.decodeThreads(), o.frames(),
                Machine.describe(), r.frames()));
        s.append("| measure | value |\n|---|---|\n");
        s.append(String.format(Locale.ROOT, "| model only (VisionModel.infer, prepared images) | %.1f frames/s |%n", modelOnly));
        s.append(String.format(Locale.ROOT, "| whole service (frames produced to results consumed, broker and clients on the same 2 cores) | %.1f frames/s |%n", r.fps()));
        s.append(String.format(Locale.ROOT, "| streaming overhead (1 - service / model) | %.0f%% |%n", 100 * (1 - r.fps() / modelOnly)));
        s.append(String.format(Locale.ROOT, "| capture-to-publish latency p50 / p99 under full load | %.0f / %.0f ms |%n", r.p50(), r.p99()));
        s.append(String.format(Locale.ROOT, "| service RSS after start-up and warm-up | %d MB |%n", r.rssStartMb()));
        s.append(String.format(Locale.ROOT, "| service RSS after %d min of steady input at %.1f frames/s | %d MB |%n",
                o.minutes(), r.steadyFps(), r.rssEndMb()));
        s.append(String.format(Locale.ROOT, "| RSS samples during the steady run (MB, every minute) | %s |%n", r.rssSamples()));
        return s.toString();
    }
}
