package io.vitstream.stream.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vitstream.heads.Head;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.kafka.ClientProps;
import io.vitstream.stream.model.ModelService;
import io.vitstream.stream.pipeline.OutputRecord;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Analytics in the service: picks the detection head to track, builds the {@link AnalyticsStage}
 * at start, reads the cameras' checkpoints at start and after every rebalance (the frames
 * channel's rebalance listener calls it: {@link AnalyticsRebalance}), and counts events. With analytics off, or a model without a
 * detection head, records pass through unchanged.
 */
@ApplicationScoped
public class AnalyticsService {

    private static final Logger LOG = Logger.getLogger(AnalyticsService.class);
    private static final String DETR = "detr";

    @Inject
    VitstreamConfig config;

    @Inject
    ModelService service;

    @Inject
    CameraConfigs cameras;

    @Inject
    Config mp;

    @Inject
    MeterRegistry registry;

    private volatile AnalyticsStage stage;

    /** After the model is loaded (10) and the camera configurations are read (30), before the channels connect. */
    void onStart(@Observes @Priority(40) StartupEvent event) {
        if (!config.analytics().enabled()) {
            LOG.info("analytics off (vitstream.analytics.enabled=false)");
            return;
        }
        service.load();
        Optional<String> head = trackedHead(service.model().heads());
        if (head.isEmpty()) {
            LOG.infof("analytics off: the model has no detection head (heads %s)", service.model().heads().keySet());
            return;
        }
        double duplicateIou = config.analytics().duplicateIou();
        if (!(duplicateIou > 0 && duplicateIou <= 1)) {
            throw new IllegalArgumentException("vitstream.analytics.duplicate-iou must be in (0, 1] (1: off), got " + duplicateIou);
        }
        stage = new AnalyticsStage(head.get(), AnalyticsSetup.settings(config.analytics()), duplicateIou, cameras::current,
                this::readCheckpoints,
                config.topics().events(), config.topics().analyticsState());
        Gauge.builder("vitstream.analytics.cameras", stage, s -> s.views().size())
                .description("cameras with analytics state in this instance").register(registry);
        LOG.infof("analytics on head '%s': events to '%s', state checkpoints to '%s', camera configurations from '%s'",
                head.get(), config.topics().events(), config.topics().analyticsState(), config.topics().cameraConfig());
    }

    /**
     * {@code vitstream.analytics.head} when set (it must name a detection head), else the
     * model's first detection head.
     */
    Optional<String> trackedHead(Map<String, Head> heads) {
        Optional<String> wanted = config.analytics().head();
        if (wanted.isPresent()) {
            Head h = heads.get(wanted.get());
            if (h == null || !DETR.equals(h.type())) {
                throw new IllegalArgumentException("vitstream.analytics.head: '" + wanted.get() + "' is not a detection head of"
                        + " the model; its heads: " + heads.keySet() + " (types " + heads.values().stream().map(Head::type).toList() + ")");
            }
            return wanted;
        }
        return heads.entrySet().stream().filter(e -> DETR.equals(e.getValue().type())).map(Map.Entry::getKey).findFirst();
    }

    /** The stage in use; empty when analytics is off. */
    public Optional<AnalyticsStage> stage() {
        return Optional.ofNullable(stage);
    }

    /** The batch's records with track ids, events and checkpoints (pending until {@link #commit()} or {@link #rollback()}). */
    public List<OutputRecord> apply(List<OutputRecord> records) {
        AnalyticsStage s = stage;
        return s == null ? records : s.apply(records);
    }

    /** The batch's records are published: its analytics state is committed and its events counted. */
    public void commit() {
        AnalyticsStage s = stage;
        if (s != null) {
            s.commit().forEach((type, n) -> Counter.builder("vitstream.analytics.events").description("events published")
                    .tag("type", type).register(registry).increment(n));
        }
    }

    /** The batch's records were not published; its frames come again. */
    public void rollback() {
        AnalyticsStage s = stage;
        if (s != null) {
            s.rollback();
        }
    }

    /** Partitions were assigned: the checkpoints are read again before the next batch. */
    void reassigned() {
        AnalyticsStage s = stage;
        if (s != null) {
            s.reassigned();
        }
    }

    /** Every camera's latest checkpoint on the state topic; an unreadable one is skipped with a warning (that camera starts afresh). */
    private Map<String, Checkpoint> readCheckpoints() {
        Map<String, Checkpoint> out = new HashMap<>();
        String topic = config.topics().analyticsState();
        try {
            StateReader.readAll(ClientProps.of(mp, "mp.messaging.outgoing.results", ConsumerConfig.configNames()), topic,
                    Duration.ofSeconds(60), (r, tp) -> {
                        if (r.key() == null) {
                            return;
                        }
                        if (r.value() == null) {
                            out.remove(r.key());
                            return;
                        }
                        try {
                            out.put(r.key(), Checkpoint.fromBytes(r.key(), r.value()));
                        } catch (IllegalArgumentException e) {
                            LOG.warnf("checkpoint of camera '%s' at %s-%d@%d unreadable (%s): that camera starts afresh", r.key(),
                                    r.topic(), r.partition(), r.offset(), e.getMessage());
                            out.remove(r.key());
                        }
                    });
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read the analytics checkpoints from topic '" + topic + "': " + e, e);
        }
        return out;
    }
}
