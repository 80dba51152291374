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

    /**
     * Checks the name and that a and b are finite and differ.
     *
     * @throws IllegalArgumentException naming the line and what is wrong
     */
    public LineSpec {
        Names.require("line", name);
        String problem = problem(a, b);
        if (problem != null) {
            throw new IllegalArgumentException("line '" + name + "': " + problem);
        }
    }

    /** What is wrong with ends a and b, or null when they make a line. */
    private static String problem(Point a, Point b) {
        if (a == null || b == null) {
            return "an end is missing (a = " + a + ", b = " + b + ")";
        }
        if (!isFinite(a) || !isFinite(b)) {
            return "an end is not finite (a = " + a + ", b = " + b + ")";
        }
        if (a.equals(b)) {
            return "both ends are the same point (" + a.x() + ", " + a.y() + "), so the line has no direction";
        }
        return null;
    }

    private static boolean isFinite(Point p) {
        return Double.isFinite(p.x()) && Double.isFinite(p.y());
    }

    /**
     * Which side of the line's infinite extension a point is on: +1 right-hand side (looking from
     * a to b), -1 left-hand side, 0 on the line (within {@code tolerance} pixels).
     */
    public int side(Point p, double tolerance) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException(
                    "line '" + name + "': the tolerance must be 0 or more pixels, got " + tolerance);
        }
        double distance = Geometry.cross(a, b, p) / Math.hypot(b.x() - a.x(), b.y() - a.y());
        if (Math.abs(distance) <= tolerance) {
            return 0;
        }
        return distance > 0 ? 1 : -1;
    }

    /**
     * Whether moving from {@code from} to {@code to} crosses the segment (not its extension): the
     * two points are on strictly opposite sides and the path meets the segment between a and b
     * (an end of the segment included).
     *
     * @return the crossing's direction, or empty when it does not cross
     */
    public Optional<Direction> crossing(Point from, Point to) {
        double sideFrom = Geometry.cross(a, b, from);
        double sideTo = Geometry.cross(a, b, to);
        boolean leftToRight = sideFrom < 0 && sideTo > 0;
        boolean rightToLeft = sideFrom > 0 && sideTo < 0;
        if (!(leftToRight || rightToLeft)) {
            return Optional.empty();
        }
        // a and b on different sides of the path (or one on it): the path meets the segment.
        double aSide = Geometry.cross(from, to, a);
        double bSide = Geometry.cross(from, to, b);
        if ((aSide > 0 && bSide > 0) || (aSide < 0 && bSide < 0)) {
            return Optional.empty();
        }
        return Optional.of(leftToRight ? Direction.IN : Direction.OUT);
    }

    /**
     * Parses {@code x1,y1,x2,y2}.
     *
     * @throws IllegalArgumentException naming {@code setting}: not 4 numbers, not finite, a == b
     */
    public static LineSpec parse(String setting, String name, String value) {
        return of(setting, name, SettingNumbers.parse(setting, value));
    }

    /**
     * A line from {@code x1, y1, x2, y2}, with messages that start with {@code what} (a setting's
     * name, or the line as named in JSON).
     */
    static LineSpec of(String what, String name, double[] numbers) {
        if (numbers.length != 4) {
            throw new IllegalArgumentException(
                    what + ": expected 4 numbers x1,y1,x2,y2, got " + numbers.length);
        }
        for (int i = 0; i < numbers.length; i++) {
            SettingNumbers.requireFinite(what, i, numbers[i]);
        }
        Point a = new Point(numbers[0], numbers[1]);
        Point b = new Point(numbers[2], numbers[3]);
        String problem = problem(a, b);
        if (problem != null) {
            throw new IllegalArgumentException(what + ": " + problem);
        }
        return new LineSpec(Names.require(what, name), a, b);
    }
}
