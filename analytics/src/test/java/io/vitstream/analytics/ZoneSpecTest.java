package io.vitstream.analytics;

import static io.vitstream.analytics.LineSpecTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneSpecTest {

    private static final String SETTING = "vitstream.analytics.cameras.cam-1.zones.till";

    @Test
    void squareContainsItsInsideAndItsEdges() {
        ZoneSpec square = ZoneSpec.parse(SETTING, "till", "0,0, 10,0, 10,10, 0,10");
        assertTrue(square.contains(new Point(5, 5)));
        assertFalse(square.contains(new Point(15, 5)));
        assertFalse(square.contains(new Point(5, -0.01)));
        assertTrue(square.contains(new Point(10, 5)), "on the right edge");
        assertTrue(square.contains(new Point(5, 0)), "on the top edge");
        assertTrue(square.contains(new Point(0, 0)), "a corner");
        assertFalse(square.contains(new Point(-5, 0)), "on the top edge's line, outside");
    }

    @Test
    void concaveUShapeLeavesItsNotchOutside() {
        // A U: 30 wide, 30 high, the notch x in (10, 20), y in (10, 30] open at the bottom.
        ZoneSpec u = ZoneSpec.parse(SETTING, "u", "0,0, 30,0, 30,30, 20,30, 20,10, 10,10, 10,30, 0,30");
        assertTrue(u.contains(new Point(5, 20)), "left arm");
        assertTrue(u.contains(new Point(25, 20)), "right arm");
        assertTrue(u.contains(new Point(15, 5)), "the bar across the top");
        assertFalse(u.contains(new Point(15, 20)), "in the notch");
        assertTrue(u.contains(new Point(15, 10)), "the notch's top edge");
        // A ray to the right from (5, 10) passes the notch's corners (10, 10) and (20, 10).
        assertTrue(u.contains(new Point(5, 10)));
        assertFalse(u.contains(new Point(35, 10)));
    }

    @Test
    void bowTieIsRefusedNamingTheCrossingEdges() {
        assertMessage(() -> ZoneSpec.parse(SETTING, "till", "0,0, 10,10, 10,0, 0,10"),
                SETTING + ": the polygon crosses itself: edge 1 (0.0, 0.0)-(10.0, 10.0)"
                        + " and edge 3 (10.0, 0.0)-(0.0, 10.0) meet");
    }

    @Test
    void edgesThatTouchOrFoldBackAreRefused() {
        // Corner 5 (5, 0) lies on edge 1.
        assertMessage(() -> ZoneSpec.parse(SETTING, "till", "0,0, 10,0, 10,10, 5,10, 5,0, 0,10"),
                SETTING + ": the polygon crosses itself: edge 1 (0.0, 0.0)-(10.0, 0.0)"
                        + " and edge 4 (5.0, 10.0)-(5.0, 0.0) meet");
        // Edge 2 runs back over edge 1.
        assertMessage(() -> ZoneSpec.parse(SETTING, "till", "0,0, 10,0, 5,0, 5,5"),
                SETTING + ": the polygon crosses itself: edge 1 (0.0, 0.0)-(10.0, 0.0)"
                        + " and edge 2 (10.0, 0.0)-(5.0, 0.0) meet");
    }

    @Test
    void parseErrorsNameTheSettingAndTheProblem() {
        assertMessage(() -> ZoneSpec.parse(SETTING, "till", "0,0, 10,0, 10"),
                SETTING + ": an odd count of numbers (5), expected x,y pairs");
        assertMessage(() -> ZoneSpec.parse(SETTING, "till", "0,0, 10,0"),
                SETTING + ": 2 corners, a zone needs at least 3");
        assertMessage(() -> ZoneSpec.parse(SETTING, "till", "0,0, 10,0, ten,10"),
                SETTING + ": value 5 'ten' is not a number (in '0,0, 10,0, ten,10')");
        assertMessage(() -> ZoneSpec.parse(SETTING, "till", "0,0, 10,0, -Infinity,10"),
                SETTING + ": value 5 '-Infinity' is not finite (in '0,0, 10,0, -Infinity,10')");
        assertMessage(() -> ZoneSpec.parse(SETTING, "till", "0,0, 10,0, 10,10, 10,0"),
                SETTING + ": corners 2 and 4 are the same point (10.0, 0.0)");
        assertMessage(() -> ZoneSpec.parse(SETTING, "till", "0,0, 5,5, 10,10"),
                SETTING + ": no area: all corners are on one line");
    }

    @Test
    void constructorChecksAndCopies() {
        List<Point> corners = new java.util.ArrayList<>(List.of(new Point(0, 0), new Point(4, 0), new Point(0, 3)));
        ZoneSpec zone = new ZoneSpec("z", corners);
        corners.clear();
        assertEquals(3, zone.polygon().size());
        assertMessage(() -> new ZoneSpec("z", List.of(new Point(0, 0), new Point(1, 1))),
                "zone 'z': 2 corners, a zone needs at least 3");
        assertMessage(() -> new ZoneSpec("z", null), "zone 'z': no corners (null)");
        assertMessage(() -> new ZoneSpec("", List.of()), "zone: the name is missing or blank ('')");
    }
}
