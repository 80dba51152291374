package io.vitstream.stream;


import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a separate process, so
 * tests can kill it without warning and start it again.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:/]+:(\\d+)");

    private final Process process;
    private final Path log;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the jar with {@code -Dkey=value} settings; its output goes to {@code log}. */
    public static ServiceProcess start(Map<String, String> settings, Path log) throws IOException {
        return start(settings, log, Set.of());
    }

    /** As {@link #start(Map, Path)}, without the environment variables {@code unset}. */
    public static ServiceProcess start(Map<String, String> settings, Path log, Set<String> unset) throws IOException {
        Path jar = moduleDir().resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw package first");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dai.djl.pytorch.num_threads=1");
        cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("OPT_OUT_TRACKING", "true");
        unset.forEach(pb.environment()::remove);
        return new ServiceProcess(pb.start(), log);
    }

    /**
     * The settings of one test scenario on a broker: topics {@code <name>-frames},
     * {@code -classifications}, {@code -detections}, {@code -dlq}, {@code -events},
     * {@code -analytics-state} and {@code -camera-config}, consumer group {@code name},
     * the given transactional id, the test model, batches of 4, an HTTP port of its own.
     */
    public static Map<String, String> scenario(String bootstrap, String name, String mode, String transactionalId) {
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", bootstrap);
        settings.put("vitstream.model.path", "target/it-model");
        settings.put("vitstream.delivery.mode", mode);
        settings.put("vitstream.topics.frames", name + "-frames");
        settings.put("vitstream.topics.dead-letter", name + "-dlq");
        settings.put("vitstream.topics.heads.classification", name + "-classifications");
        settings.put("vitstream.topics.heads.detection", name + "-detections");
        settings.put("vitstream.topics.events", name + "-events");
        settings.put("vitstream.topics.analytics-state", name + "-analytics-state");
        settings.put("vitstream.topics.camera-config", name + "-camera-config");
        settings.put("vitstream.batch.size", "4");
        settings.put("mp.messaging.incoming.frames.group.id", name);
        settings.put("mp.messaging.outgoing.results-tx.transactional.id", transactionalId);
        settings.put("quarkus.http.port", "0");
        return settings;
    }

    /** A scenario's topics, 3 partitions each, for {@code createTopics}. */
    public static Map<String, Integer> scenarioTopics(String name) {
        return Map.of(name + "-frames", 3, name + "-classifications", 3, name + "-detections", 3, name + "-dlq", 3);
    }

    /** {@code target/<name>-service.log}, emptied. */
    public static Path freshLog(String name) throws IOException {
        Path log = Path.of("target/" + name + "-service.log");
        Files.deleteIfExists(log);
        return log;
    }

    /** GET {@code uri}. */
    public static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code uri} until it answers {@code wanted} or {@code timeout} passes; the last response. */
    public static HttpResponse<String> awaitStatus(URI uri, int wanted, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> r = get(uri);
        while (r.statusCode() != wanted && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = get(uri);
        }
        return r;
    }

    /** The stream module's folder, whether run from it (surefire) or from the repository root (exec:java). */
    public static Path moduleDir() {
        return Files.isDirectory(Path.of("stream/src")) ? Path.of("stream") : Path.of(".");
    }

    /** Waits until the log says the service started, or fails with the log's tail. */
    public void awaitStarted(long seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            // Quarkus's start-up line ("... started in 2.1s. Listening on: http://..."); the
            // embedded broker's own "started in" line comes earlier.
            if (LISTENING.matcher(Files.readString(log)).find()) {
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("service did not start; log tail:\n" + tail());
    }

    /** The HTTP port the service listens on, from the last start-up line of its log. */
    public int httpPort() throws IOException {
        Matcher m = LISTENING.matcher(Files.readString(log));
        int port = -1;
        while (m.find()) {
            port = Integer.parseInt(m.group(1));
        }
        if (port < 0) {
            throw new IllegalStateException("no 'Listening on' line in " + log);
        }
        return port;
    }

    /** An address of the service's HTTP server, e.g. {@code uri("/q/health/live")}. */
    public URI uri(String path) throws IOException {
        return URI.create("http://127.0.0.1:" + httpPort() + path);
    }

    /** The last lines of the log. */
    public String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** kill -9: no shutdown hooks, no final commit. */
    public void crash() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** A normal stop (SIGTERM): the service finishes its batch and commits. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.exitValue();
    }

    /** Waits for the process to end by itself; its exit code, or -1 if it still runs after {@code seconds}. */
    public int awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** The operating-system process id. */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

}
