package io.vitstream.analytics;

/**
 * ByteTrack-style association settings.
 *
 * @param highScore detections at or above it take part in the first association and can start tracks
 * @param lowScore detections in [lowScore, highScore) only extend existing tracks (second association); below it they are dropped
 * @param newTrackScore an unmatched detection starts a (tentative) track only at or above this score
 * @param matchIou least IoU between a track's predicted box and a high-score detection to match them
 * @param lowMatchIou least IoU for the second association with low-score detections
 * @param minHits a tentative track is confirmed (gets its id) after this many matched frames in a row
 * @param maxMisses a track is removed after this many frames in a row without a match
 */
public record TrackerSettings(double highScore, double lowScore, double newTrackScore, double matchIou,
        double lowMatchIou, int minHits, int maxMisses) {

    /**
     * Defaults close to ByteTrack's published ones (track threshold 0.5, new tracks from 0.6,
     * match cost 0.8 = IoU 0.2, second association at IoU 0.5 there, 0.4 here), for a few frames
     * per second to 30. With {@code maxMisses} 30 a track outlives 1 s of occlusion at 30 frames/s.
     */
    public static final TrackerSettings DEFAULT = new TrackerSettings(0.5, 0.1, 0.6, 0.2, 0.4, 2, 30);

    /**
     * Checks the ranges (0 <= lowScore <= highScore <= 1, 0 <= newTrackScore <= 1, IoUs in (0, 1],
     * minHits >= 1, maxMisses >= 1).
     *
     * @throws IllegalArgumentException naming the first setting out of range and its value
     */
    public TrackerSettings {
        if (!(0 <= lowScore && lowScore <= highScore && highScore <= 1)) {
            throw new IllegalArgumentException("tracker settings: need 0 <= lowScore <= highScore <= 1, got lowScore "
                    + lowScore + ", highScore " + highScore);
        }
        if (!(0 <= newTrackScore && newTrackScore <= 1)) {
            throw new IllegalArgumentException(
                    "tracker settings: newTrackScore must be within [0, 1], got " + newTrackScore);
        }
        requireIou("matchIou", matchIou);
        requireIou("lowMatchIou", lowMatchIou);
        if (minHits < 1) {
            throw new IllegalArgumentException("tracker settings: minHits must be at least 1, got " + minHits);
        }
        if (maxMisses < 1) {
            throw new IllegalArgumentException("tracker settings: maxMisses must be at least 1, got " + maxMisses);
        }
    }

    private static void requireIou(String name, double iou) {
        if (!(0 < iou && iou <= 1)) {
            throw new IllegalArgumentException("tracker settings: " + name + " must be within (0, 1], got " + iou);
        }
    }
}
