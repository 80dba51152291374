package io.vitstream.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeometryTest {

    private static Point p(double x, double y) {
        return new Point(x, y);
    }

    @Test
    void crossIsPositiveOnTheRightHandSideWithYDown() {
        // Looking from (0, 0) to (4, 0), i.e. to the right on screen: (0, 3) is below, on the right.
        assertEquals(12, Geometry.cross(p(0, 0), p(4, 0), p(0, 3)), 0.0);
        assertEquals(-12, Geometry.cross(p(0, 0), p(4, 0), p(0, -3)), 0.0);
        assertEquals(0, Geometry.cross(p(0, 0), p(4, 0), p(9, 0)), 0.0);
    }

    @Test
    void segmentsMeetWhenCrossingTouchingOrOverlapping() {
        assertTrue(Geometry.segmentsMeet(p(0, 0), p(4, 4), p(0, 4), p(4, 0)), "an X");
        assertTrue(Geometry.segmentsMeet(p(0, 0), p(4, 0), p(2, 0), p(2, 5)), "a T");
        assertTrue(Geometry.segmentsMeet(p(0, 0), p(4, 0), p(4, 0), p(6, 3)), "end to end");
        assertTrue(Geometry.segmentsMeet(p(0, 0), p(4, 0), p(3, 0), p(8, 0)), "overlapping on one line");
        assertFalse(Geometry.segmentsMeet(p(0, 0), p(4, 0), p(5, 0), p(8, 0)), "on one line, apart");
        assertFalse(Geometry.segmentsMeet(p(0, 0), p(4, 0), p(0, 1), p(4, 1)), "parallel");
        assertFalse(Geometry.segmentsMeet(p(0, 0), p(4, 4), p(3, 0), p(5, -2)), "would cross if extended");
    }

    @Test
    void onSegmentIncludesTheEnds() {
        assertTrue(Geometry.onSegment(p(0, 0), p(4, 2), p(2, 1)));
        assertTrue(Geometry.onSegment(p(0, 0), p(4, 2), p(4, 2)));
        assertFalse(Geometry.onSegment(p(0, 0), p(4, 2), p(6, 3)));
    }
}
