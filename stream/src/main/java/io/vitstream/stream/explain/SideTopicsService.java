package io.vitstream.stream.explain;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.stream.analytics.AnalyticsService;
import io.vitstream.stream.analytics.AnalyticsStage;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.kafka.OutputTopics;
import io.vitstream.stream.model.ModelService;
import io.vitstream.stream.pipeline.OutputRecord;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import java.util.List;
import java.util.Locale;

/**
 * The {@link SideTopics} stage in the service: built at start when {@code vitstream.explain.every}
 * is above 0 or {@code vitstream.topics.annotated} is set; otherwise records pass through
 * unchanged. Side records dropped for their size are counted as
 * {@code vitstream.records.dropped{kind, topic, reason=too-large}}.
 */
@ApplicationScoped
public class SideTopicsService {

    private static final Logger LOG = Logger.getLogger(SideTopicsService.class);

    @Inject
    VitstreamConfig config;

    @Inject
    ModelService service;

    @Inject
    AnalyticsService analytics;

    @Inject
    OutputTopics topics;

    @Inject
    MeterRegistry registry;

    private volatile SideTopics stage;

    /** After the model (10), the topics (20) and analytics (40), before the channels connect. */
    void onStart(@Observes @Priority(45) StartupEvent event) {
        SideTopics.Settings s = new SideTopics.Settings(config.explain().every(), config.topics().explanations(),
                config.topics().annotated(), config.limits().maxCameras());
        if (!s.on()) {
            return;
        }
        service.load();
        Explainer explainer = new Explainer(service.model(), service.preprocessor());
        java.util.Optional<String> unexplainable = explainer.unavailable();
        if (s.every() > 0 && unexplainable.isPresent()) {
            throw new IllegalArgumentException("vitstream.explain.every=" + s.every() + " needs attention maps, but "
                    + unexplainable.get() + "; set vitstream.explain.every=0 for this model");
        }
        stage = new SideTopics(s, explainer, service.preprocessor().decoder(),
                this::cameraConfig, topics.limits(), service.modelRef().digest(), this::dropped);
        if (s.every() > 0) {
            LOG.infof("attention maps of every %d-th frame of each camera to '%s' (vitstream.explain.every)", s.every(),
                    s.explanations());
        }
        s.annotated().ifPresent(t -> LOG.infof("annotated frames to '%s' (vitstream.topics.annotated)", t));
    }

    /** {@code records} and their frames' side records; {@code records} itself when the side topics are off. */
    public List<OutputRecord> apply(List<OutputRecord> records) {
        SideTopics s = stage;
        return s == null ? records : s.apply(records);
    }

    /** A camera's lines and zones as analytics holds them (none when analytics is off). */
    private CameraConfig cameraConfig(String camera) {
        return analytics.stage().flatMap(a -> a.view(camera)).map(AnalyticsStage.View::config).orElse(CameraConfig.EMPTY);
    }

    private void dropped(OutputRecord r) {
        registry.counter("vitstream.records.dropped", "kind", r.kind().name().toLowerCase(Locale.ROOT), "topic", r.topic(),
                "reason", "too-large").increment();
    }
}
