package io.vitstream.stream.messaging;

import io.vitstream.stream.pipeline.Frame;
import io.vitstream.stream.pipeline.FrameProcessor;
import io.vitstream.stream.pipeline.OutputRecord;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * At-least-once micro-batching: frames from any number of poll batches and partitions are
 * grouped into batches of at most {@code size} frames, closed after {@code maxWait} from the
 * first frame; one thread runs the model on each batch in turn, hands the records to the
 * publisher, and acknowledges each frame when all its records are acknowledged.
 *
 * <p>The queue is bounded, so a slow model pauses consumption instead of buffering without
 * limit. On shutdown the batch in flight is finished and published; frames still queued are
 * not acknowledged, so they are consumed again after a restart.
 */
final class Batcher implements Runnable {

    private static final Logger LOG = Logger.getLogger(Batcher.class);

    /** A queued frame and the poll batch it belongs to. */
    record Pending(Frame frame, AckTracker tracker) {}

    private final BlockingQueue<Pending> queue;
    private final int size;
    private final long maxWaitNanos;
    /** The batch's work: the model pass and its records ({@code FrameProcessor}, then analytics). */
    private final Function<List<Frame>, List<OutputRecord>> processor;
    private final Function<List<OutputRecord>, CompletableFuture<List<OutputRecord>>> publish;
    private final java.util.function.Consumer<List<OutputRecord>> onPublished;
    private volatile boolean running = true;
    private final List<CompletableFuture<?>> inFlight = new ArrayList<>();

    Batcher(int size, Duration maxWait, int queuedBatches, Function<List<Frame>, List<OutputRecord>> processor,
            Function<List<OutputRecord>, CompletableFuture<List<OutputRecord>>> publish, java.util.function.Consumer<List<OutputRecord>> onPublished) {
        this.size = size;
        this.maxWaitNanos = maxWait.toNanos();
        this.queue = new ArrayBlockingQueue<>(size * Math.max(1, queuedBatches));
        this.processor = processor;
        this.publish = publish;
        this.onPublished = onPublished;
    }

    /** Queues a frame, blocking while the queue is full (back-pressure on consumption). */
    void put(Pending p) throws InterruptedException {
        queue.put(p);
    }

    @Override
    public void run() {
        while (running) {
            try {
                List<Pending> batch = next();
                if (!batch.isEmpty()) {
                    process(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Up to {@code size} frames: waits for the first, then at most {@code maxWait} for the rest. */
    private List<Pending> next() throws InterruptedException {
        List<Pending> batch = new ArrayList<>(size);
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < size) {
            long left = deadline - System.nanoTime();
            Pending p = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (p == null) {
                break;
            }
            batch.add(p);
        }
        return batch;
    }

    private void process(List<Pending> batch) {
        List<Frame> frames = new ArrayList<>(batch.size());
        Map<Frame, AckTracker> trackers = new IdentityHashMap<>();
        batch.forEach(p -> {
            frames.add(p.frame());
            trackers.put(p.frame(), p.tracker());
        });
        List<OutputRecord> records;
        try {
            records = processor.apply(frames);
        } catch (RuntimeException e) {
            LOG.errorf(e, "the model failed on a batch of %d frames; they will be consumed again", frames.size());
            trackers.values().forEach(t -> t.fail(e));
            return;
        }
        CompletableFuture<List<OutputRecord>> sent = publish.apply(records).whenComplete((published, err) -> {
            if (err != null) {
                LOG.errorf(err, "publishing the results of %d frames failed; they will be consumed again", frames.size());
                trackers.values().forEach(t -> t.fail(err));
            } else {
                onPublished.accept(published);
                frames.forEach(f -> trackers.get(f).done());
            }
        });
        synchronized (inFlight) {
            inFlight.removeIf(CompletableFuture::isDone);
            inFlight.add(sent);
        }
    }

    /**
     * Stops taking frames, lets the batch in flight finish and waits for its records to be
     * acknowledged.
     */
    void stop(Thread worker, Duration timeout) throws InterruptedException {
        running = false;
        worker.join(timeout.toMillis());
        List<CompletableFuture<?>> pending;
        synchronized (inFlight) {
            pending = new ArrayList<>(inFlight);
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warnf("results still unacknowledged at shutdown (%s); their frames will be consumed again", e.toString());
        }
    }
}
