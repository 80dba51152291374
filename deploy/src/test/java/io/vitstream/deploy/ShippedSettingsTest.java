package io.vitstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import com.fasterxml.jackson.databind.JsonNode;

import io.vitstream.backbone.CameraFrames;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.RandomCheckpoints;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.explain.AttentionRollout;
import io.vitstream.heads.Attentions;
import io.vitstream.heads.RandomDetrCheckpoints;
import io.vitstream.heads.VisionModel;
import io.vitstream.results.Detection;
import io.vitstream.results.HeadResult;
import io.vitstream.results.Label;
import io.vitstream.stream.kafka.EmbeddedKafka;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service at real size under the settings we ship: a ViT-B/16-sized checkpoint in
 * the Hugging Face layout (346 MB of random fp32 weights, written at test time), camera-sized
 * JPEG frames (1280x720 and 1920x1080), and exactly the JVM flags of the image and of the
 * Kubernetes Deployment, read from those files. The container's or pod's memory limit is what
 * the JVM sizes itself from, so it is simulated with {@code -XX:MaxRAM} (and its CPUs with
 * {@code -XX:ActiveProcessorCount}).
 *
 * <p>Each case must classify every frame exactly as the model does in this JVM without any
 * limits, and its peak resident memory ({@code VmHWM}) must stay well under the limit. A third
 * case runs a real-shape Hugging Face DETR-R50 folder (made at test time) under the compose
 * limits, where its detections must be this JVM's. The peaks
 * are written to {@code target/shipped-settings.md}; deploy/README.md quotes them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShippedSettingsTest {

    private static final Path WORK = Path.of("target/shipped-settings").toAbsolutePath();
    private static final int LABELS = 10;
    /** Peak RSS may use at most this share of the limit: the rest is the margin we promise. */
    private static final double MAX_SHARE_OF_LIMIT = 0.75;

    private EmbeddedKafka kafka;
    private Path model;
    private final Map<String, byte[]> frames = new LinkedHashMap<>();
    /** Top labels of each frame by the precision the results name (fp32 at first; bf16 made when needed). */
    private final Map<String, Map<String, List<Label>>> expected = new LinkedHashMap<>();
    /** The attention-rollout heat map of each frame, by precision, computed here as {@link #expected} is. */
    private final Map<String, Map<String, float[][]>> heatmaps = new LinkedHashMap<>();
    private final List<String> report = new ArrayList<>();
    private final List<String> explainReport = new ArrayList<>();

    @BeforeAll
    void modelFramesAndBroker() throws IOException {
        Repo.requirePackagedService();
        Files.createDirectories(WORK);
        model = RandomCheckpoints.classifier(WORK.resolve("vit-b16-f32"), "B/16", LABELS, StorageType.F32, 11);
        long bytes = Files.size(model.resolve("model.safetensors"));
        assertTrue(bytes > 340_000_000L, "a B/16-sized checkpoint, was " + bytes + " bytes");

        frames.put("720p", CameraFrames.jpeg(1280, 720, 1));
        frames.put("1080p", CameraFrames.jpeg(1920, 1080, 2));
        expected("fp32");
        kafka = EmbeddedKafka.builder().setDataDir(WORK.resolve("kafka")).optWipe(true)
                // As the compose broker (KAFKA_MESSAGE_MAX_BYTES): camera frames are over 1 MiB.
                .optBrokerProperty("message.max.bytes", "20971520").build().start();
        kafka.createTopics(Map.of("frames", 1, "frames-dlq", 1, "classifications", 1, "detections", 1));
    }

    /**
     * The reference for results of one precision: the same folder and bytes in this JVM, no memory
     * flags at all, PyTorch at that precision (the service's fp32 may run its backbone on ONNX
     * Runtime: within 1e-4 of PyTorch, which the score check allows).
     */
    private Map<String, List<Label>> expected(String precision) {
        return expected.computeIfAbsent(precision, p -> {
            Map<String, List<Label>> top = new LinkedHashMap<>();
            Map<String, float[][]> maps = new LinkedHashMap<>();
            try (VisionModel reference = VisionModel.load(model, Precision.parse(p), Device.cpu())) {
                ImagePreprocessor pre = reference.newPreprocessor(ImageLimits.DEFAULT);
                for (Map.Entry<String, byte[]> f : frames.entrySet()) {
                    ImagePreprocessor.Prepared prepared = pre.prepare(f.getValue());
                    HeadResult r = reference.infer(List.of(prepared)).get(0).values().iterator().next();
                    top.put(f.getKey(), ((HeadResult.Classification) r).top());
                    Attentions a = reference.attentions(List.of(prepared)).get(0);
                    maps.put(f.getKey(), AttentionRollout.heatmap(AttentionRollout.rollout(a.layers(),
                            AttentionRollout.HeadFusion.MEAN), 0, a.numPrefixTokens(), a.grid()));
                }
            }
            heatmaps.put(p, maps);
            return top;
        });
    }

    @AfterAll
    void stop() throws IOException {
        if (kafka != null) {
            kafka.close();
        }
        if (!report.isEmpty()) {
            List<String> lines = new ArrayList<>(List.of(
                    "| shipped as | limit | JVM options | path (precision=auto) | peak RSS | share of limit |",
                    "|---|---:|---|---|---:|---:|"));
            lines.addAll(report);
            if (!explainReport.isEmpty()) {
                lines.addAll(List.of("", "| shipped as | precision | layers | grid | heat map vs AttentionRollout | GET /v1/explain on 1080p |",
                        "|---|---|---:|---|---:|---:|"));
                lines.addAll(explainReport);
            }
            Files.write(WORK.resolve("../shipped-settings.md"), lines);
            lines.forEach(System.out::println);
        }
    }

    /** The CPU image as `docker run --memory 3g --cpus 2` and compose run it. */
    @Test
    void imageUnderComposeLimits() throws Exception {
        Dockerfile image = Dockerfile.read(Repo.DEPLOY.resolve("docker/Dockerfile.jvm"));
        JsonNode compose = Repo.yamlDocuments(Repo.DEPLOY.resolve("compose/compose.yaml")).get(0).at("/services/vitstream");
        String composeOptions = compose.at("/environment/JDK_JAVA_OPTIONS").asText();
        assertEquals(normalise(image.env().get("JDK_JAVA_OPTIONS")), normalise(composeOptions),
                "compose.yaml and Dockerfile.jvm ship different JVM options");
        long limit = bytes(compose.path("mem_limit").asText());
        int cpus = compose.path("cpus").asInt();

        Map<String, String> env = PackagedService.imageEnv(image);
        env.put("JDK_JAVA_OPTIONS", composeOptions);
        compose.path("environment").fields().forEachRemaining(e -> env.putIfAbsent(e.getKey(), e.getValue().asText()));
        env.put("VITSTREAM_BATCH_DECODE_THREADS", compose.at("/environment/VITSTREAM_BATCH_DECODE_THREADS").asText());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("VITSTREAM_MODEL_PATH", model.toString());
        run("image (compose, docker run)", image, env, limit, cpus, WORK.resolve("image"), "image");
    }

    /**
     * A real-shape Hugging Face DETR-R50 folder (made here in HF's layout, 166 MB) in the CPU
     * image under the compose limits, on 720p and 1080p frames (750x1333 inputs each). At the
     * default batch of 8 such frames one pass would need 5.5 GB in fp32; the default
     * {@code vitstream.batch.max-pixels} splits batches into passes that fit. Every frame's 100
     * detections (score threshold 0) must be this JVM's for that frame, and the peak resident
     * memory must stay within the share of the limit.
     */
    @Test
    void detrResNet50UnderComposeLimits() throws Exception {
        Path detr = RandomDetrCheckpoints.resnet50(WORK.resolve("detr-r50"), 0, 13);
        Dockerfile image = Dockerfile.read(Repo.DEPLOY.resolve("docker/Dockerfile.jvm"));
        JsonNode compose = Repo.yamlDocuments(Repo.DEPLOY.resolve("compose/compose.yaml")).get(0).at("/services/vitstream");
        Map<String, String> env = PackagedService.imageEnv(image);
        compose.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("VITSTREAM_MODEL_PATH", detr.toString());
        String name = "image (compose), HF DETR-R50";
        run(name, image, env, bytes(compose.path("mem_limit").asText()), compose.path("cpus").asInt(), WORK.resolve("detr"),
                "detr", "detections", (results, frameOf, log) -> results.forEach((key, result) -> {
                    String precision = result.at("/model/precision").asText();
                    assertDetections(name + ", " + frameOf.get(key) + " frame (" + precision + ")",
                            detrReference(detr, precision).get(frameOf.get(key)), result.at("/result/detections"), precision);
                }));
    }

    /** The DETR folder's detections of each frame in this JVM, one frame per pass, by precision. */
    private final Map<String, Map<String, List<Detection>>> detrExpected = new LinkedHashMap<>();

    private Map<String, List<Detection>> detrReference(Path folder, String precision) {
        return detrExpected.computeIfAbsent(precision, p -> {
            Map<String, List<Detection>> out = new LinkedHashMap<>();
            try (VisionModel reference = VisionModel.load(folder, Precision.parse(p), Device.cpu())) {
                ImagePreprocessor pre = reference.newPreprocessor(ImageLimits.DEFAULT);
                for (Map.Entry<String, byte[]> f : frames.entrySet()) {
                    HeadResult r = reference.infer(List.of(pre.prepare(f.getValue()))).get(0).get("detr");
                    out.put(f.getKey(), ((HeadResult.Detections) r).detections());
                }
            }
            return out;
        });
    }

    /**
     * The published detections are the reference's: the same count, the scores in order within
     * the precision's tolerance, and each reference detection matched by label, score and box
     * (fp32: every one within 1e-4 and 0.05 px; bf16, whose near-tied random classes may swap,
     * the 10 highest-scoring ones within 5e-3 and 1 % of the frame's width).
     */
    private static void assertDetections(String what, List<Detection> want, JsonNode got, String precision) {
        assertEquals(want.size(), got.size(), what + ": detections");
        boolean fp32 = precision.equals("fp32");
        double scoreTol = tolerance(precision);
        List<Double> gotScores = new ArrayList<>();
        got.forEach(d -> gotScores.add(d.path("score").asDouble()));
        gotScores.sort(java.util.Comparator.reverseOrder());
        List<Double> wantScores = new ArrayList<>(want.stream().map(d -> (double) d.score()).toList());
        wantScores.sort(java.util.Comparator.reverseOrder());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(wantScores.get(i), gotScores.get(i), scoreTol, what + ": score at rank " + i);
        }
        List<Detection> checked = fp32 ? want : want.stream()
                .sorted(java.util.Comparator.comparingDouble(Detection::score).reversed()).limit(10).toList();
        double boxTol = fp32 ? 0.05 : 0.01 * 1920;
        List<JsonNode> left = new ArrayList<>();
        got.forEach(left::add);
        for (Detection w : checked) {
            JsonNode match = left.stream().filter(g -> g.path("label_id").asInt() == w.labelId()
                    && Math.abs(g.path("score").asDouble() - w.score()) <= scoreTol
                    && Math.abs(g.at("/box/x1").asDouble() - w.box().x1()) <= boxTol
                    && Math.abs(g.at("/box/y1").asDouble() - w.box().y1()) <= boxTol
                    && Math.abs(g.at("/box/x2").asDouble() - w.box().x2()) <= boxTol
                    && Math.abs(g.at("/box/y2").asDouble() - w.box().y2()) <= boxTol)
                    .findFirst().orElseThrow(() -> new AssertionError(what + ": no published detection matches " + w));
            left.remove(match);
        }
    }

    /** The image as the Kubernetes Deployment runs it: its options, its limits, its ConfigMap. */
    @Test
    void imageUnderTheDeploymentsLimits() throws Exception {
        Dockerfile image = Dockerfile.read(Repo.DEPLOY.resolve("docker/Dockerfile.jvm"));
        JsonNode container = Manifests.container();
        long limit = bytes(container.at("/resources/limits/memory").asText());
        int cpus = (int) Math.ceil(Double.parseDouble(container.at("/resources/limits/cpu").asText()));

        Map<String, String> env = PackagedService.imageEnv(image);
        for (JsonNode e : container.path("env")) {
            // Secrets are not here: any value will do for the SASL user, PLAINTEXT below ignores it.
            env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : "unused");
        }
        // The ConfigMap is mounted as config/application.properties of the working directory.
        Path workdir = WORK.resolve("k8s");
        Files.createDirectories(workdir.resolve("config"));
        Files.writeString(workdir.resolve("config/application.properties"),
                Manifests.one("ConfigMap").at("/data/application.properties").asText());
        Properties cm = Manifests.configProperties();
        assertTrue(cm.containsKey("vitstream.model.path"), "the ConfigMap names the model");
        // What differs from a cluster: the broker (plain, on loopback), the model folder, no GPU.
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
        env.put("VITSTREAM_MODEL_PATH", model.toString());
        env.put("VITSTREAM_MODEL_DEVICE", "cpu");
        run("Kubernetes Deployment (CPU in place of the GPU)", image, env, limit, cpus, workdir, "k8s");
    }

    private void run(String name, Dockerfile image, Map<String, String> env, long limit, int cpus, Path workdir,
            String camera) throws Exception {
        run(name, image, env, limit, cpus, workdir, camera, "classifications", (results, frameOf, log) -> {
            results.forEach((key, result) -> {
                String precision = result.at("/model/precision").asText();
                assertMatches(name + ", " + frameOf.get(key) + " frame (" + precision + ")",
                        expected(precision).get(frameOf.get(key)), result.at("/result/top"), tolerance(precision));
            });
            liveViewAndHeatmap(name, PackagedService.httpPort(log), camera + "-1080p", "1080p", results);
        });
    }

    /** What a case checks on its service's results: by record key, the frame each key carries, the service's log. */
    @FunctionalInterface
    interface ResultsCheck {
        void check(Map<String, JsonNode> results, Map<String, String> frameOf, Path log) throws Exception;
    }

    /**
     * Starts the packaged service as {@code image} runs with {@code env}, the limit simulated by
     * the JVM flags, sends every frame keyed {@code camera-frame}, takes their results from
     * {@code topic}, runs {@code check}, and requires the peak resident memory within
     * {@link #MAX_SHARE_OF_LIMIT} of the limit (reported in {@code target/shipped-settings.md}).
     */
    private void run(String name, Dockerfile image, Map<String, String> env, long limit, int cpus, Path workdir,
            String camera, String topic, ResultsCheck check) throws Exception {
        Files.createDirectories(workdir);
        String shipped = env.get("JDK_JAVA_OPTIONS");
        env.put("JDK_JAVA_OPTIONS", shipped + " -XX:MaxRAM=" + limit + " -XX:ActiveProcessorCount=" + cpus);

        Path log = workdir.resolve("service.log");
        Process p = PackagedService.start(image, env, workdir, log);
        try {
            PackagedService.awaitStarted(p, log);
            Map<String, String> frameOf = new LinkedHashMap<>();
            frames.keySet().forEach(f -> frameOf.put(camera + "-" + f, f));
            Map<String, byte[]> keyed = new LinkedHashMap<>();
            frameOf.forEach((key, f) -> keyed.put(key, frames.get(f)));
            PackagedService.send(kafka.bootstrapServers(), keyed);
            check.check(PackagedService.receive(kafka.bootstrapServers(), topic, frameOf.keySet(), p, log), frameOf, log);
            long peak = PackagedService.peakRss(p.pid());
            double share = (double) peak / limit;
            String text = Files.readString(log);
            Matcher chose = Pattern.compile("precision auto chose (\\S+)").matcher(text);
            Matcher pixels = Pattern.compile("at most (\\S+) input pixels per pass").matcher(text);
            report.add(String.format("| %s | %s | `%s` | %s, max-pixels %s | %d MiB | %.0f %% |", name, gib(limit),
                    normalise(shipped), chose.find() ? chose.group(1) : "not auto", pixels.find() ? pixels.group(1) : "?",
                    peak >> 20, 100 * share));
            assertTrue(share <= MAX_SHARE_OF_LIMIT, String.format("%s: peak RSS %d MiB is %.0f%% of the %s limit",
                    name, peak >> 20, 100 * share, gib(limit)));
        } finally {
            PackagedService.stop(p);
        }
    }

    /**
     * The live view and the attention map at this size: the 1080p frame is in the live view, its
     * preview scales to 640 wide, and {@code GET /v1/explain} on it gives the heat map this JVM
     * computes with {@link AttentionRollout} on the same bytes (max abs difference 1e-5).
     */
    private void liveViewAndHeatmap(String name, int port, String camera, String frame, Map<String, JsonNode> results)
            throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String root = "http://127.0.0.1:" + port;
        java.net.http.HttpResponse<String> live = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(root + "/live/cameras/" + camera)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, live.statusCode(), name + ": " + live.body());
        JsonNode summary = JSON.readTree(live.body());
        assertEquals(1920, summary.at("/image/width").asInt(), name + ": " + summary);
        assertEquals(results.get(camera).at("/frame/offset").asLong(), summary.at("/frame/offset").asLong());
        java.net.http.HttpResponse<byte[]> preview = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(root + "/live/cameras/" + camera + "/frame.jpg?max-side=640")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, preview.statusCode());
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(preview.body()));
        assertEquals(640, img.getWidth(), name + ": preview width");
        assertEquals(360, img.getHeight(), name + ": preview height");

        java.net.http.HttpResponse<String> explain = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(root + "/v1/explain?camera=" + camera)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, explain.statusCode(), name + ": " + explain.body());
        JsonNode e = JSON.readTree(explain.body());
        String precision = results.get(camera).at("/model/precision").asText();
        expected(precision);
        float[][] want = heatmaps.get(precision).get(frame);
        JsonNode got = e.path("map");
        assertEquals(want.length, got.size(), name + ": grid rows");
        double maxDiff = 0;
        for (int y = 0; y < want.length; y++) {
            assertEquals(want[y].length, got.get(y).size(), name + ": grid columns");
            for (int x = 0; x < want[y].length; x++) {
                maxDiff = Math.max(maxDiff, Math.abs(want[y][x] - got.get(y).get(x).asDouble()));
            }
        }
        // The goal is 1e-5 in fp32 (the explanation runs on PyTorch even when the stream's backbone
        // runs on ONNX Runtime); in bf16 the attention probabilities themselves carry 8-bit mantissas.
        double limit = precision.equals("fp32") ? 1e-5 : 2e-2;
        assertTrue(maxDiff <= limit, name + ": heat map (" + precision + ") differs from AttentionRollout by " + maxDiff);
        explainReport.add(String.format("| %s | %s | %d | %dx%d | %.1e | %.0f ms |", name, precision, e.path("layers").asInt(),
                want.length, want[0].length, maxDiff, e.path("millis").asDouble()));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * How close the service's numbers must be to this JVM's at a precision: fp32 within 1e-4
     * (ONNX Runtime against PyTorch); bf16 keeps 8 bits of mantissa, and the service's kernels may
     * block the work differently from a single image here (6e-4 seen on a 0.55 score).
     */
    private static double tolerance(String precision) {
        return precision.equals("fp32") ? 1e-4 : 5e-3;
    }

    private static void assertMatches(String what, List<Label> want, JsonNode got, double tolerance) {
        assertEquals(want.size(), got.size(), what + ": top-k size in " + got);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).id(), got.get(i).path("id").asInt(), what + ": rank " + i + " in " + got);
            assertEquals(want.get(i).score(), got.get(i).path("score").asDouble(), tolerance, what + ": rank " + i + " score");
        }
    }

    /** Kubernetes and compose quantities: 3g, 6Gi, 3072Mi. */
    static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)([KMGT]i?|[kmgt]b?)?").matcher(quantity.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a memory quantity: " + quantity);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase().replace("b", "");
        int shift = switch (unit.replace("i", "")) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        // Compose's 3g and Kubernetes' 3Gi are both binary; Kubernetes' 3G is decimal.
        if (!unit.isEmpty() && !unit.endsWith("i") && Character.isUpperCase(m.group(2).charAt(0))) {
            return n * (long) Math.pow(1000, shift / 10);
        }
        return n << shift;
    }

    private static String gib(long bytes) {
        return String.format("%.1f GiB", bytes / (double) (1L << 30));
    }

    private static String normalise(String options) {
        return options.strip().replaceAll("\\s+", " ");
    }

}
