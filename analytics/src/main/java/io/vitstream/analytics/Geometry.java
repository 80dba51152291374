package io.vitstream.analytics;

import java.util.List;

/**
 * Orientation tests on points in frame pixels (x right, y down), shared by lines and zones. Exact
 * in the sense that no tolerance is hidden here: a cross product of 0 means "on the line".
 */
final class Geometry {

    private Geometry() {}

    /**
     * The cross product {@code (b - a) x (p - a)}: positive when {@code p} is on the right-hand
     * side looking from {@code a} to {@code b} (with y down, below a line drawn left to right),
     * negative on the left-hand side, 0 on the line through a and b. Its absolute value is twice
     * the area of the triangle a, b, p.
     */
    static double cross(Point a, Point b, Point p) {
        return (b.x() - a.x()) * (p.y() - a.y()) - (b.y() - a.y()) * (p.x() - a.x());
    }

    /** Whether {@code p}, known to be on the line through a and b, lies between them (ends included). */
    private static boolean betweenOnLine(Point a, Point b, Point p) {
        return Math.min(a.x(), b.x()) <= p.x() && p.x() <= Math.max(a.x(), b.x())
                && Math.min(a.y(), b.y()) <= p.y() && p.y() <= Math.max(a.y(), b.y());
    }

    /** Whether {@code p} lies on the closed segment a-b. */
    static boolean onSegment(Point a, Point b, Point p) {
        return cross(a, b, p) == 0 && betweenOnLine(a, b, p);
    }

    /** Whether the closed segments p1-p2 and q1-q2 share a point (crossing, touching or overlapping). */
    static boolean segmentsMeet(Point p1, Point p2, Point q1, Point q2) {
        double d1 = cross(q1, q2, p1);
        double d2 = cross(q1, q2, p2);
        double d3 = cross(p1, p2, q1);
        double d4 = cross(p1, p2, q2);
        if (oppositeSigns(d1, d2) && oppositeSigns(d3, d4)) {
            return true;
        }
        return (d1 == 0 && betweenOnLine(q1, q2, p1)) || (d2 == 0 && betweenOnLine(q1, q2, p2))
                || (d3 == 0 && betweenOnLine(p1, p2, q1)) || (d4 == 0 && betweenOnLine(p1, p2, q2));
    }

    private static boolean oppositeSigns(double u, double v) {
        return (u > 0 && v < 0) || (u < 0 && v > 0);
    }

    /**
     * Whether {@code p} is inside the polygon by the even-odd rule, points on an edge counting as
     * inside.
     *
     * @param polygon corners in order, the last joined to the first
     */
    static boolean inPolygon(List<Point> polygon, Point p) {
        int n = polygon.size();
        boolean inside = false;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            Point a = polygon.get(j);
            Point b = polygon.get(i);
            if (onSegment(a, b, p)) {
                return true;
            }
            // A ray from p to the right; an edge counts when it spans p's y (half-open, so a
            // corner exactly at p's height is counted once) and meets the ray right of p.
            if ((a.y() > p.y()) != (b.y() > p.y())) {
                double xAtY = a.x() + (p.y() - a.y()) * (b.x() - a.x()) / (b.y() - a.y());
                if (p.x() < xAtY) {
                    inside = !inside;
                }
            }
        }
        return inside;
    }
}
