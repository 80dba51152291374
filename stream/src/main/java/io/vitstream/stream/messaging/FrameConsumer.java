package io.vitstream.stream.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.kafka.OutputTopics;
import io.vitstream.stream.model.ModelService;
import io.vitstream.stream.pipeline.Frame;
import io.vitstream.stream.pipeline.OutputRecord;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
    private static final Duration MODEL_RETRY_PAUSE = Duration.ofSeconds(1);
    private static final long FIRST_TX_PAUSE_MS = 200;
    private static final long MAX_TX_PAUSE_MS = 30_000;

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

    @Inject
    KafkaClientService kafkaClients;

    @Inject
    OutputTopics topics;

    @Inject
    MeterRegistry registry;

    private boolean exactlyOnce;
    private Batcher batcher;
    private Thread batcherThread;
    private ExecutorService inference;
    private InFlightBytes inFlight;
    /** Transactions aborted in a row (exactly-once); a commit resets it. */
    private final AtomicInteger failedTransactions = new AtomicInteger();
    private volatile String lastTransactionFailure;
    /** {@link System#nanoTime()} when the open transaction began; 0 when none is open. */
    private volatile long transactionSince;
    /** Frames (topic/partition@offset) whose dead letter was refused as too large in an aborted transaction. */
    private final Set<String> refusedDeadLetters = ConcurrentHashMap.newKeySet();

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
        inFlight = new InFlightBytes(config.delivery().maxBytesInFlight());
        Gauge.builder("vitstream.in.flight.bytes", inFlight, InFlightBytes::used)
                .description("bytes of consumed frames whose results Kafka has not acknowledged yet (at-least-once)")
                .register(registry);
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

    /**
     * Hands the frames to the batcher; blocks a worker (not the event loop) while the bytes in
     * flight are at their bound or the batcher's queue is full, which stops consumption.
     */
    private Uni<Void> enqueue(KafkaRecordBatch<String, byte[]> batch, List<Frame> frames) {
        long bytes = frames.stream().mapToLong(f -> f.bytes().length).sum();
        AtomicBoolean held = new AtomicBoolean();
        AckTracker tracker = new AckTracker(batch, frames.size(), () -> {
            if (held.getAndSet(false)) {
                inFlight.release(bytes);
            }
        });
        Batcher b = batcher();
        return Uni.createFrom().<Void>item(() -> {
            try {
                inFlight.acquire(bytes);
                held.set(true);
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

    /**
     * One poll batch: process off the event loop, then publish it with its offsets in one
     * transaction.
     *
     * <p>When the transaction aborts, the connector rewinds the consumer to the last commit and
     * the batch comes back. If the dead-letter topic refused a dead letter as too large, the
     * retry sends the batch's dead letters without the frames' bytes (which one was refused is
     * not reported), so one oversized bad frame cannot abort the same transaction forever. When the model itself fails, the consumer is rewound
     * too (after a pause), so the frames are retried rather than skipped by the next commit.
     *
     * <p>{@code withTransaction} is used rather than {@code withTransactionAndAck}: in SmallRye
     * Reactive Messaging 4.33 the latter acknowledges the batch after an abort as well (its
     * recovery from the abort feeds the acknowledging step), which would count aborted records
     * as published.
     */
    private Uni<Void> transactional(KafkaRecordBatch<String, byte[]> batch, List<Frame> frames) {
        return Uni.createFrom().item(() -> service.processor().process(frames)).runSubscriptionOn(inference)
                .onFailure().call(e -> rewind(frames.size(), e))
                .map(this::withoutRefusedPayloads)
                .chain(records -> transactions.withTransaction(batch, tx -> {
                    transactionSince = System.nanoTime();
                    records.forEach(r -> tx.send(Publisher.message(r)));
                    return Uni.createFrom().voidItem();
                }).eventually(() -> transactionSince = 0)
                        .invoke(() -> committed(records))
                        .onFailure().invoke(e -> aborted(records, e))
                        .onFailure().call(this::afterAbort)
                        .call(() -> Uni.createFrom().completionStage(batch.ack())))
                .onFailure().recoverWithNull();
    }

    private void committed(List<OutputRecord> records) {
        if (failedTransactions.getAndSet(0) > 0) {
            LOG.info("transaction committed after aborted ones");
        }
        published.record(records);
        if (!refusedDeadLetters.isEmpty()) {
            records.forEach(r -> refusedDeadLetters.remove(r.source().position()));
        }
    }

    private void aborted(List<OutputRecord> records, Throwable e) {
        int n = failedTransactions.incrementAndGet();
        lastTransactionFailure = e.toString();
        if (n == config.delivery().maxFailedTransactions()) {
            LOG.errorf("%d transactions in a row aborted (vitstream.delivery.max-failed-transactions): liveness is DOWN;"
                    + " last failure: %s", n, e);
        }
        if (Publisher.tooLarge(e)) {
            records.stream().filter(OutputRecord::carriesFrame)
                    .forEach(r -> refusedDeadLetters.add(r.source().position()));
            LOG.warnf("a record was refused as too large (abort %d in a row); the topics' limits are read again and the %d"
                    + " records sent again fitted to them, dead letters without the frames' bytes", n, records.size());
        } else {
            LOG.errorf(e, "transaction of %d records aborted (%d in a row); consuming again from the last commit after %d ms",
                    records.size(), n, pauseMs(n));
        }
    }

    /** The pause after the {@code n}-th abort in a row: 200 ms doubling, at most 30 s. */
    static long pauseMs(int n) {
        return Math.min(MAX_TX_PAUSE_MS, FIRST_TX_PAUSE_MS << Math.min(Math.max(n - 1, 0), 20));
    }

    /**
     * Pauses, so an abort that repeats (missing topic, ACLs, fencing) does not spin; after a
     * record refused as too large, first reads the topics' limits again, so the retry fits its
     * records to them (a result over its topic's limit becomes a {@code result-too-large} dead
     * letter) instead of failing the same way.
     */
    private Uni<Void> afterAbort(Throwable e) {
        Uni<Void> refresh = Publisher.tooLarge(e)
                ? Uni.createFrom().item(() -> {
                    topics.refresh();
                    return (Void) null;
                }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                : Uni.createFrom().voidItem();
        return refresh.onItem().delayIt().by(Duration.ofMillis(pauseMs(failedTransactions.get())));
    }

    /** Transactions aborted in a row (0 in at-least-once mode). */
    public int failedTransactions() {
        return failedTransactions.get();
    }

    /** The last abort's cause, or null. */
    public String lastTransactionFailure() {
        return lastTransactionFailure;
    }

    /** How long the open transaction has been open; zero when none is. */
    public Duration openTransaction() {
        long since = transactionSince;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /** After a model failure: back to the last committed offsets, after a pause that keeps a persistent fault from spinning. */
    private Uni<Void> rewind(int frames, Throwable e) {
        LOG.errorf(e, "the model failed on %d frames; consuming again from the last commit in %d ms", frames,
                MODEL_RETRY_PAUSE.toMillis());
        return Uni.createFrom().voidItem().onItem().delayIt().by(MODEL_RETRY_PAUSE)
                .chain(() -> kafkaClients.<String, byte[]>getConsumer("frames").resetToLastCommittedPositions());
    }

    private List<OutputRecord> withoutRefusedPayloads(List<OutputRecord> records) {
        if (refusedDeadLetters.isEmpty()) {
            return records;
        }
        return records.stream().map(r -> r.carriesFrame() && refusedDeadLetters.contains(r.source().position())
                ? r.withoutPayload() : r).toList();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        Batcher b;
        synchronized (this) {
            b = batcher;
        }
        if (b != null) {
            b.stop(batcherThread, Duration.ofSeconds(20));
        }
        // Exactly-once: let the pass in flight finish (its transaction then commits or aborts)
        // before the model is closed after this observer.
        inference.shutdown();
        if (!inference.awaitTermination(20, java.util.concurrent.TimeUnit.SECONDS)) {
            LOG.warn("a model pass is still running after 20 s of shutdown");
        }
    }
}
