package io.vitstream.stream.kafka;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;
import io.vitstream.stream.config.VitstreamConfig;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the embedded broker before the messaging channels connect (SmallRye Reactive
 * Messaging wires them in a start-up observer of priority 1000; this one runs first), but only
 * when no {@code kafka.bootstrap.servers} is configured, and stops it after the connector has
 * closed its clients. Creates the frames and dead-letter topics with several partitions so work
 * spreads over consumers.
 */
@ApplicationScoped
public class EmbeddedKafkaLifecycle {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaLifecycle.class);
    private static volatile EmbeddedKafka broker;
    /** Room above {@code vitstream.limits.max-bytes} in the embedded broker's record size limit. */
    static final long MESSAGE_MARGIN_BYTES = 1L << 20;

    /** The embedded broker's address, or {@code null} when none runs. */
    static String bootstrapServers() {
        EmbeddedKafka b = broker;
        return b == null ? null : b.bootstrapServers();
    }

    /** Whether this process runs the embedded broker. */
    public static boolean running() {
        return broker != null;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, Config config,
            VitstreamConfig vitstream) {
        ConfigValue configured = config.unwrap(SmallRyeConfig.class).getConfigValue(EmbeddedKafkaConfigSource.KEY);
        if (configured.getValue() != null) {
            LOG.infof("Kafka at %s (from %s): no embedded broker", configured.getValue(), configured.getSourceName());
            return;
        }
        VitstreamConfig.Embedded e = vitstream.kafka().embedded();
        if (!e.enabled()) {
            throw new IllegalStateException("no kafka.bootstrap.servers is set and vitstream.kafka.embedded.enabled is false:"
                    + " set KAFKA_BOOTSTRAP_SERVERS or turn the embedded broker on");
        }
        start(e, vitstream.topics(), vitstream.limits());
    }

    private static synchronized void start(VitstreamConfig.Embedded e, VitstreamConfig.Topics topics, VitstreamConfig.Limits limits) {
        if (broker != null) {
            return;
        }
        long t0 = System.nanoTime();
        EmbeddedKafka b = EmbeddedKafka.builder().setDataDir(e.dataDir()).optPort(e.port())
                .optPartitions(topics.partitions()).optWipe(e.wipe())
                .optBrokerProperty("message.max.bytes", String.valueOf(messageMaxBytes(limits)))
                .build().start();
        Map<String, Integer> create = new LinkedHashMap<>();
        create.put(topics.frames(), topics.partitions());
        create.put(topics.deadLetter(), topics.partitions());
        // The heads' topics are created with the others' check (OutputTopics), once the model names them.
        b.createTopics(create);
        broker = b;
        LOG.infof("embedded Kafka broker at %s (data in %s) started in %d ms; topics %s", b.bootstrapServers(),
                e.dataDir().toAbsolutePath(), (System.nanoTime() - t0) / 1_000_000, create.keySet());
    }

    /**
     * The embedded broker's record size limit: Kafka's 1 MiB default would refuse at the producer
     * frames the service accepts (up to {@code vitstream.limits.max-bytes}). A margin above that
     * limit lets a frame slightly too large reach the service and be dead-lettered with the
     * reason {@code too-large} instead of failing at the camera's producer.
     */
    static long messageMaxBytes(VitstreamConfig.Limits limits) {
        return Math.min(Integer.MAX_VALUE, limits.maxBytes() + MESSAGE_MARGIN_BYTES);
    }

    static synchronized void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) @Destroyed(ApplicationScoped.class) Object event) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
