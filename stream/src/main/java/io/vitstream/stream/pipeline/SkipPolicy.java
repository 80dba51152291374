package io.vitstream.stream.pipeline;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which frames are deliberately not processed: frames older than a maximum age (a camera or
 * consumer fell behind and stale frames are worthless), and all but every {@code stride}-th
 * frame of each camera (to cap the work per camera). Skipped frames still get a record, so
 * downstream consumers see every frame's fate.
 */
public final class SkipPolicy {

    private final int stride;
    private final Optional<Duration> maxAge;
    private final RecentlySeen<String, AtomicLong> seen;

    /** With room for 10,000 cameras. */
    public SkipPolicy(int stride, Optional<Duration> maxAge) {
        this(stride, maxAge, 10_000);
    }

    /**
     * @param stride keep one frame in {@code stride} per camera (1 keeps all)
     * @param maxAge skip frames whose capture time is older than this, if set
     * @param maxCameras cameras whose frame count is kept; a forgotten camera starts again at a
     *     kept frame when it comes back
     */
    public SkipPolicy(int stride, Optional<Duration> maxAge, int maxCameras) {
        this.seen = new RecentlySeen<>(maxCameras);
        if (stride < 1) {
            throw new IllegalArgumentException("vitstream.skip.stride must be >= 1, got " + stride);
        }
        this.stride = stride;
        this.maxAge = maxAge;
    }

    /**
     * Decides for one frame (call once per frame, in consumption order).
     *
     * @return the skip reason ({@code stale} or {@code stride}), or empty to process it
     */
    /** Cameras whose count is kept now (at most the bound). */
    public int cameras() {
        return seen.size();
    }

    public Optional<String> check(Frame frame, long nowMs) {
        if (maxAge.isPresent() && nowMs - frame.captureTimeMs() > maxAge.get().toMillis()) {
            return Optional.of("stale");
        }
        if (stride > 1) {
            long n = seen.computeIfAbsent(frame.camera(), c -> new AtomicLong()).getAndIncrement();
            if (n % stride != 0) {
                return Optional.of("stride");
            }
        }
        return Optional.empty();
    }
}
