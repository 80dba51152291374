package io.vitstream.stream.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.model.ModelService;
import io.vitstream.stream.pipeline.Frame;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Consumes the {@code frames} channel in poll batches.
 *
 * <p>At-least-once (default): frames go to the {@link Batcher}, which forms micro-batches across
 * polls and partitions; a poll batch is acknowledged (and its offsets committed by the
 * connector's throttled strategy, in order) only after every record its frames produced is
 * acknowledged. After a crash, frames whose results were not acknowledged are processed again.
 *
 * <p>Exactly-once: each poll batch (at most {@code vitstream.batch.size} records) is one
 * micro-batch and one Kafka transaction holding its results, skip notices, dead letters and
 * consumer offsets; a {@code read_committed} consumer sees each frame's records once, even
 * across crashes. A failed transaction is aborted and the consumer rewinds to the last commit.
 */
@ApplicationScoped
public class FrameConsumer {

    private static final Logger LOG = Logger.getLogger(FrameConsumer.class);
    static final String AT_LEAST_ONCE = "at-least-once";
    static final String EXACTLY_ONCE = "exactly-once";

    @Inject
    VitstreamConfig config;

    @Inject
    ModelService service;

    @Inject
    Publisher publisher;

    @Inject
    Published published;

    @Inject
    @Channel("results-tx")
    KafkaTransactions<byte[]> transactions;

    private boolean exactlyOnce;
    private Batcher batcher;
    private Thread batcherThread;
    private ExecutorService inference;

    @PostConstruct
    void init() {
        String mode = config.delivery().mode();
        if (!AT_LEAST_ONCE.equals(mode) && !EXACTLY_ONCE.equals(mode)) {
            throw new IllegalArgumentException("vitstream.delivery.mode: unknown mode '" + mode + "'; use "
                    + AT_LEAST_ONCE + " or " + EXACTLY_ONCE);
        }
        exactlyOnce = EXACTLY_ONCE.equals(mode);
        if (config.batch().size() < 1) {
            throw new IllegalArgumentException("vitstream.batch.size must be >= 1, got " + config.batch().size());
        }
        inference = Executors.newSingleThreadExecutor(r -> new Thread(r, "vitstream-inference"));
        LOG.infof("delivery %s, batches of up to %d frames%s", mode, config.batch().size(),
                exactlyOnce ? " (one poll = one batch = one transaction)" : ", waiting at most " + config.batch().maxWait().toMillis() + " ms");
    }

    private synchronized Batcher batcher() {
        if (batcher == null) {
            batcher = new Batcher(config.batch().size(), config.batch().maxWait(), config.batch().queued(),
                    service.processor(), records -> publisher.send(records).subscribeAsCompletionStage(), published::record);
            batcherThread = new Thread(batcher, "vitstream-batcher");
            batcherThread.start();
        }
        return batcher;
    }

    @Incoming("frames")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        long now = System.nanoTime();
        List<Frame> frames = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, byte[]> r : batch.getRecords()) {
            frames.add(Frames.of(r, now));
        }
        return exactlyOnce ? transactional(batch, frames) : enqueue(batch, frames);
    }

    /** Hands the frames to the batcher; blocks a worker (not the event loop) while its queue is full. */
    private Uni<Void> enqueue(KafkaRecordBatch<String, byte[]> batch, List<Frame> frames) {
        AckTracker tracker = new AckTracker(batch, frames.size());
        Batcher b = batcher();
        return Uni.createFrom().<Void>item(() -> {
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

    /** One poll batch: process off the event loop, then publish it with its offsets in one transaction. */
    private Uni<Void> transactional(KafkaRecordBatch<String, byte[]> batch, List<Frame> frames) {
        return Uni.createFrom().item(() -> service.processor().process(frames)).runSubscriptionOn(inference)
                .chain(records -> transactions.withTransactionAndAck(batch, tx -> {
                    records.forEach(r -> tx.send(Publisher.message(r)));
                    return Uni.createFrom().voidItem();
                }).invoke(() -> published.record(records)))
                .onFailure().invoke(e -> LOG.errorf(e, "transaction for %d frames aborted; consuming again from the last commit",
                        frames.size()))
                .onFailure().recoverWithNull();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        Batcher b;
        synchronized (this) {
            b = batcher;
        }
        if (b != null) {
            b.stop(batcherThread, Duration.ofSeconds(20));
        }
        inference.shutdown();
    }
}
