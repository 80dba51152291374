package io.vitstream.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service ({@code stream/target/quarkus-app}) started as the CPU image starts it:
 * the image's ENTRYPOINT and environment, with what only exists inside the image's file system
 * left out; plus the Kafka round trip and the memory readings the deploy checks need.
 */
final class PackagedService {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PackagedService() {}

    /** The final stage's environment, minus what only makes sense inside the image's file system. */
    static Map<String, String> imageEnv(Dockerfile image) {
        Map<String, String> env = new LinkedHashMap<>(image.env());
        for (String containerPath : List.of("ENGINE_CACHE_DIR", "DJL_CACHE_DIR", "PYTORCH_LIBRARY_PATH",
                "VITSTREAM_KAFKA_EMBEDDED_DATA_DIR", "OPENCV_JAVA_LIBRARY")) {
            assertTrue(env.remove(containerPath) != null, image.path().getFileName() + " no longer sets " + containerPath);
        }
        // The image listens on every interface of its own network namespace; here, loopback only.
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", "0");
        return env;
    }

    /** Starts the jar with the image's ENTRYPOINT (this JDK's java) and {@code env}, output to {@code log}. */
    static Process start(Dockerfile image, Map<String, String> env, Path workdir, Path log) throws IOException {
        Files.createDirectories(workdir);
        List<String> cmd = new ArrayList<>(image.last("ENTRYPOINT").get(0).args());
        cmd.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.set(cmd.size() - 1, Repo.QUARKUS_APP.resolve("quarkus-run.jar").toString());
        cmd.replaceAll(a -> a.equals("-Djna.tmpdir=/tmp") ? "-Djna.tmpdir=" + System.getProperty("java.io.tmpdir") : a);
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workdir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    static void awaitStarted(Process p, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
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
        throw new AssertionError("the service did not start; log:\n" + tail(log));
    }

    /** The HTTP port the service logged ("Listening on: http://127.0.0.1:PORT"). */
    static int httpPort(Path log) throws IOException {
        Matcher m = Pattern.compile("Listening on: http://[^:]+:(\\d+)").matcher(Files.readString(log));
        if (!m.find()) {
            throw new AssertionError("no HTTP port in the log:\n" + tail(log));
        }
        return Integer.parseInt(m.group(1));
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Sends frames to {@code frames}, key to bytes. */
    static void send(String bootstrap, Map<String, byte[]> frames) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 20 << 20);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            frames.forEach((key, bytes) -> producer.send(new ProducerRecord<>("frames", key, bytes)));
            producer.flush();
        }
    }

    /** The results for {@code keys} from {@code classifications}; fails on a dead letter for one of them. */
    static Map<String, JsonNode> receive(String bootstrap, Set<String> keys, Process p, Path log) throws IOException {
        return receive(bootstrap, "classifications", keys, p, log);
    }

    /** The results for {@code keys} from {@code topic}; fails on a dead letter for one of them. */
    static Map<String, JsonNode> receive(String bootstrap, String topic, Set<String> keys, Process p, Path log)
            throws IOException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "deploy-check-" + System.nanoTime());
        Map<String, JsonNode> out = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic, "frames-dlq"));
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
    static long peakRss(long pid) throws IOException {
        return status(pid, "VmHWM");
    }

    /** {@code VmRSS} of /proc: resident memory now. */
    static long rss(long pid) throws IOException {
        return status(pid, "VmRSS");
    }

    private static long status(long pid, String field) throws IOException {
        Matcher m = Pattern.compile(field + ":\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
        assertTrue(m.find(), "no " + field + " in /proc/" + pid + "/status");
        return Long.parseLong(m.group(1)) << 10;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
