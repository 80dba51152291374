package io.vitstream.stream.messaging;

import org.jboss.logging.Logger;

/**
 * At-least-once: the bytes of consumed frames held until Kafka acknowledged their results. A
 * poll batch's frames stay in memory (and with them the batch) until every result is
 * acknowledged; when the output broker is slow or away, that is where memory would grow.
 * {@link #acquire} blocks the consuming thread while the bound is reached, which stops polling
 * (the connector pauses its partitions once its own small queue is full) until acknowledgements
 * {@link #release} bytes again.
 *
 * <p>One batch larger than the whole bound is let through when nothing else is in flight, so a
 * bound below a single poll batch slows the stream down but never stops it.
 */
final class InFlightBytes {

    private static final Logger LOG = Logger.getLogger(InFlightBytes.class);

    /** A pause shorter than this is the bound pacing a backlog, not worth a log line. */
    private static final long QUIET_PAUSE_MS = 1000;

    private final long max;
    private long used;

    InFlightBytes(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("vitstream.delivery.max-bytes-in-flight must be >= 1, got " + max);
        }
        this.max = max;
    }

    /** Waits until {@code bytes} more fit under the bound (or nothing is in flight), then takes them. */
    synchronized void acquire(long bytes) throws InterruptedException {
        long start = System.nanoTime();
        boolean logged = false;
        while (used > 0 && used + bytes > max) {
            wait(QUIET_PAUSE_MS);
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (!logged && ms >= QUIET_PAUSE_MS && used > 0 && used + bytes > max) {
                logged = true;
                LOG.warnf("consumption paused: %d bytes of frames wait for Kafka to acknowledge their results"
                        + " (vitstream.delivery.max-bytes-in-flight %d)", used, max);
            }
        }
        if (logged) {
            LOG.infof("consumption resumed after %d ms: results acknowledged", (System.nanoTime() - start) / 1_000_000);
        }
        used += bytes;
    }

    /** Gives back bytes taken by {@link #acquire}. */
    synchronized void release(long bytes) {
        used = Math.max(0, used - bytes);
        notifyAll();
    }

    /** Bytes in flight now. */
    synchronized long used() {
        return used;
    }

    /** The bound. */
    long max() {
        return max;
    }
}
