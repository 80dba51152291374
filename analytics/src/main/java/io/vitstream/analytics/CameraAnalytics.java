package io.vitstream.analytics;

import java.util.List;
import java.util.Map;

/**
 * Tracking, lines, zones and dwell for one camera, frame by frame. Not thread-safe: one
 * camera's frames are handed over in order by one thread.
 *
 * <p>Events: a confirmed track whose anchor point moves across a line gives {@code line-cross}
 * (a crossing between a track's birth and its confirmation is reported on confirmation); a
 * confirmed track whose anchor is inside a zone and was not before (or is first confirmed
 * inside) gives {@code zone-enter}; leaving it, or the track ending while inside, gives
 * {@code zone-exit}; staying inside continuously for {@link AnalyticsSettings#dwell()} gives
 * one {@code dwell} per visit. Time is the frames' capture time.
 *
 * <p>State: {@link #snapshot()} is a JSON text holding everything (tracks with their filters,
 * the next id, counts, zone memberships); {@link #restore} continues exactly as the original
 * would, so track ids continue across a restart.
 */
public final class CameraAnalytics {

    /**
     * What one frame gave.
     *
     * @param trackIds per input observation, in order: the id of the confirmed track it belongs to, or 0 (none / tentative)
     * @param events the frame's events, in a deterministic order
     */
    public record Outcome(long[] trackIds, List<AnalyticsEvent> events) {}

    public CameraAnalytics(CameraConfig config, AnalyticsSettings settings) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Continues from a {@link #snapshot()} (lines and zones come from {@code config}, counts of names no longer configured are dropped). */
    public static CameraAnalytics restore(CameraConfig config, AnalyticsSettings settings, String snapshot) {
        throw new UnsupportedOperationException("TODO");
    }

    /** One frame's detections, in the frame's order of arrival. */
    public Outcome update(List<Observation> detections, long captureTimeMs) {
        throw new UnsupportedOperationException("TODO");
    }

    /** New lines and zones at run time: tracks and counts of names kept stay; new ones start at 0. */
    public void reconfigure(CameraConfig config) {
        throw new UnsupportedOperationException("TODO");
    }

    public CameraConfig config() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Running counts: {"lines": {name: {label: {"in": n, "out": m}}}, "zones": {name: {label: {"enter", "exit", "dwell", "inside"}}}}. */
    public Map<String, Map<String, Map<String, Map<String, Long>>>> counts() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Confirmed tracks now (for views): id, label, current box. */
    public record TrackView(long id, String label, double x1, double y1, double x2, double y2, int misses) {}

    public List<TrackView> tracks() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The whole state as JSON. */
    public String snapshot() {
        throw new UnsupportedOperationException("TODO");
    }
}
