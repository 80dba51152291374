package io.vitstream.analytics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * <p>The anchor is taken from the track's matched detection box as detected, not from the
 * filtered box: a crossing is counted where the object was seen, not where the filter (which
 * lags when an object turns) puts it, and a frame on which a track is not matched moves nothing
 * (a prediction alone never crosses a line or enters a zone). Jitter on a line is absorbed by
 * {@link AnalyticsSettings#lineTolerance()}: a point that close to a line keeps the side seen
 * before; a side change counts as a crossing when the path from the last point seen on the old
 * side meets the segment.
 *
 * <p>Times: a visit starts at the capture time of its {@code zone-enter} frame; {@code dwell} comes
 * on the first frame the track is seen inside at least {@code dwell} later, with {@code dwellMs}
 * the time since the enter; {@code zone-exit} carries {@code dwellMs} up to the first frame seen
 * outside, or, when the track ends inside, up to the last frame it was seen.
 *
 * <p>Events of a frame come in the order of track ids; per track lines, then zones, each in the
 * config's order. Labels and counts use the track's class at the time of the event.
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

    private final AnalyticsSettings settings;
    private final Tracker tracker;
    private final Counts counts;
    /** The memory of each confirmed track. */
    private final Map<Track, TrackPlaces> places;
    private CameraConfig config;
    private long frames;

    /**
     * Starts with no tracks and zero counts.
     *
     * @throws IllegalArgumentException when config or settings are null
     */
    public CameraAnalytics(CameraConfig config, AnalyticsSettings settings) {
        this(config, settings, new Tracker(settings == null ? null : settings.tracker()), new IdentityHashMap<>(), 0);
    }

    CameraAnalytics(CameraConfig config, AnalyticsSettings settings, Tracker tracker, Map<Track, TrackPlaces> places,
            long frames) {
        if (config == null || settings == null) {
            throw new IllegalArgumentException(
                    "camera analytics need a config and settings, got " + config + ", " + settings);
        }
        this.config = config;
        this.settings = settings;
        this.tracker = tracker;
        this.places = places;
        this.frames = frames;
        this.counts = new Counts(config);
    }

    /**
     * Continues from a {@link #snapshot()} (lines and zones come from {@code config}, counts of
     * names no longer configured are dropped): with the snapshot's own config and the same frames
     * after it, every outcome equals the original's. A different config is applied as by
     * {@link #reconfigure}.
     *
     * @throws IllegalArgumentException when {@code snapshot} is not a snapshot this code reads
     */
    public static CameraAnalytics restore(CameraConfig config, AnalyticsSettings settings, String snapshot) {
        CameraAnalytics restored = Snapshots.read(snapshot, settings);
        if (!restored.config.equals(config)) {
            restored.reconfigure(config);
        }
        return restored;
    }

    /**
     * One frame's detections, in the frame's order of arrival.
     *
     * @param detections boxes in the frame's pixels, as {@link Tracker#update} takes them
     * @param captureTimeMs the frame's capture time, for dwell
     * @throws IllegalArgumentException naming the first bad detection (nothing changes then)
     */
    public Outcome update(List<Observation> detections, long captureTimeMs) {
        Tracker.Step step = tracker.update(detections);
        frames++;
        long[] ids = new long[detections.size()];
        List<Track> involved = new ArrayList<>(step.removed());
        Map<Track, Integer> detectionOf = new IdentityHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            Track track = step.trackOfDetection()[i];
            if (track != null && track.confirmed()) {
                ids[i] = track.id();
                detectionOf.put(track, i);
                involved.add(track);
            }
        }
        for (Track track : step.confirmed()) {
            double[] birth = track.birthBox();
            places.put(track, TrackPlaces.born(config, settings.anchor().of(birth[0], birth[1], birth[2], birth[3]),
                    settings.lineTolerance()));
        }
        involved.sort(Comparator.comparingLong(Track::id));
        List<AnalyticsEvent> events = new ArrayList<>();
        for (Track track : involved) {
            Integer detection = detectionOf.get(track);
            if (detection == null) {
                ended(track, places.remove(track), events);
            } else {
                Observation d = detections.get(detection);
                Point anchor = settings.anchor().of(d.x1(), d.y1(), d.x2(), d.y2());
                seen(track, places.get(track), anchor, captureTimeMs, events);
            }
        }
        return new Outcome(ids, List.copyOf(events));
    }

    /** Lines and zones for a track seen at {@code anchor}. */
    private void seen(Track track, TrackPlaces memory, Point anchor, long now, List<AnalyticsEvent> events) {
        for (int k = 0; k < config.lines().size(); k++) {
            LineSpec line = config.lines().get(k);
            int side = line.side(anchor, settings.lineTolerance());
            if (side == 0) {
                continue;
            }
            if (memory.side[k] != 0 && side != memory.side[k]) {
                line.crossing(new Point(memory.sideX[k], memory.sideY[k]), anchor).ifPresent(direction ->
                        events.add(new AnalyticsEvent(AnalyticsEvent.LINE_CROSS, track.id(), track.label(),
                                track.labelId(), line.name(), null, direction.wire(), null,
                                counts.addLine(line.name(), track.label(), direction))));
            }
            memory.side[k] = side;
            memory.sideX[k] = anchor.x();
            memory.sideY[k] = anchor.y();
        }
        long dwellMs = settings.dwell().toMillis();
        for (int k = 0; k < config.zones().size(); k++) {
            ZoneSpec zone = config.zones().get(k);
            boolean inside = zone.contains(anchor);
            if (inside && !memory.inside[k]) {
                memory.inside[k] = true;
                memory.enteredMs[k] = now;
                memory.dwelled[k] = false;
                events.add(zoneEvent(AnalyticsEvent.ZONE_ENTER, track, zone, null, Counts.ENTER));
            } else if (!inside && memory.inside[k]) {
                memory.inside[k] = false;
                events.add(zoneEvent(AnalyticsEvent.ZONE_EXIT, track, zone, elapsed(now, memory.enteredMs[k]), Counts.EXIT));
            }
            if (inside && !memory.dwelled[k] && elapsed(now, memory.enteredMs[k]) >= dwellMs) {
                memory.dwelled[k] = true;
                events.add(zoneEvent(AnalyticsEvent.DWELL, track, zone, elapsed(now, memory.enteredMs[k]), Counts.DWELL));
            }
        }
        memory.anchorX = anchor.x();
        memory.anchorY = anchor.y();
        memory.seenMs = now;
    }

    /** Time from {@code since} to {@code now}, never negative: a camera's clock can step back (capture times are its own). */
    static long elapsed(long now, long since) {
        return Math.max(0, now - since);
    }

    /** A removed track leaves the zones it was in, as of the last frame it was seen. */
    private void ended(Track track, TrackPlaces memory, List<AnalyticsEvent> events) {
        for (int k = 0; k < config.zones().size(); k++) {
            if (memory.inside[k]) {
                events.add(zoneEvent(AnalyticsEvent.ZONE_EXIT, track, config.zones().get(k),
                        elapsed(memory.seenMs, memory.enteredMs[k]), Counts.EXIT));
            }
        }
    }

    private AnalyticsEvent zoneEvent(String type, Track track, ZoneSpec zone, Long dwellMs, int kind) {
        return new AnalyticsEvent(type, track.id(), track.label(), track.labelId(), null, zone.name(), null, dwellMs,
                counts.addZone(zone.name(), track.label(), kind));
    }

    /**
     * New lines and zones at run time: tracks and counts of names kept stay; new ones start at 0.
     * A line kept with the same ends keeps every track's side; a new or moved line takes each
     * track's side from where it was last seen. A zone kept by name keeps its visitors (its new
     * shape decides on their next frame); a removed zone's visits end without events.
     */
    public void reconfigure(CameraConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("camera analytics: the new config is null");
        }
        places.replaceAll((track, memory) -> memory.remap(this.config, config, settings.lineTolerance()));
        counts.reconfigure(config);
        this.config = config;
    }

    /** The lines and zones in use. */
    public CameraConfig config() {
        return config;
    }

    /** The settings it was made or restored with. */
    public AnalyticsSettings settings() {
        return settings;
    }

    /** How many frames {@link #update} has seen, snapshots included. */
    public long framesSeen() {
        return frames;
    }

    /** Running counts: {"lines": {name: {label: {"in": n, "out": m}}}, "zones": {name: {label: {"enter", "exit", "dwell", "inside"}}}}. */
    public Map<String, Map<String, Map<String, Map<String, Long>>>> counts() {
        Map<String, Map<String, Long>> inside = new LinkedHashMap<>();
        for (Track track : tracker.tracks()) {
            TrackPlaces memory = places.get(track);
            for (int k = 0; memory != null && k < config.zones().size(); k++) {
                if (memory.inside[k]) {
                    inside.computeIfAbsent(config.zones().get(k).name(), z -> new TreeMap<>())
                            .merge(track.label(), 1L, Long::sum);
                }
            }
        }
        return counts.view(inside);
    }

    /** Confirmed tracks now (for views): id, label, current box. */
    public record TrackView(long id, String label, double x1, double y1, double x2, double y2, int misses) {}

    /** The confirmed tracks in order of id, with their filtered boxes. */
    public List<TrackView> tracks() {
        List<TrackView> views = new ArrayList<>();
        for (Track track : tracker.tracks()) {
            if (track.confirmed()) {
                double[] box = track.box();
                views.add(new TrackView(track.id(), track.label(), box[0], box[1], box[2], box[3], track.misses()));
            }
        }
        return views;
    }

    /** The whole state as JSON. */
    public String snapshot() {
        return Snapshots.write(this);
    }

    Tracker tracker() {
        return tracker;
    }

    Map<Track, TrackPlaces> places() {
        return places;
    }

    Counts rawCounts() {
        return counts;
    }
}
