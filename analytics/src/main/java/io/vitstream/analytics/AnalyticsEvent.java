package io.vitstream.analytics;

import java.util.Map;

/**
 * Something that happened on one frame of one camera.
 *
 * @param type {@code line-cross}, {@code zone-enter}, {@code zone-exit} or {@code dwell}
 * @param trackId the confirmed track's id
 * @param label the track's class (majority of its detections so far, score-weighted)
 * @param labelId its class index
 * @param line the line's name for {@code line-cross}, else null
 * @param zone the zone's name for zone events and dwell, else null
 * @param direction {@code in} or {@code out} for {@code line-cross}, else null
 * @param dwellMs time in the zone for {@code dwell} (and {@code zone-exit}), else null
 * @param counts the running counts of that line or zone after this event, per class:
 *     for a line {@code {label: {"in": n, "out": m}}}, for a zone {@code {label: {"enter": n, "exit": m, "dwell": k}}}
 */
public record AnalyticsEvent(String type, long trackId, String label, int labelId, String line, String zone,
        String direction, Long dwellMs, Map<String, Map<String, Long>> counts) {

    public static final String LINE_CROSS = "line-cross";
    public static final String ZONE_ENTER = "zone-enter";
    public static final String ZONE_EXIT = "zone-exit";
    public static final String DWELL = "dwell";
}
