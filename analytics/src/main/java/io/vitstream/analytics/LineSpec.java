package io.vitstream.analytics;

import java.util.Optional;

/**
 * A counting line, a segment from {@code a} to {@code b} in frame pixels. Its orientation
 * defines the direction of a crossing: looking from {@code a} towards {@code b}, an object that
 * crosses from the left-hand side to the right-hand side goes {@link Direction#IN}, the other way
 * {@link Direction#OUT}. (With y down, for a line drawn left to right the right-hand side is
 * below it on screen.)
 */
public record LineSpec(String name, Point a, Point b) {

    /** The way a crossing goes, relative to the line's orientation. */
    public enum Direction {
        IN, OUT;

        /** {@code in} or {@code out}, as in the events. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Checks the name and that a and b differ. */
    public LineSpec {
        // TODO validate
    }

    /**
     * Which side of the line's infinite extension a point is on: +1 right-hand side (looking from
     * a to b), -1 left-hand side, 0 on the line (within {@code tolerance} pixels).
     */
    public int side(Point p, double tolerance) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Whether moving from {@code from} to {@code to} crosses the segment (not its extension): the
     * two points are on strictly opposite sides and the path meets the segment between a and b.
     *
     * @return the crossing's direction, or empty when it does not cross
     */
    public Optional<Direction> crossing(Point from, Point to) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Parses {@code x1,y1,x2,y2}.
     *
     * @throws IllegalArgumentException naming {@code setting}: not 4 numbers, not finite, a == b
     */
    public static LineSpec parse(String setting, String name, String value) {
        throw new UnsupportedOperationException("TODO");
    }
}
