package io.vitstream.stream.analytics;

import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.Anchor;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.TrackerSettings;
import io.vitstream.stream.config.VitstreamConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** The analytics settings of {@code vitstream.analytics.*}, checked; each error names its setting. */
final class AnalyticsSetup {

    static final String PREFIX = "vitstream.analytics.";

    private AnalyticsSetup() {}

    /** What every camera shares; unset tracker values take {@link TrackerSettings#DEFAULT}'s. */
    static AnalyticsSettings settings(VitstreamConfig.Analytics a) {
        TrackerSettings d = TrackerSettings.DEFAULT;
        VitstreamConfig.Analytics.Tracker t = a.tracker();
        TrackerSettings tracker;
        try {
            tracker = new TrackerSettings(t.highScore().orElse(d.highScore()), t.lowScore().orElse(d.lowScore()),
                    t.newTrackScore().orElse(d.newTrackScore()), t.matchIou().orElse(d.matchIou()),
                    t.lowMatchIou().orElse(d.lowMatchIou()), t.minHits().orElse(d.minHits()), t.maxMisses().orElse(d.maxMisses()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + "tracker.*: " + e.getMessage(), e);
        }
        if (a.dwell().isNegative() || a.dwell().isZero()) {
            throw new IllegalArgumentException(PREFIX + "dwell must be positive, got " + a.dwell());
        }
        if (!(a.lineTolerance() >= 0) || Double.isInfinite(a.lineTolerance())) {
            throw new IllegalArgumentException(PREFIX + "line-tolerance must be a finite number >= 0, got " + a.lineTolerance());
        }
        return new AnalyticsSettings(tracker, a.dwell(), Anchor.parse(PREFIX + "anchor", a.anchor()), a.lineTolerance());
    }

    /**
     * The lines and zones of {@code vitstream.analytics.cameras.<camera>.*}.
     *
     * @throws IllegalArgumentException naming the first malformed setting
     */
    static Map<String, CameraConfig> cameras(VitstreamConfig.Analytics a) {
        Map<String, CameraConfig> out = new LinkedHashMap<>();
        a.cameras().forEach((camera, c) -> {
            Map<String, String> settings = new LinkedHashMap<>();
            c.lines().forEach((name, v) -> settings.put("lines." + name, v));
            c.zones().forEach((name, v) -> settings.put("zones." + name, v));
            out.put(camera, CameraConfig.fromSettings(PREFIX + "cameras." + camera + ".", settings));
        });
        return out;
    }
}
