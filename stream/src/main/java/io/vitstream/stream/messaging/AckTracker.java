package io.vitstream.stream.messaging;

import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Acknowledges a consumed poll batch once every one of its frames has all its outputs
 * acknowledged by Kafka. Frames of one poll batch may land in different micro-batches; the
 * connector commits an offset only when everything before it is acknowledged too.
 */
final class AckTracker {

    private final Message<?> message;
    private final AtomicInteger remaining;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Runnable onFinish;

    /** @param onFinish runs once, when the batch is acknowledged or negatively acknowledged */
    AckTracker(Message<?> message, int frames, Runnable onFinish) {
        this.message = message;
        this.remaining = new AtomicInteger(frames);
        this.onFinish = onFinish;
        if (frames == 0) {
            finish();
            message.ack();
        }
    }

    /** One frame is fully published. */
    void done() {
        if (remaining.decrementAndGet() == 0 && !failed.get()) {
            finish();
            message.ack();
        }
    }

    /** A frame could not be published: the whole poll batch is negatively acknowledged once. */
    void fail(Throwable cause) {
        if (failed.compareAndSet(false, true)) {
            finish();
            message.nack(cause);
        }
    }

    private void finish() {
        if (finished.compareAndSet(false, true)) {
            onFinish.run();
        }
    }
}
