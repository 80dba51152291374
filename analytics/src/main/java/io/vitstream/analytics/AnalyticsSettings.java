package io.vitstream.analytics;

import java.time.Duration;

/**
 * What every camera shares.
 *
 * @param tracker the tracker's settings
 * @param dwell how long a track must stay in a zone, continuously, for one {@code dwell} event per visit
 * @param anchor the point of a box that counts for lines and zones
 * @param lineTolerance pixels on either side of a line that count as on it (no side change there), against jitter
 */
public record AnalyticsSettings(TrackerSettings tracker, Duration dwell, Anchor anchor, double lineTolerance) {

    /** {@link TrackerSettings#DEFAULT}, a dwell of 10 s, the bottom-centre anchor, 1 pixel of tolerance. */
    public static final AnalyticsSettings DEFAULT =
            new AnalyticsSettings(TrackerSettings.DEFAULT, Duration.ofSeconds(10), Anchor.BOTTOM_CENTER, 1.0);

    /**
     * Checks that nothing is missing, the dwell is not negative and the tolerance is a finite
     * number of pixels, 0 or more.
     *
     * @throws IllegalArgumentException naming the setting
     */
    public AnalyticsSettings {
        if (tracker == null || dwell == null || anchor == null) {
            throw new IllegalArgumentException("analytics settings: tracker, dwell and anchor are required, got "
                    + tracker + ", " + dwell + ", " + anchor);
        }
        if (dwell.isNegative()) {
            throw new IllegalArgumentException("analytics settings: dwell must not be negative, got " + dwell);
        }
        if (!(lineTolerance >= 0 && Double.isFinite(lineTolerance))) {
            throw new IllegalArgumentException(
                    "analytics settings: lineTolerance must be a finite number of pixels >= 0, got " + lineTolerance);
        }
    }
}
