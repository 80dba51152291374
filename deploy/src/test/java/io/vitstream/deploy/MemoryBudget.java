package io.vitstream.deploy;

import io.vitstream.backbone.CameraFrames;
import io.vitstream.backbone.RandomCheckpoints;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.stream.kafka.EmbeddedKafka;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what the memory budget in deploy/README.md is made of: the packaged service, started
 * as the CPU image starts it but without a memory cap ({@code -XX:MaxRAM=16g}: the need, not the
 * limit), with ViT S/16, B/16 and L/16 classifiers (random weights, written once under
 * {@code deploy/target/memory-budget}) in fp32 and bf16, batch 8, fed 1080p JPEG frames.
 * Prints a Markdown table: RSS at "started", peak RSS ({@code VmHWM}) after the frames, Java heap
 * used and committed at the end (from {@code /q/metrics}), and the native part (peak RSS minus
 * committed heap).
 *
 * <p>{@code tools/bench-memory.sh [--frames 32] [--presets S/16,B/16,L/16]}
 */
public final class MemoryBudget {

    private MemoryBudget() {}

    public static void main(String[] args) throws Exception {
        int count = 32;
        List<String> presets = List.of("S/16", "B/16", "L/16");
        List<String> precisions = List.of("fp32", "fp32-onnxruntime", "bf16", "auto");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--frames" -> count = Integer.parseInt(args[++i]);
                case "--presets" -> presets = List.of(args[++i].split(","));
                case "--precisions" -> precisions = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --frames N --presets S/16,B/16 --precisions fp32,fp32-onnxruntime,bf16,auto");
            }
        }
        Repo.requirePackagedService();
        Path work = Repo.DEPLOY.resolve("target/memory-budget");
        Dockerfile image = Dockerfile.read(Repo.DEPLOY.resolve("docker/Dockerfile.jvm"));
        byte[] frame = CameraFrames.jpeg(1920, 1080, 21);
        System.out.println("| model | weights file | precision setting | RSS at started | peak RSS (batch 8, 1080p) | heap used / committed | native (peak RSS - committed heap) |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().setDataDir(work.resolve("kafka")).optWipe(true)
                .optBrokerProperty("message.max.bytes", "20971520").build().start()) {
            kafka.createTopics(Map.of("frames", 1, "frames-dlq", 1, "classifications", 1, "detections", 1));
            int round = 0;
            for (String preset : presets) {
                Path model = RandomCheckpoints.classifier(work.resolve("vit-" + preset.replace('/', '-').toLowerCase()),
                        preset, 1000, StorageType.F32, 5);
                long fileBytes = Files.size(model.resolve("model.safetensors"));
                for (String precision : precisions) {
                    round++;
                    Map<String, String> env = PackagedService.imageEnv(image);
                    env.put("JDK_JAVA_OPTIONS", env.get("JDK_JAVA_OPTIONS") + " -XX:MaxRAM=16g -XX:ActiveProcessorCount=2");
                    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
                    env.put("VITSTREAM_KAFKA_EMBEDDED_ENABLED", "false");
                    env.put("VITSTREAM_DEMO_ENABLED", "false");
                    env.put("VITSTREAM_MODEL_PATH", model.toString());
                    env.put("VITSTREAM_MODEL_PRECISION", precision);
                    env.put("VITSTREAM_BATCH_SIZE", "8");
                    env.put("VITSTREAM_BATCH_MAX_WAIT", "2s");
                    Path dir = work.resolve("run-" + round);
                    Path log = dir.resolve("service.log");
                    Process p = PackagedService.start(image, env, dir, log);
                    try {
                        PackagedService.awaitStarted(p, log);
                        long started = PackagedService.rss(p.pid());
                        Map<String, byte[]> frames = new LinkedHashMap<>();
                        for (int i = 0; i < count; i++) {
                            frames.put("r" + round + "-" + i, frame);
                        }
                        PackagedService.send(kafka.bootstrapServers(), frames);
                        PackagedService.receive(kafka.bootstrapServers(), frames.keySet(), p, log);
                        long peak = PackagedService.peakRss(p.pid());
                        String metrics = get(httpPort(log), "/q/metrics");
                        long used = heap(metrics, "jvm_memory_used_bytes");
                        long committed = heap(metrics, "jvm_memory_committed_bytes");
                        System.out.printf("| ViT-%s | %d MB | %s | %d MiB | %d MiB | %d / %d MiB | %d MiB |%n", preset,
                                fileBytes / 1_000_000, precision, started >> 20, peak >> 20, used >> 20, committed >> 20,
                                (peak - committed) >> 20);
                    } finally {
                        PackagedService.stop(p);
                    }
                }
            }
        }
    }

    private static int httpPort(Path log) throws Exception {
        Matcher m = Pattern.compile("Listening on: http://[^:/]+:(\\d+)").matcher(Files.readString(log));
        if (!m.find()) {
            throw new IllegalStateException("no 'Listening on' in " + log);
        }
        return Integer.parseInt(m.group(1));
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Sum over the heap pools of a Micrometer JVM memory gauge. */
    private static long heap(String metrics, String name) {
        Matcher m = Pattern.compile("^" + name + "\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.E+]+)$", Pattern.MULTILINE).matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return (long) sum;
    }
}
