package io.vitstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.RandomCheckpoints;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.heads.VisionModel;
import io.vitstream.results.HeadResult;
import io.vitstream.results.Label;
import io.vitstream.stream.kafka.EmbeddedKafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The packaged service at real size under the settings we ship: a ViT-B/16-sized checkpoint in
 * the Hugging Face layout (346 MB of random fp32 weights, written at test time), camera-sized
 * JPEG frames (1280x720 and 1920x1080), and exactly the JVM flags of the image and of the
 * Kubernetes Deployment, read from those files. The container's or pod's memory limit is what
 * the JVM sizes itself from, so it is simulated with {@code -XX:MaxRAM} (and its CPUs with
 * {@code -XX:ActiveProcessorCount}).
 *
 * <p>Each case must classify every frame exactly as the model does in this JVM without any
 * limits, and its peak resident memory ({@code VmHWM}) must stay well under the limit. The peaks
 * are written to {@code target/shipped-settings.md}; deploy/README.md quotes them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShippedSettingsTest {

    private static final Path WORK = Path.of("target/shipped-settings").toAbsolutePath();
    private static final int LABELS = 10;
    /** Peak RSS may use at most this share of the limit: the rest is the margin we promise. */
    private static final double MAX_SHARE_OF_LIMIT = 0.75;

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddedKafka kafka;
    private Path model;
    private final Map<String, byte[]> frames = new LinkedHashMap<>();
    private final Map<String, List<Label>> expected = new LinkedHashMap<>();
    private final List<String> report = new ArrayList<>();

    @BeforeAll
    void modelFramesAndBroker() throws IOException {
        Repo.requirePackagedService();
        Files.createDirectories(WORK);
        model = RandomCheckpoints.classifier(WORK.resolve("vit-b16-f32"), "B/16", LABELS, StorageType.F32, 11);
        long bytes = Files.size(model.resolve("model.safetensors"));
        assertTrue(bytes > 340_000_000L, "a B/16-sized checkpoint, was " + bytes + " bytes");

        frames.put("720p", cameraJpeg(1280, 720, 1));
        frames.put("1080p", cameraJpeg(1920, 1080, 2));
        // The reference: the same folder and bytes in this JVM, no memory flags at all.
        try (VisionModel reference = VisionModel.load(model, Precision.FP32, Device.cpu())) {
            ImagePreprocessor pre = reference.newPreprocessor(ImageLimits.DEFAULT);
            for (Map.Entry<String, byte[]> f : frames.entrySet()) {
                HeadResult r = reference.infer(List.of(pre.prepare(f.getValue()))).get(0).values().iterator().next();
                expected.put(f.getKey(), ((HeadResult.Classification) r).top());
            }
        }
        kafka = EmbeddedKafka.builder().setDataDir(WORK.resolve("kafka")).optWipe(true)
                // As the compose broker (KAFKA_MESSAGE_MAX_BYTES): camera frames are over 1 MiB.
                .optBrokerProperty("message.max.bytes", "20971520").build().start();
        kafka.createTopics(Map.of("frames", 1, "frames-dlq", 1, "classifications", 1, "detections", 1));
    }

    @AfterAll
    void stop() throws IOException {
        if (kafka != null) {
            kafka.close();
        }
        if (!report.isEmpty()) {
            List<String> lines = new ArrayList<>(List.of(
                    "| shipped as | limit | JVM options | peak RSS | share of limit |",
                    "|---|---:|---|---:|---:|"));
            lines.addAll(report);
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

        Map<String, String> env = imageEnv(image);
        env.put("JDK_JAVA_OPTIONS", composeOptions);
        compose.path("environment").fields().forEachRemaining(e -> env.putIfAbsent(e.getKey(), e.getValue().asText()));
        env.put("VITSTREAM_BATCH_DECODE_THREADS", compose.at("/environment/VITSTREAM_BATCH_DECODE_THREADS").asText());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("VITSTREAM_MODEL_PATH", model.toString());
        run("image (compose, docker run)", image, env, limit, cpus, WORK.resolve("image"), "image");
    }

    /** The image as the Kubernetes Deployment runs it: its options, its limits, its ConfigMap. */
    @Test
    void imageUnderTheDeploymentsLimits() throws Exception {
        Dockerfile image = Dockerfile.read(Repo.DEPLOY.resolve("docker/Dockerfile.jvm"));
        JsonNode container = Manifests.container();
        long limit = bytes(container.at("/resources/limits/memory").asText());
        int cpus = (int) Math.ceil(Double.parseDouble(container.at("/resources/limits/cpu").asText()));

        Map<String, String> env = imageEnv(image);
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
        Files.createDirectories(workdir);
        String shipped = env.get("JDK_JAVA_OPTIONS");
        env.put("JDK_JAVA_OPTIONS", shipped + " -XX:MaxRAM=" + limit + " -XX:ActiveProcessorCount=" + cpus);
        env.put("QUARKUS_HTTP_PORT", "0");

        List<String> cmd = new ArrayList<>(image.last("ENTRYPOINT").get(0).args());
        cmd.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.set(cmd.size() - 1, Repo.QUARKUS_APP.resolve("quarkus-run.jar").toString());
        cmd.replaceAll(a -> a.equals("-Djna.tmpdir=/tmp") ? "-Djna.tmpdir=" + System.getProperty("java.io.tmpdir") : a);
        Path log = workdir.resolve("service.log");
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workdir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            awaitStarted(p, log);
            Map<String, String> keys = new LinkedHashMap<>();
            frames.keySet().forEach(f -> keys.put(camera + "-" + f, f));
            send(keys);
            Map<String, JsonNode> results = receive(keys.keySet(), p, log);
            for (Map.Entry<String, String> k : keys.entrySet()) {
                JsonNode top = results.get(k.getKey()).at("/result/top");
                assertMatches(name + ", " + k.getValue() + " frame", expected.get(k.getValue()), top);
            }
            long peak = peakRss(p.pid());
            double share = (double) peak / limit;
            report.add(String.format("| %s | %s | `%s` | %d MiB | %.0f %% |", name, gib(limit),
                    normalise(shipped), peak >> 20, 100 * share));
            assertTrue(share <= MAX_SHARE_OF_LIMIT, String.format("%s: peak RSS %d MiB is %.0f%% of the %s limit",
                    name, peak >> 20, 100 * share, gib(limit)));
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void assertMatches(String what, List<Label> want, JsonNode got) {
        assertEquals(want.size(), got.size(), what + ": top-k size in " + got);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).id(), got.get(i).path("id").asInt(), what + ": rank " + i + " in " + got);
            assertEquals(want.get(i).score(), got.get(i).path("score").asDouble(), 1e-4, what + ": rank " + i + " score");
        }
    }

    /** The final stage's environment, minus what only makes sense inside the image's file system. */
    private static Map<String, String> imageEnv(Dockerfile image) {
        Map<String, String> env = new LinkedHashMap<>(image.env());
        for (String containerPath : List.of("ENGINE_CACHE_DIR", "DJL_CACHE_DIR", "PYTORCH_LIBRARY_PATH",
                "VITSTREAM_KAFKA_EMBEDDED_DATA_DIR")) {
            assertTrue(env.remove(containerPath) != null, "Dockerfile.jvm no longer sets " + containerPath);
        }
        // The image listens on every interface of its own network namespace; here, loopback only.
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        return env;
    }

    private static void awaitStarted(Process p, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("started in")) {
                return;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the service did not start under the shipped settings; log:\n" + tail(log));
    }

    private void send(Map<String, String> keys) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 20 << 20);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            keys.forEach((key, frame) -> producer.send(new ProducerRecord<>("frames", key, frames.get(frame))));
            producer.flush();
        }
    }

    private Map<String, JsonNode> receive(java.util.Set<String> keys, Process p, Path log) throws IOException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "shipped-settings-" + System.nanoTime());
        Map<String, JsonNode> out = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("classifications", "frames-dlq"));
            while (!out.keySet().containsAll(keys) && System.nanoTime() < deadline && p.isAlive()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (!keys.contains(r.key())) {
                        continue;
                    }
                    if (r.topic().equals("frames-dlq")) {
                        throw new AssertionError("frame " + r.key() + " was dead-lettered: "
                                + new String(r.headers().lastHeader("vitstream.dlq.reason").value()) + "\n" + tail(log));
                    }
                    out.put(r.key(), JSON.readTree(r.value()));
                }
            }
        }
        if (!out.keySet().containsAll(keys)) {
            throw new AssertionError("results for " + out.keySet() + " of " + keys + "; log:\n" + tail(log));
        }
        return out;
    }

    /** {@code VmHWM} of /proc: the most resident memory the process has had. */
    private static long peakRss(long pid) throws IOException {
        Matcher m = Pattern.compile("VmHWM:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
        assertTrue(m.find(), "no VmHWM in /proc/" + pid + "/status");
        return Long.parseLong(m.group(1)) << 10;
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

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A camera-like frame: sky and ground gradients, buildings, a road, a few objects with
     * edges, text and sensor noise, as JPEG at quality 0.9 with 4:2:0 chroma (ImageIO's default).
     */
    static byte[] cameraJpeg(int w, int h, long seed) {
        Random rnd = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new java.awt.GradientPaint(0, 0, new Color(120, 160, 210), 0, h / 2f, new Color(200, 215, 230)));
        g.fillRect(0, 0, w, h / 2);
        g.setPaint(new java.awt.GradientPaint(0, h / 2f, new Color(90, 95, 85), 0, h, new Color(60, 62, 58)));
        g.fillRect(0, h / 2, w, h - h / 2);
        for (int i = 0; i < 12; i++) {
            int bw = w / 16 + rnd.nextInt(w / 10);
            int bh = h / 6 + rnd.nextInt(h / 4);
            int x = rnd.nextInt(w);
            g.setColor(new Color(80 + rnd.nextInt(120), 70 + rnd.nextInt(100), 60 + rnd.nextInt(90)));
            g.fillRect(x, h / 2 - bh, bw, bh);
            g.setColor(new Color(230, 220, 150));
            for (int wy = h / 2 - bh + 8; wy < h / 2 - 12; wy += 18) {
                for (int wx = x + 6; wx < x + bw - 10; wx += 16) {
                    if (rnd.nextBoolean()) g.fillRect(wx, wy, 8, 10);
                }
            }
        }
        g.setColor(new Color(200, 200, 200));
        g.setStroke(new java.awt.BasicStroke(Math.max(2, w / 320f)));
        g.drawLine(0, h * 3 / 4, w, h * 5 / 8);
        for (int i = 0; i < 6; i++) {
            g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
            int x = rnd.nextInt(w - w / 8);
            int y = h / 2 + rnd.nextInt(h / 3);
            g.fillRoundRect(x, y, w / 10, h / 12, 20, 20);
        }
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.MONOSPACED, Font.BOLD, Math.max(12, h / 30)));
        g.drawString("CAM-" + seed + " 2026-12-02 07:00:00", w / 40, h / 20);
        g.dispose();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < px.length; i++) {
            int n = (int) Math.round(rnd.nextGaussian() * 4);
            int r = clamp(((px[i] >> 16) & 255) + n);
            int gg = clamp(((px[i] >> 8) & 255) + n);
            int b = clamp((px[i] & 255) + n);
            px[i] = (r << 16) | (gg << 8) | b;
        }
        img.setRGB(0, 0, w, h, px, 0, w);
        try (ByteArrayOutputStream out = new ByteArrayOutputStream();
                MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), param);
            writer.dispose();
            ios.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
