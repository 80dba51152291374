package io.vitstream.stream.pipeline;

import java.time.Duration;

/**
 * How a failing model pass is tried again before its batch fails.
 *
 * @param attempts tries of one pass ({@code vitstream.model.attempts}); also how many failures in
 *        a row turn {@code /q/health/live} DOWN
 * @param pause between tries ({@code vitstream.model.retry-pause})
 */
public record Retries(int attempts, Duration pause) {

    /** Three tries, 500 ms apart. */
    public static final Retries DEFAULT = new Retries(3, Duration.ofMillis(500));

    public Retries {
        if (attempts < 1) {
            throw new IllegalArgumentException("vitstream.model.attempts must be >= 1, got " + attempts);
        }
        if (pause.isNegative()) {
            throw new IllegalArgumentException("vitstream.model.retry-pause must not be negative, got " + pause);
        }
    }
}
