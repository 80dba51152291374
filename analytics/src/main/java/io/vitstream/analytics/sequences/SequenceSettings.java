package io.vitstream.analytics.sequences;

/**
 * What a synthetic sequence looks like. Positions, sizes and speeds are in fractions of the
 * frame (x of its width, y of its height), so a sequence keeps its look at any frame size and an
 * item drawn at {@code scale} covers {@code scale * 28 / 64} of the frame in each direction: the
 * frame the service shrinks to the demo detector's 64x64 input then shows it as a fashion-scenes
 * item of {@code scale * 28} pixels.
 *
 * @param width frame width in pixels
 * @param height frame height in pixels
 * @param frames frames per sequence
 * @param fps frames per second (capture times are {@code frame * 1000 / fps} ms)
 * @param objects most items in the frame at a time; a new one enters when fewer are in
 * @param minScale smallest item size as a multiple of 28 pixels of the 64-pixel model input
 * @param maxScale largest item size, as {@code minScale}
 * @param minSpeed slowest item, in frames (widths or heights) per second along its path
 * @param maxSpeed fastest item, as {@code minSpeed}
 * @param noise standard deviation of each frame's position jitter around the straight path, in frames
 * @param occlusionProbability chance per frame that a visible item starts an occlusion (not drawn)
 * @param maxOcclusion longest occlusion in frames; lengths are uniform in {@code 1..maxOcclusion}
 * @param maxOverlap largest share of the smaller of two items' boxes the other may cover on any
 *     frame (as fashion scenes' {@code max-overlap}), so no item hides another
 */
public record SequenceSettings(int width, int height, int frames, double fps, int objects, double minScale,
        double maxScale, double minSpeed, double maxSpeed, double noise, double occlusionProbability, int maxOcclusion,
        double maxOverlap) {

    /**
     * 1280x720 at 10 frames/s for 30 s, up to 3 items of fashion scenes' sizes crossing the frame
     * in about 7 to 50 s, 2-pixel jitter at 1280 wide, an occlusion every 50 visible frames on average.
     */
    public static final SequenceSettings DEFAULT =
            new SequenceSettings(1280, 720, 300, 10, 3, 0.6, 1.2, 0.03, 0.2, 0.002, 0.02, 4, 0.15);

    /** Checks every range, naming the field. */
    public SequenceSettings {
        require(width >= 16 && height >= 16, "width and height must be >= 16, got " + width + "x" + height);
        require((long) width * height <= 40_000_000L, "width x height must be at most 40 megapixels, got " + width + "x" + height);
        require(frames >= 1, "frames must be >= 1, got " + frames);
        require(fps > 0 && fps <= 1000, "fps must be in (0, 1000], got " + fps);
        require(objects >= 1, "objects must be >= 1, got " + objects);
        require(minScale > 0 && maxScale >= minScale && maxScale <= 64.0 / 28, "scale must satisfy 0 < minScale <= maxScale <= 64/28, got "
                + minScale + ".." + maxScale);
        require(minSpeed > 0 && maxSpeed >= minSpeed, "speed must satisfy 0 < minSpeed <= maxSpeed, got " + minSpeed + ".." + maxSpeed);
        require(noise >= 0 && noise < 0.1, "noise must be in [0, 0.1), got " + noise);
        require(occlusionProbability >= 0 && occlusionProbability < 1, "occlusionProbability must be in [0, 1), got "
                + occlusionProbability);
        require(maxOcclusion >= 1, "maxOcclusion must be >= 1, got " + maxOcclusion);
        require(maxOverlap >= 0 && maxOverlap <= 1, "maxOverlap must be in [0, 1], got " + maxOverlap);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("sequence settings: " + message);
    }

    /** The same settings at another frame size. */
    public SequenceSettings withSize(int newWidth, int newHeight) {
        return new SequenceSettings(newWidth, newHeight, frames, fps, objects, minScale, maxScale, minSpeed, maxSpeed, noise,
                occlusionProbability, maxOcclusion, maxOverlap);
    }

    /** Capture time of a frame in milliseconds from the sequence's start. */
    public long timeMs(int frame) {
        return Math.round(frame * 1000.0 / fps);
    }
}
