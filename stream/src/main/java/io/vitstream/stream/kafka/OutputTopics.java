package io.vitstream.stream.kafka;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.model.ModelService;
import io.vitstream.stream.pipeline.TopicLimits;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The topics the service writes (one per head, the dead-letter topic, analytics' and the side
 * topics when on) and reads, checked
 * against the broker at start, before the channels connect: a missing topic is created when
 * {@code vitstream.topics.create-missing} allows it, otherwise start-up stops and names it (a
 * missing output topic would otherwise abort every exactly-once transaction, or block every send
 * for a minute). Each output topic's {@code max.message.bytes} goes into {@link #limits()}, so no
 * result or dead letter is ever sent that its topic must refuse; after a refusal anyway (a limit
 * lowered while running) the limits are read again.
 */
@ApplicationScoped
public class OutputTopics {

    private static final Logger LOG = Logger.getLogger(OutputTopics.class);
    private static final long TIMEOUT_SECONDS = 30;
    private static final String IN = "mp.messaging.incoming.frames";
    private static final String OUT = "mp.messaging.outgoing.results";

    @Inject
    VitstreamConfig config;

    @Inject
    org.eclipse.microprofile.config.Config mp;

    @Inject
    ModelService service;

    private TopicLimits limits;

    @PostConstruct
    void init() {
        limits = new TopicLimits(clientLimit());
    }

    /** The limits in use; before the first read, the producer's {@code max.request.size} alone. */
    public TopicLimits limits() {
        return limits;
    }

    /** The producers' {@code max.request.size}: both channels are set to the same value. */
    private long clientLimit() {
        return mp.getOptionalValue("mp.messaging.outgoing.results.max.request.size", Long.class)
                .orElse(config.limits().maxBytes());
    }

    private ScheduledExecutorService refresher;

    /**
     * After the model (priority 10) names the heads' topics, before the channels connect (1000);
     * then the limits are read again every {@code vitstream.topics.limits-refresh}, so a limit
     * raised while running lets results through again.
     */
    void onStart(@Observes @Priority(20) StartupEvent event) {
        check();
        long every = config.topics().limitsRefresh().toMillis();
        if (every <= 0) {
            throw new IllegalArgumentException("vitstream.topics.limits-refresh must be positive, got "
                    + config.topics().limitsRefresh());
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vitstream-topic-limits");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** Checks (and creates where allowed) every topic, then reads the output topics' limits. */
    synchronized void check() {
        Set<String> outputs = outputTopics();
        if (bootstrapServers(IN).equals(bootstrapServers(OUT))) {
            Set<String> all = new LinkedHashSet<>(outputs);
            all.addAll(inputTopics());
            ensure(OUT, all, outputs);
        } else {
            ensure(IN, inputTopics(), Set.of());
            ensure(OUT, outputs, outputs);
        }
    }

    /** Makes sure {@code topics} exist on one cluster and reads the limits of {@code outputs} there. */
    private void ensure(String channel, Set<String> topics, Set<String> outputs) {
        String bootstrap = bootstrapServers(channel);
        try (Admin admin = admin(channel)) {
            List<String> missing = missing(admin, topics, bootstrap);
            if (!missing.isEmpty()) {
                if (!config.topics().createMissing()) {
                    throw new IllegalStateException("topics " + missing + " do not exist on " + bootstrap
                            + " and vitstream.topics.create-missing is false: create them, or allow the service to");
                }
                create(admin, missing, bootstrap);
            }
            if (!outputs.isEmpty()) {
                read(admin, outputs, bootstrap);
            }
        }
    }

    /**
     * Reads the output topics' {@code max.message.bytes} again (after a record was refused as too
     * large). Blocks for a broker round trip: call it off the event loop. A failure is logged and
     * leaves the last limits in place.
     */
    public synchronized void refresh() {
        String bootstrap = bootstrapServers(OUT);
        try (Admin admin = admin(OUT)) {
            read(admin, outputTopics(), bootstrap);
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the output topics' max.message.bytes again: %s", e.toString());
        }
    }

    private Set<String> outputTopics() {
        Set<String> topics = new LinkedHashSet<>(service.headTopics().values());
        topics.add(config.topics().deadLetter());
        if (config.analytics().enabled()) {
            topics.add(config.topics().events());
            topics.add(config.topics().analyticsState());
        }
        if (config.explain().every() > 0) {
            topics.add(config.topics().explanations());
        }
        config.topics().annotated().ifPresent(topics::add);
        return topics;
    }

    /** The frames, and the cameras' lines and zones when analytics is on (read from the frames' cluster). */
    private Set<String> inputTopics() {
        Set<String> topics = new LinkedHashSet<>();
        topics.add(config.topics().frames());
        if (config.analytics().enabled()) {
            topics.add(config.topics().cameraConfig());
        }
        return topics;
    }

    /** Topics read from the beginning by key: compacted, so only the latest value per camera stays. */
    private Set<String> compacted() {
        return config.analytics().enabled() ? Set.of(config.topics().analyticsState(), config.topics().cameraConfig()) : Set.of();
    }

    private List<String> missing(Admin admin, Set<String> topics, String bootstrap) {
        List<String> missing = new ArrayList<>();
        admin.describeTopics(topics).topicNameValues().forEach((topic, future) -> {
            try {
                await(future, "describe topic '" + topic + "'", bootstrap);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                missing.add(topic);
            }
        });
        return missing;
    }

    private void create(Admin admin, List<String> topics, String bootstrap) {
        int partitions = config.topics().partitions();
        Map<String, Integer> create = new LinkedHashMap<>();
        topics.forEach(t -> create.put(t, partitions));
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        topics.stream().filter(compacted()::contains)
                .forEach(t -> configs.put(t, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        KafkaTopics.create(admin, create, configs);
        LOG.infof("created topics %s on %s with %d partitions (vitstream.topics.create-missing)", topics, bootstrap, partitions);
    }

    private void read(Admin admin, Set<String> topics, String bootstrap) {
        TopicLimits l = limits;
        Map<ConfigResource, Config> configs = describe(admin, topics, bootstrap);
        Map<String, Long> read = new LinkedHashMap<>();
        configs.forEach((resource, c) -> {
            ConfigEntry e = c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (e != null && e.value() != null) {
                long bytes = Long.parseLong(e.value());
                if (!l.known(resource.name()) || l.limit(resource.name()) != Math.min(bytes, clientLimit())) {
                    read.put(resource.name(), bytes);
                }
                l.set(resource.name(), bytes);
            }
        });
        if (!read.isEmpty()) {
            LOG.infof("output topics' max.message.bytes: %s (records over them are dead-lettered as result-too-large,"
                    + " dead letters go without the frame's bytes)", read);
        }
    }

    /**
     * The topics' configs. A topic created a moment ago may not be known yet to the broker that
     * answers (its metadata is still propagating: seen as {@code UnknownTopicOrPartitionException}
     * right after {@code createTopics} on a busy machine), so that answer is retried for up to
     * {@link #TIMEOUT_SECONDS}; the topics were checked to exist, or created, before this.
     */
    private Map<ConfigResource, Config> describe(Admin admin, Set<String> topics, String bootstrap) {
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                return await(admin.describeConfigs(resources).all(), "read the configs of topics " + topics, bootstrap);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** An Admin client with the channel's client settings: {@code kafka.*}, then the channel's own. */
    private Admin admin(String channel) {
        Map<String, Object> props = ClientProps.of(mp, channel, AdminClientConfig.configNames());
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        return Admin.create(props);
    }

    private String bootstrapServers(String channel) {
        return ClientProps.bootstrapServers(mp, channel);
    }

    private <T> T await(KafkaFuture<T> future, String what, String bootstrap) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + " on " + bootstrap + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": Kafka at " + bootstrap + " did not answer within "
                    + TIMEOUT_SECONDS + " s", e);
        }
    }
}
