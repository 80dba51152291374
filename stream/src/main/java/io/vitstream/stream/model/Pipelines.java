package io.vitstream.stream.model;

import io.micrometer.core.instrument.MeterRegistry;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.kafka.OutputTopics;
import io.vitstream.stream.pipeline.FrameProcessor;
import io.vitstream.stream.pipeline.ModelPass;
import io.vitstream.stream.pipeline.OutputFactory;
import io.vitstream.stream.pipeline.Retries;
import io.vitstream.stream.pipeline.SkipPolicy;
import io.vitstream.stream.pipeline.StreamMetrics;
import io.vitstream.stream.pipeline.TopicLimits;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * CDI producers of the frame pipelines around the loaded model: the stream's
 * ({@link ForStream}) and {@code POST /v1/infer}'s ({@link ForRest}), each with its own
 * {@link FrameProcessor}, {@link OutputFactory} and meters. Built once, on first injection (the
 * model is loaded at start-up before anything injects them).
 */
@ApplicationScoped
public class Pipelines {

    @Inject
    ModelService service;

    @Inject
    VitstreamConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    OutputTopics topics;

    /**
     * Fault injection for the failure-path tests of the packaged service (not a user setting;
     * {@link InjectedFailures}).
     */
    @ConfigProperty(name = InjectedFailures.SETTING, defaultValue = "0")
    int injectedFailures;

    @Produces
    @Singleton
    @ForStream
    StreamMetrics streamMetrics() {
        return new StreamMetrics(registry, StreamMetrics.KAFKA);
    }

    @Produces
    @Singleton
    @ForRest
    StreamMetrics restMetrics() {
        return new StreamMetrics(registry, StreamMetrics.HTTP);
    }

    /** Results on the heads' topics, fitted to the topics' limits. */
    @Produces
    @Singleton
    @ForStream
    OutputFactory streamOutputs() {
        return outputs(topics.limits());
    }

    /** {@code POST /v1/infer} answers in its response, not on a topic: no topic's limit applies. */
    @Produces
    @Singleton
    @ForRest
    OutputFactory restOutputs() {
        return outputs(new TopicLimits(Long.MAX_VALUE));
    }

    private OutputFactory outputs(TopicLimits limits) {
        service.load();
        long deadLetterMax = config.limits().deadLetterMaxBytes();
        if (deadLetterMax < 0) {
            throw new IllegalArgumentException("vitstream.limits.dead-letter-max-bytes must be >= 0, got " + deadLetterMax);
        }
        // A frame over max-bytes never fits the producer's max.request.size, so it never goes along.
        return new OutputFactory(service.headTopics(), config.topics().deadLetter(),
                Math.min(deadLetterMax, config.limits().maxBytes()), service.modelRef(), limits);
    }

    /** The stream's: the cameras' skip policy, its own failure count (liveness). */
    @Produces
    @Singleton
    @ForStream
    FrameProcessor streamProcessor(@ForStream OutputFactory outputs, @ForStream StreamMetrics metrics) {
        service.load();
        ModelPass pass = service.model()::infer;
        return new FrameProcessor(InjectedFailures.wrap(pass.bySize(), injectedFailures), service.preprocessor(), outputs,
                new SkipPolicy(config.skip().stride(), config.skip().maxAge(), config.limits().maxCameras()),
                service.decodePool(), metrics, retries(), config.limits().maxKeyBytes());
    }

    /**
     * {@code POST /v1/infer}'s: callers never go through the cameras' skip policy, and REST
     * failures never count towards (or reset) the stream's liveness.
     */
    @Produces
    @Singleton
    @ForRest
    FrameProcessor restProcessor(@ForRest OutputFactory outputs, @ForRest StreamMetrics metrics) {
        service.load();
        ModelPass pass = service.model()::infer;
        return new FrameProcessor(pass.bySize(), service.preprocessor(), outputs, new SkipPolicy(1, Optional.empty(), 1),
                service.decodePool(), metrics, retries(), config.limits().maxKeyBytes());
    }

    private Retries retries() {
        return new Retries(config.model().attempts(), config.model().retryPause());
    }
}
