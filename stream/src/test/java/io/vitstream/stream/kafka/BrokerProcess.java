package io.vitstream.stream.kafka;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A single-node KRaft broker in a JVM of its own ({@code kafka.Kafka server.properties}, the
 * test's own class path), so a test can take the broker away from a running service: stop it
 * with SIGTERM or kill -9 and start it again on the same ports and the same folder.
 *
 * <p>The settings are the embedded broker's ({@link BrokerSettings}) and the folder is formatted
 * the same way ({@link KafkaStorage}), so this is the broker the service would run in-process,
 * only outside it. Both ports are picked once, before formatting: the controller port is part of
 * the static voter line, and clients must find the restarted broker where they left it.
 *
 * <p>The broker logs at INFO to {@code dataDir/broker.log}. Its class path is the test JVM's
 * without Quarkus's bootstrap runner: that jar's log configurator holds every record until
 * Quarkus configures logging, which never happens in a plain {@code kafka.Kafka} JVM, so the
 * broker would log nothing, not even the error it exits with.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final long START_SECONDS = 90;
    private static final long STOP_SECONDS = 60;

    private static final String LOGGING = String.join("\n", "logger.level=INFO", "logger.handlers=CONSOLE",
            "handler.CONSOLE=org.jboss.logmanager.handlers.ConsoleHandler", "handler.CONSOLE.formatter=PATTERN",
            "formatter.PATTERN=org.jboss.logmanager.formatters.PatternFormatter", "formatter.PATTERN.properties=pattern",
            "formatter.PATTERN.pattern=%d{HH:mm:ss,SSS} %-5p [%c] %s%e%n", "");

    private final Path logDir;
    private final Path properties;
    private final Path arguments;
    private final Path log;
    private final int port;
    private Process process;

    private BrokerProcess(Path dataDir, int partitions) throws IOException {
        Path dir = dataDir.toAbsolutePath();
        this.logDir = dir.resolve("kraft");
        this.properties = dir.resolve("server.properties");
        this.arguments = dir.resolve("java-arguments");
        this.log = dir.resolve("broker.log");
        Files.createDirectories(dir);
        this.port = FreePorts.pick(BrokerSettings.HOST);
        int controllerPort = FreePorts.pick(BrokerSettings.HOST);
        KafkaStorage.prepare(logDir, true);
        write(BrokerSettings.of(port, controllerPort, logDir, partitions, Map.of()));
        Path logging = dir.resolve("logging.properties");
        Files.writeString(logging, LOGGING);
        // An argument file: the class path is longer than some systems take on a command line.
        Files.writeString(arguments, String.join("\n", "-Xmx512m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dlogging.configuration=" + logging.toUri(),
                "-cp", "\"" + brokerClassPath() + "\"", "kafka.Kafka", "\"" + properties + "\"", ""));
        Files.deleteIfExists(log);
    }

    /**
     * Wipes and formats {@code dataDir/kraft}, writes {@code dataDir/server.properties}; does not
     * start the broker.
     *
     * @param partitions partitions of topics created on first use
     */
    public static BrokerProcess create(Path dataDir, int partitions) throws IOException {
        return new BrokerProcess(dataDir, partitions);
    }

    /**
     * Starts the broker JVM (its output appended to {@code dataDir/broker.log}) and waits until it
     * answers a cluster description, at most 90 s: after a kill -9 the restarted broker first
     * waits out its old registration (about 10 s).
     */
    public synchronized BrokerProcess start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("broker on " + bootstrapServers() + " is already running (pid " + process.pid() + ")");
        }
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + arguments);
        Files.writeString(log, "--- start\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("broker exited with " + process.exitValue() + "; log tail:\n" + tail());
            }
            if (answers()) {
                return this;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("broker on " + bootstrapServers() + " not up within " + START_SECONDS
                + " s; log tail:\n" + tail());
    }

    private boolean answers() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * SIGTERM, so Kafka's shutdown hook closes the logs cleanly; kill -9 if it has not exited
     * within 60 s.
     *
     * @return the exit code
     */
    public synchronized int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** kill -9: no shutdown hook, unflushed segments are recovered at the next start. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * SIGSTOP: the broker keeps its sockets open but answers nothing, as a broker in a long
     * pause or behind a network partition that drops packets does; {@link #resume} lets it go on.
     */
    public synchronized void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public synchronized void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int code = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (code != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + code);
        }
    }

    /** {@code 127.0.0.1:port}, the same across restarts. */
    public String bootstrapServers() {
        return BrokerSettings.HOST + ":" + port;
    }

    /** See {@link EmbeddedKafka#createTopics(Map)}. */
    public void createTopics(Map<String, Integer> topicPartitions) {
        KafkaTopics.create(bootstrapServers(), topicPartitions);
    }

    /** The last 40 lines of the broker's output. */
    public String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    /**
     * The test JVM's class path, with the entries of a manifest-only jar (as surefire and failsafe
     * start forks) listed one by one, less Quarkus's bootstrap runner (see the class comment).
     */
    private static String brokerClassPath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(entry);
            if (entry.endsWith(".jar")) {
                entries.addAll(manifestClassPath(Path.of(entry)));
            }
        }
        return entries.stream().filter(e -> !Path.of(e).getFileName().toString().contains("quarkus-bootstrap-runner"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static List<String> manifestClassPath(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null || classPath.isBlank()) {
                return List.of();
            }
            URI base = jar.toAbsolutePath().getParent().toUri();
            List<String> out = new ArrayList<>();
            for (String url : classPath.trim().split("\\s+")) {
                out.add(Path.of(base.resolve(url)).toString());
            }
            return out;
        }
    }

    private void write(Map<String, String> settings) {
        Properties p = new Properties();
        p.putAll(settings);
        try (Writer w = Files.newBufferedWriter(properties)) {
            p.store(w, "single-node KRaft broker for " + logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + properties, e);
        }
    }
}
