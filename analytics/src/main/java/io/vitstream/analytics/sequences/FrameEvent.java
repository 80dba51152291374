package io.vitstream.analytics.sequences;

import io.vitstream.analytics.AnalyticsEvent;

/**
 * An event on a numbered frame of a sequence, from the ground truth ({@link TruthEvents}) or from
 * {@link io.vitstream.analytics.CameraAnalytics} (then {@code id} is the track's id), in the form
 * event metrics compare.
 *
 * @param frame frame number from 0
 * @param type one of {@link AnalyticsEvent}'s types
 * @param id the item's id (truth) or the track's id (tracker)
 * @param label the item's or track's class name
 * @param line the line's name for line crossings, else null
 * @param zone the zone's name for zone events and dwell, else null
 * @param direction {@code in} or {@code out} for line crossings, else null
 * @param dwellMs time in the zone for dwell and zone exits, else null
 */
public record FrameEvent(int frame, String type, long id, String label, String line, String zone, String direction, Long dwellMs) {

    /** A tracker's event on a frame (its running counts left out). */
    public static FrameEvent of(int frame, AnalyticsEvent e) {
        return new FrameEvent(frame, e.type(), e.trackId(), e.label(), e.line(), e.zone(), e.direction(), e.dwellMs());
    }
}
