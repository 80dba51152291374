package io.vitstream.analytics;

import java.util.List;

/**
 * What one confirmed track remembers about the lines and zones of its camera, arrays in the
 * config's order: per line the side it was last seen on and where; per zone whether it is inside,
 * since when, and whether that visit's dwell was reported. Also its last anchor and when it was
 * last seen.
 */
final class TrackPlaces {

    /** The anchor of the last matched detection, and that frame's capture time. */
    double anchorX;
    double anchorY;
    long seenMs;

    /** Per line: -1 left, +1 right, 0 not known yet; and the last point seen on that side. */
    int[] side;
    double[] sideX;
    double[] sideY;

    /** Per zone: inside or not; the capture time of its zone-enter; whether its dwell was reported. */
    boolean[] inside;
    long[] enteredMs;
    boolean[] dwelled;

    TrackPlaces(int lines, int zones) {
        side = new int[lines];
        sideX = new double[lines];
        sideY = new double[lines];
        inside = new boolean[zones];
        enteredMs = new long[zones];
        dwelled = new boolean[zones];
    }

    /**
     * A newly confirmed track's memory: the sides of the lines where it was born (so a crossing
     * between birth and confirmation shows on the confirmation frame), in no zone yet.
     */
    static TrackPlaces born(CameraConfig config, Point birthAnchor, double tolerance) {
        TrackPlaces places = new TrackPlaces(config.lines().size(), config.zones().size());
        places.anchorX = birthAnchor.x();
        places.anchorY = birthAnchor.y();
        for (int k = 0; k < config.lines().size(); k++) {
            places.learnSide(k, config.lines().get(k), tolerance);
        }
        return places;
    }

    /** Takes line k's side from the last anchor (unknown while on the line). */
    private void learnSide(int k, LineSpec line, double tolerance) {
        Point anchor = new Point(anchorX, anchorY);
        side[k] = line.side(anchor, tolerance);
        sideX[k] = anchorX;
        sideY[k] = anchorY;
    }

    /**
     * The memory for new lines and zones: a line kept unchanged (same name, same ends) keeps its
     * side, any other line learns its side from the last anchor; a zone of a kept name keeps its
     * visit (its new shape decides on the next frame the track is seen); new zones start outside.
     */
    TrackPlaces remap(CameraConfig from, CameraConfig to, double tolerance) {
        TrackPlaces out = new TrackPlaces(to.lines().size(), to.zones().size());
        out.anchorX = anchorX;
        out.anchorY = anchorY;
        out.seenMs = seenMs;
        List<LineSpec> oldLines = from.lines();
        for (int k = 0; k < to.lines().size(); k++) {
            LineSpec line = to.lines().get(k);
            int old = oldLines.indexOf(line);
            if (old >= 0) {
                out.side[k] = side[old];
                out.sideX[k] = sideX[old];
                out.sideY[k] = sideY[old];
            } else {
                out.learnSide(k, line, tolerance);
            }
        }
        for (int k = 0; k < to.zones().size(); k++) {
            int old = indexOfZone(from, to.zones().get(k).name());
            if (old >= 0) {
                out.inside[k] = inside[old];
                out.enteredMs[k] = enteredMs[old];
                out.dwelled[k] = dwelled[old];
            }
        }
        return out;
    }

    private static int indexOfZone(CameraConfig config, String name) {
        for (int k = 0; k < config.zones().size(); k++) {
            if (config.zones().get(k).name().equals(name)) {
                return k;
            }
        }
        return -1;
    }
}
