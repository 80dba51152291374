package io.vitstream.analytics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Multi-object tracking by detection, in the manner of ByteTrack, for one camera. Each frame:
 * <ol>
 *   <li>every track's {@link BoxKalman} predicts its box;</li>
 *   <li>confirmed tracks (seen last frame or missing) are matched with the high-score detections
 *       ({@code score >= highScore}) by IoU, gated at {@code matchIou} ({@link Association});</li>
 *   <li>the confirmed tracks left are matched with the low-score detections
 *       ({@code lowScore <= score < highScore}), gated at {@code lowMatchIou}: a partly hidden
 *       object often scores low, and this keeps its track. (ByteTrack offers them only to tracks
 *       seen on the previous frame; here missing ones may take them too.)</li>
 *   <li>tentative tracks are matched with the high-score detections left, gated at {@code matchIou};</li>
 *   <li>high-score detections still left start tentative tracks when {@code score >= newTrackScore};
 *       lower ones are dropped, like every detection under {@code lowScore}.</li>
 * </ol>
 * A tentative track matched {@code minHits} frames in a row (its first frame included) is
 * confirmed and gets the next id (1, 2, 3, ..., never reused); one that misses a frame is
 * dropped. A confirmed track is removed after {@code maxMisses} frames in a row without a match.
 * Tracks stay in the order they were started (a frame's new tracks in the order of their
 * detections), so the same input always gives the same output.
 *
 * <p>Not thread-safe.
 */
public final class Tracker {

    /**
     * What one frame did.
     *
     * @param trackOfDetection per input detection, in order: the track (tentative or confirmed) it
     *     was matched to or started, or null
     * @param confirmed tracks confirmed on this frame, in order of their new ids
     * @param removed confirmed tracks removed on this frame ({@code maxMisses} reached), in order of id
     */
    public record Step(Track[] trackOfDetection, List<Track> confirmed, List<Track> removed) {}

    private final TrackerSettings settings;
    private final List<Track> tracks;
    private long nextId;

    /** A tracker with no tracks; the first confirmed track gets id 1. */
    public Tracker(TrackerSettings settings) {
        this(settings, List.of(), 1);
    }

    /** Continues with the tracks and next id of a snapshot. */
    Tracker(TrackerSettings settings, List<Track> tracks, long nextId) {
        if (settings == null) {
            throw new IllegalArgumentException("tracker settings are required");
        }
        this.settings = settings;
        this.tracks = new ArrayList<>(tracks);
        this.nextId = nextId;
    }

    /**
     * Tracks one frame.
     *
     * @param detections the frame's detections: finite boxes (x1 <= x2, y1 <= y2) in pixels, finite
     *     scores, non-null labels
     * @throws IllegalArgumentException naming the first bad detection by its index
     */
    public Step update(List<Observation> detections) {
        check(detections);
        for (Track track : tracks) {
            if (track.confirmed()) {
                track.forgetBirth();
            }
            track.predict();
        }
        List<Integer> high = new ArrayList<>();
        List<Integer> low = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            double score = detections.get(i).score();
            if (score >= settings.highScore()) {
                high.add(i);
            } else if (score >= settings.lowScore()) {
                low.add(i);
            }
        }
        Track[] trackOf = new Track[detections.size()];
        List<Track> confirmedTracks = new ArrayList<>();
        List<Track> tentative = new ArrayList<>();
        for (Track track : tracks) {
            (track.confirmed() ? confirmedTracks : tentative).add(track);
        }
        List<Track> confirmedLeft = associate(confirmedTracks, high, detections, settings.matchIou(), trackOf);
        associate(confirmedLeft, low, detections, settings.lowMatchIou(), trackOf);
        associate(tentative, high, detections, settings.matchIou(), trackOf);
        return finish(detections, high, trackOf);
    }

    /**
     * Matches {@code candidates} with the detections of {@code pool} not matched yet, records the
     * pairs in {@code trackOf} and applies the hits.
     *
     * @return the candidates left unmatched, in order
     */
    private static List<Track> associate(List<Track> candidates, List<Integer> pool, List<Observation> detections,
            double minIou, Track[] trackOf) {
        List<Integer> free = new ArrayList<>(pool.size());
        for (int i : pool) {
            if (trackOf[i] == null) {
                free.add(i);
            }
        }
        double[] detectionBoxes = new double[4 * free.size()];
        for (int j = 0; j < free.size(); j++) {
            Observation d = detections.get(free.get(j));
            detectionBoxes[4 * j] = d.x1();
            detectionBoxes[4 * j + 1] = d.y1();
            detectionBoxes[4 * j + 2] = d.x2();
            detectionBoxes[4 * j + 3] = d.y2();
        }
        double[][] iou = new double[candidates.size()][free.size()];
        for (int t = 0; t < candidates.size(); t++) {
            double[] predicted = candidates.get(t).box();
            for (int j = 0; j < free.size(); j++) {
                iou[t][j] = Boxes.iou(predicted, 0, detectionBoxes, 4 * j);
            }
        }
        int[] match = Association.match(iou, minIou);
        List<Track> left = new ArrayList<>();
        for (int t = 0; t < candidates.size(); t++) {
            if (match[t] < 0) {
                left.add(candidates.get(t));
            } else {
                int detection = free.get(match[t]);
                trackOf[detection] = candidates.get(t);
                candidates.get(t).hit(detections.get(detection));
            }
        }
        return left;
    }

    /** Misses, confirmations, removals and births, in the tracks' order. */
    private Step finish(List<Observation> detections, List<Integer> high, Track[] trackOf) {
        Set<Track> matched = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Track track : trackOf) {
            if (track != null) {
                matched.add(track);
            }
        }
        List<Track> confirmed = new ArrayList<>();
        List<Track> removed = new ArrayList<>();
        List<Track> kept = new ArrayList<>(tracks.size());
        for (Track track : tracks) {
            if (!matched.contains(track)) {
                track.miss();
                if (!track.confirmed() || track.misses() >= settings.maxMisses()) {
                    if (track.confirmed()) {
                        removed.add(track);
                    }
                    continue;
                }
            } else if (!track.confirmed() && track.hits() >= settings.minHits()) {
                track.confirm(nextId++);
                confirmed.add(track);
            }
            kept.add(track);
        }
        for (int i : high) {
            if (trackOf[i] == null && detections.get(i).score() >= settings.newTrackScore()) {
                Track track = Track.born(detections.get(i));
                trackOf[i] = track;
                if (settings.minHits() <= 1) {
                    track.confirm(nextId++);
                    confirmed.add(track);
                }
                kept.add(track);
            }
        }
        tracks.clear();
        tracks.addAll(kept);
        return new Step(trackOf, Collections.unmodifiableList(confirmed), Collections.unmodifiableList(removed));
    }

    private static void check(List<Observation> detections) {
        for (int i = 0; i < detections.size(); i++) {
            Observation d = detections.get(i);
            String problem = d == null ? "it is null"
                    : !(Double.isFinite(d.x1()) && Double.isFinite(d.y1()) && Double.isFinite(d.x2())
                            && Double.isFinite(d.y2())) ? "its box is not finite"
                    : d.x2() < d.x1() || d.y2() < d.y1() ? "its box has x2 < x1 or y2 < y1"
                    : !Double.isFinite(d.score()) ? "its score is not finite"
                    : d.label() == null ? "its label is null"
                    : null;
            if (problem != null) {
                throw new IllegalArgumentException("detection " + i + " of the frame: " + problem + " (" + d + ")");
            }
        }
    }

    /** The live tracks, tentative and confirmed, in the order they were started. */
    public List<Track> tracks() {
        return Collections.unmodifiableList(tracks);
    }

    /** The id the next confirmed track gets. */
    public long nextId() {
        return nextId;
    }

    /** The association settings. */
    public TrackerSettings settings() {
        return settings;
    }
}
