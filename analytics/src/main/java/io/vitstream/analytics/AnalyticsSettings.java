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

    public static final AnalyticsSettings DEFAULT =
            new AnalyticsSettings(TrackerSettings.DEFAULT, Duration.ofSeconds(10), Anchor.BOTTOM_CENTER, 1.0);
}
