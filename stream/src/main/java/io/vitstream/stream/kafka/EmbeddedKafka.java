package io.vitstream.stream.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.utils.Time;
import org.jboss.logging.Logger;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process) running
 * inside this JVM, built from Kafka's own server classes.
 *
 * <p>It serves two cases: the service's default when no {@code kafka.bootstrap.servers} is
 * configured, so the first run works on a bare machine, and tests, which talk to a real broker
 * instead of mocks. It listens on 127.0.0.1 only and keeps its data in {@code dataDir/kraft}, so
 * a restart on the same folder sees the same topics, offsets and committed transactions. The
 * broker settings and why each is there are in {@link BrokerSettings}; how the folder is
 * formatted and reused is in {@link KafkaStorage}; why a broker failure does not kill the JVM is
 * in {@link BrokerExit}.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().setDataDir(Path.of("target/kafka")).build()) {
 *     kafka.start();
 *     kafka.createTopics(Map.of("frames", 3));
 *     String bootstrap = kafka.bootstrapServers(); // "127.0.0.1:40123"
 * }
 * }</pre>
 *
 * <p>One instance starts once. To restart on the same folder, close it and build a new one.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);

    private final Path dataDir;
    private final int requestedPort;
    private final int partitions;
    private final boolean wipe;
    private final Map<String, String> overrides;

    private KafkaRaftServer server;
    private int port;
    private String clusterId;
    private boolean used;

    private EmbeddedKafka(Builder builder) {
        this.dataDir = builder.dataDir;
        this.requestedPort = builder.port;
        this.partitions = builder.partitions;
        this.wipe = builder.wipe;
        this.overrides = Map.copyOf(builder.overrides);
    }

    /** Returns a builder; {@link Builder#setDataDir(Path)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Picks the ports, formats the folder if it is not formatted yet, and starts the broker.
     * Returns once the broker accepts clients (2-5 s cold, well under 1 s in a warm JVM).
     *
     * @return this broker
     * @throws IllegalStateException if this instance was started before, or the broker fails
     */
    public synchronized EmbeddedKafka start() {
        if (used) {
            throw new IllegalStateException("embedded Kafka on " + dataDir
                    + " was already started once; build a new instance to restart it");
        }
        used = true;
        long t0 = System.nanoTime();
        BrokerExit.install();
        // Both ports are chosen before the config is built and the folder formatted: the voter
        // line names the controller port and a client port of 0 cannot be advertised. With static
        // voters the folder does not record them, so each start may pick new ports.
        port = requestedPort == 0 ? FreePorts.pick(BrokerSettings.HOST) : requestedPort;
        int controllerPort = FreePorts.pick(BrokerSettings.HOST);
        Path logDir = dataDir.resolve("kraft");
        // Built before the folder is touched, so a bad override fails without side effects;
        // false: no dump of all ~400 broker settings to the log.
        KafkaConfig config = new KafkaConfig(
                BrokerSettings.of(port, controllerPort, logDir, partitions, overrides), false);
        clusterId = KafkaStorage.prepare(logDir, wipe);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            // Release the folder lock and the threads already started, keep the first error.
            try {
                stopServer();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("embedded Kafka on " + logDir + " failed to start", e);
        }
        LOG.infof("Embedded Kafka broker up at %s in %d ms (cluster %s, folder %s)",
                bootstrapServers(), (System.nanoTime() - t0) / 1_000_000, clusterId, logDir);
        return this;
    }

    /** The {@code bootstrap.servers} value for clients, such as {@code 127.0.0.1:40123}. */
    public synchronized String bootstrapServers() {
        requireRunning();
        return BrokerSettings.HOST + ":" + port;
    }

    /** The cluster id stored in the data folder; stable across restarts on that folder. */
    public synchronized String clusterId() {
        requireRunning();
        return clusterId;
    }

    private void requireRunning() {
        if (server == null) {
            throw new IllegalStateException("embedded Kafka on " + dataDir + " is not running");
        }
    }

    /** The folder this broker keeps its data in. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The fatal error Kafka reported in this JVM instead of halting it, if any: the broker is then
     * unusable. See {@link BrokerExit}.
     */
    public static Optional<IllegalStateException> failure() {
        return BrokerExit.failure();
    }

    /**
     * Creates the topics that do not exist yet. A topic that exists is left as it is, even when
     * its partition count differs (a warning says so): partitions can only grow, and growing them
     * would move keys to other partitions.
     *
     * @param topicPartitions topic name to partition count (replication factor is always 1)
     */
    public void createTopics(Map<String, Integer> topicPartitions) {
        KafkaTopics.create(bootstrapServers(), topicPartitions);
    }

    /** Shuts the broker down cleanly and waits for it; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        long t0 = System.nanoTime();
        stopServer();
        LOG.infof("Embedded Kafka broker on %s stopped in %d ms", dataDir,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private void stopServer() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
    }

    /**
     * Builds an {@link EmbeddedKafka}: {@code setX} for required values, {@code optX} for
     * optional ones.
     */
    public static final class Builder {

        private Path dataDir;
        private int port;
        private int partitions = 1;
        private boolean wipe;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /** Required: the folder for the broker's data; created if missing, reused if formatted. */
        public Builder setDataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** The client port on 127.0.0.1; 0 (the default) picks a free one at start. */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /** Partitions of topics the broker creates on first use (auto-creation); default 1. */
        public Builder optPartitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** Delete the folder's data before starting (default false: reuse it). */
        public Builder optWipe(boolean wipe) {
            this.wipe = wipe;
            return this;
        }

        /** Any other broker property, applied after the built-in settings. */
        public Builder optBrokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** Validates the values and builds the broker (not started). */
        public EmbeddedKafka build() {
            if (dataDir == null) {
                throw new IllegalArgumentException("dataDir is required");
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 (pick a free one) or 1-65535, got " + port);
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
            }
            return new EmbeddedKafka(this);
        }
    }
}
