package io.vitstream.stream.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import io.vitstream.stream.analytics.AnalyticsService;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.explain.SideTopicsService;
import io.vitstream.stream.kafka.OutputTopics;
import io.vitstream.stream.model.ForStream;
import io.vitstream.stream.pipeline.FrameProcessor;
import io.vitstream.stream.pipeline.Causes;
import io.vitstream.stream.pipeline.Frame;
import io.vitstream.stream.pipeline.OutputRecord;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exactly-once: each poll batch (at most {@code vitstream.batch.size} records) is one
 * micro-batch and one Kafka transaction holding its results, skip notices, dead letters,
 * analytics events and state checkpoints, and the consumer offsets (an abort puts the analytics
 * state back to the last commit); a {@code read_committed} consumer sees each frame's records once, even
 * across crashes. A failed transaction is aborted and the consumer rewinds to the last commit,
 * after a pause that grows with the aborts in a row ({@link #failedTransactions()}, reported by
 * the {@code vitstream-transactions} liveness check).
 */
@ApplicationScoped
public class ExactlyOnceDelivery implements Delivery {

    private static final Logger LOG = Logger.getLogger(ExactlyOnceDelivery.class);
    private static final long FIRST_TX_PAUSE_MS = 200;
    private static final long MAX_TX_PAUSE_MS = 30_000;

    @Inject
    VitstreamConfig config;

    @Inject
    @ForStream
    FrameProcessor processor;

    @Inject
    Published published;

    @Inject
    AnalyticsService analytics;

    @Inject
    SideTopicsService sideTopics;

    @Inject
    @Channel("results-tx")
    KafkaTransactions<byte[]> transactions;

    @Inject
    KafkaClientService kafkaClients;

    @Inject
    OutputTopics topics;

    private ExecutorService inference;
    /** Transactions aborted in a row (exactly-once); a commit resets it. */
    private final AtomicInteger failedTransactions = new AtomicInteger();
    private volatile String lastTransactionFailure;
    private volatile boolean stopping;
    private volatile boolean fenced;
    /** {@link System#nanoTime()} when the open transaction began; 0 when none is open. */
    private volatile long transactionSince;

    @PostConstruct
    void init() {
        inference = Executors.newSingleThreadExecutor(r -> new Thread(r, "vitstream-inference"));
    }

    /**
     * One poll batch: process off the event loop, then publish it with its offsets in one
     * transaction.
     *
     * <p>When the transaction aborts, the connector rewinds the consumer to the last commit and
     * the batch comes back. If a topic refused a record as too large (its limit lowered since it
     * was read), the topics' limits are read again before the retry, which fits the records to
     * them ({@code OutputFactory}), so one oversized record cannot abort the same transaction for
     * ever. When the model itself fails, the consumer is rewound too (after a pause), so the
     * frames are retried rather than skipped by the next commit.
     *
     * <p>{@code withTransaction} is used rather than {@code withTransactionAndAck}: in SmallRye
     * Reactive Messaging 4.33 the latter acknowledges the batch after an abort as well (its
     * recovery from the abort feeds the acknowledging step), which would count aborted records
     * as published.
     */
    @Override
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch, List<Frame> frames) {
        if (stopping) {
            // Shutting down: neither processed nor committed, so the partition's next owner (or
            // this service after its restart) takes these frames from the last commit.
            LOG.debugf("shutting down: %d frames left for the next consumer", frames.size());
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().item(() -> sideTopics.apply(analytics.apply(processor.process(frames)))).runSubscriptionOn(inference)
                .onFailure().call(e -> rewind(frames.size(), e))
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
        analytics.commit();
        fenced = false;
        if (failedTransactions.getAndSet(0) > 0) {
            LOG.info("transaction committed after aborted ones");
        }
        published.record(records);
    }

    private void aborted(List<OutputRecord> records, Throwable e) {
        analytics.rollback();
        int n = failedTransactions.incrementAndGet();
        lastTransactionFailure = e.toString();
        if (!fenced && fenced(e)) {
            fenced = true;
            LOG.errorf("the transactional producer is fenced (%s): no later transaction of this process can commit, so"
                    + " liveness is DOWN now and a restart (a new producer) is needed. After a broker outage longer than the"
                    + " transaction timeout the broker aborts the open transaction and fences its producer; another instance"
                    + " with the same transactional id does the same", e);
        }
        if (n == config.delivery().maxFailedTransactions()) {
            LOG.errorf("%d transactions in a row aborted (vitstream.delivery.max-failed-transactions): liveness is DOWN;"
                    + " last failure: %s", n, e);
        }
        if (Publisher.tooLarge(e)) {
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

    /**
     * Whether a failure is the producer being fenced (a newer producer epoch for the same
     * transactional id, or the broker aborting a timed-out transaction): fatal for this producer.
     */
    static boolean fenced(Throwable t) {
        return Causes.any(t, x -> x instanceof ProducerFencedException || x instanceof InvalidProducerEpochException);
    }

    /** Whether the producer was fenced: nothing will commit until a restart. */
    public boolean isFenced() {
        return fenced;
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
        Duration pause = config.model().retryPause();
        LOG.errorf(e, "the model failed on %d frames; consuming again from the last commit in %d ms", frames, pause.toMillis());
        return Uni.createFrom().voidItem().onItem().delayIt().by(pause)
                .chain(() -> kafkaClients.<String, byte[]>getConsumer("frames").resetToLastCommittedPositions());
    }

    /** Lets the pass in flight finish (its transaction then commits or aborts) before the model is closed. */
    @Override
    public void stop() throws InterruptedException {
        stopping = true;
        inference.shutdown();
        if (!inference.awaitTermination(20, java.util.concurrent.TimeUnit.SECONDS)) {
            LOG.warn("a model pass is still running after 20 s of shutdown");
        }
    }
}
