package io.vitstream.stream.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vitstream.stream.analytics.AnalyticsService;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.explain.SideTopicsService;
import io.vitstream.stream.model.ForStream;
import io.vitstream.stream.pipeline.FrameProcessor;
import io.vitstream.stream.pipeline.Frame;
import io.vitstream.stream.pipeline.OutputRecord;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;

/**
 * At-least-once (the default): frames go to the {@link Batcher}, which forms micro-batches
 * across polls and partitions; a poll batch is acknowledged (and its offsets committed by the
 * connector's throttled strategy, in order) only after every record its frames produced is
 * acknowledged. After a crash, frames whose results were not acknowledged are processed again.
 * The bytes of frames waiting for acknowledgements are bounded ({@link InFlightBytes}).
 *
 * <p>The {@code Batcher} is hand-written rather than Mutiny's
 * {@code group().intoLists().of(size, maxWait)}: it must block the consuming thread when its
 * queue or the bytes in flight are full (which is what pauses the Kafka consumer), and stop
 * cleanly at shutdown with the batch in flight finished; a Mutiny grouping downstream of the
 * connector would buffer on its own terms instead.
 */
@ApplicationScoped
class AtLeastOnceDelivery implements Delivery {

    @Inject
    VitstreamConfig config;

    @Inject
    @ForStream
    FrameProcessor processor;

    @Inject
    Publisher publisher;

    @Inject
    AnalyticsService analytics;

    @Inject
    SideTopicsService sideTopics;

    @Inject
    Published published;

    @Inject
    MeterRegistry registry;

    private Batcher batcher;
    private Thread batcherThread;
    private InFlightBytes inFlight;

    @PostConstruct
    void init() {
        inFlight = new InFlightBytes(config.delivery().maxBytesInFlight());
        Gauge.builder("vitstream.in.flight.bytes", inFlight, InFlightBytes::used)
                .description("bytes of consumed frames whose results Kafka has not acknowledged yet (at-least-once)")
                .register(registry);
    }

    private synchronized Batcher batcher() {
        if (batcher == null) {
            batcher = new Batcher(config.batch().size(), config.batch().maxWait(), config.batch().queued(),
                    this::process, records -> publisher.send(records).subscribeAsCompletionStage(), published::record);
            batcherThread = new Thread(batcher, "vitstream-batcher");
            batcherThread.start();
        }
        return batcher;
    }

    /**
     * The model pass, then analytics, whose state counts as committed at once: at-least-once has
     * no transaction to wait for (a restart repeats what was published after the last checkpoint
     * that reached Kafka; docs/reliability.md); then the side topics' records.
     */
    private List<OutputRecord> process(List<Frame> frames) {
        List<OutputRecord> records = sideTopics.apply(analytics.apply(processor.process(frames)));
        analytics.commit();
        return records;
    }

    /**
     * Hands the frames to the batcher; blocks a worker (not the event loop) while the bytes in
     * flight are at their bound or the batcher's queue is full, which stops consumption.
     */
    @Override
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch, List<Frame> frames) {
        long bytes = frames.stream().mapToLong(f -> f.bytes().length).sum();
        Batcher b = batcher();
        return Uni.createFrom().<Void>item(() -> {
            try {
                inFlight.acquire(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.nack(e);
                return null;
            }
            AckTracker tracker = new AckTracker(batch, frames.size(), () -> inFlight.release(bytes));
            try {
                for (Frame f : frames) {
                    b.put(new Batcher.Pending(f, tracker));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tracker.fail(e);
            }
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @Override
    public void stop() throws InterruptedException {
        Batcher b;
        Thread t;
        synchronized (this) {
            b = batcher;
            t = batcherThread;
        }
        if (b != null) {
            b.stop(t, Duration.ofSeconds(20));
        }
    }
}
