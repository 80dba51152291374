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

    /** Defaults close to ByteTrack's published ones, for a few frames per second to 30. */
    public static final TrackerSettings DEFAULT = new TrackerSettings(0.5, 0.1, 0.6, 0.2, 0.4, 2, 30);

    /** Checks the ranges (0 <= lowScore <= highScore <= 1, IoUs in (0, 1], minHits >= 1, maxMisses >= 1). */
    public TrackerSettings {
        // TODO validate
    }
}
