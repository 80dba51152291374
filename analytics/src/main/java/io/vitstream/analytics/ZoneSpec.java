package io.vitstream.analytics;

import java.util.List;

/** A zone: a simple polygon (at least 3 corners, no edges crossing) in frame pixels. */
public record ZoneSpec(String name, List<Point> polygon) {

    /** Checks the name, at least 3 distinct corners, finite numbers, no self-intersection; copies the list. */
    public ZoneSpec {
        // TODO validate and copy
    }

    /** Whether a point is inside (even-odd rule; points on an edge count as inside). */
    public boolean contains(Point p) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Parses {@code x1,y1,x2,y2,x3,y3[,...]}.
     *
     * @throws IllegalArgumentException naming {@code setting}: an odd count, fewer than 3 points,
     *     a value that is not a finite number, a self-intersecting polygon (which edges)
     */
    public static ZoneSpec parse(String setting, String name, String value) {
        throw new UnsupportedOperationException("TODO");
    }
}
