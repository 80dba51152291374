package io.vitstream.analytics;

import java.util.ArrayList;
import java.util.List;

/** A zone: a simple polygon (at least 3 corners, no edges crossing) in frame pixels. */
public record ZoneSpec(String name, List<Point> polygon) {

    /**
     * Checks the name, at least 3 corners, all different and finite, an area, no self-intersection;
     * copies the list.
     *
     * @throws IllegalArgumentException naming the zone and what is wrong
     */
    public ZoneSpec {
        Names.require("zone", name);
        if (polygon == null) {
            throw new IllegalArgumentException("zone '" + name + "': no corners (null)");
        }
        polygon = List.copyOf(polygon);
        String problem = problem(polygon);
        if (problem != null) {
            throw new IllegalArgumentException("zone '" + name + "': " + problem);
        }
    }

    /** Whether a point is inside (even-odd rule; points on an edge count as inside). */
    public boolean contains(Point p) {
        return Geometry.inPolygon(polygon, p);
    }

    /**
     * Parses {@code x1,y1,x2,y2,x3,y3[,...]}.
     *
     * @throws IllegalArgumentException naming {@code setting}: an odd count, fewer than 3 points,
     *     a value that is not a finite number, a self-intersecting polygon (which edges)
     */
    public static ZoneSpec parse(String setting, String name, String value) {
        return of(setting, name, SettingNumbers.parse(setting, value));
    }

    /** A zone from {@code x1, y1, x2, y2, ...}, with messages that start with {@code what}. */
    static ZoneSpec of(String what, String name, double[] numbers) {
        if (numbers.length % 2 != 0) {
            throw new IllegalArgumentException(
                    what + ": an odd count of numbers (" + numbers.length + "), expected x,y pairs");
        }
        for (int i = 0; i < numbers.length; i++) {
            SettingNumbers.requireFinite(what, i, numbers[i]);
        }
        List<Point> corners = new ArrayList<>(numbers.length / 2);
        for (int i = 0; i < numbers.length; i += 2) {
            corners.add(new Point(numbers[i], numbers[i + 1]));
        }
        String problem = problem(corners);
        if (problem != null) {
            throw new IllegalArgumentException(what + ": " + problem);
        }
        return new ZoneSpec(Names.require(what, name), corners);
    }

    /** What is wrong with the corners as a simple polygon, or null. Corners are numbered from 1. */
    private static String problem(List<Point> corners) {
        if (corners.size() < 3) {
            return corners.size() + " corners, a zone needs at least 3";
        }
        for (int i = 0; i < corners.size(); i++) {
            Point p = corners.get(i);
            if (p == null || !Double.isFinite(p.x()) || !Double.isFinite(p.y())) {
                return "corner " + (i + 1) + " is not a finite point (" + p + ")";
            }
            for (int j = 0; j < i; j++) {
                if (corners.get(j).equals(p)) {
                    return "corners " + (j + 1) + " and " + (i + 1) + " are the same point " + show(p);
                }
            }
        }
        if (allOnOneLine(corners)) {
            return "no area: all corners are on one line";
        }
        return crossingEdges(corners);
    }

    /**
     * The first two edges that meet other than at their shared corner, or null. Edge k joins
     * corner k to corner k + 1 (the last edge joins the last corner to the first).
     */
    private static String crossingEdges(List<Point> corners) {
        int n = corners.size();
        for (int i = 0; i < n; i++) {
            Point a1 = corners.get(i);
            Point a2 = corners.get((i + 1) % n);
            for (int j = i + 1; j < n; j++) {
                Point b1 = corners.get(j);
                Point b2 = corners.get((j + 1) % n);
                boolean meet = adjacent(i, j, n)
                        ? foldsBack(i, j, n, corners)
                        : Geometry.segmentsMeet(a1, a2, b1, b2);
                if (meet) {
                    return "the polygon crosses itself: edge " + (i + 1) + " " + show(a1) + "-" + show(a2)
                            + " and edge " + (j + 1) + " " + show(b1) + "-" + show(b2) + " meet";
                }
            }
        }
        return null;
    }

    /** Whether every corner is on the line through the first two (which differ). */
    private static boolean allOnOneLine(List<Point> corners) {
        for (Point p : corners) {
            if (Geometry.cross(corners.get(0), corners.get(1), p) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean adjacent(int i, int j, int n) {
        return j == i + 1 || (i == 0 && j == n - 1);
    }

    /**
     * Whether two edges with a shared corner run over each other (the polygon goes back along
     * itself): their other ends are on one line with the shared corner and on the same side of it.
     */
    private static boolean foldsBack(int i, int j, int n, List<Point> corners) {
        int shared = j == i + 1 ? j : i;
        Point v = corners.get(shared);
        Point p = corners.get((shared - 1 + n) % n);
        Point q = corners.get((shared + 1) % n);
        double dot = (p.x() - v.x()) * (q.x() - v.x()) + (p.y() - v.y()) * (q.y() - v.y());
        return Geometry.cross(v, p, q) == 0 && dot > 0;
    }

    private static String show(Point p) {
        return "(" + p.x() + ", " + p.y() + ")";
    }
}
