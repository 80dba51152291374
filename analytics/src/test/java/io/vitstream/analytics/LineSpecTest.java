package io.vitstream.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vitstream.analytics.LineSpec.Direction;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LineSpecTest {

    /** Drawn left to right along y = 0: looking from a to b the right-hand side is below (y > 0). */
    private static final LineSpec HORIZONTAL = new LineSpec("door", new Point(0, 0), new Point(10, 0));

    @Test
    void sidesOfALineDrawnLeftToRight() {
        assertEquals(-1, HORIZONTAL.side(new Point(5, -3), 0), "above is the left-hand side");
        assertEquals(1, HORIZONTAL.side(new Point(5, 3), 0), "below is the right-hand side");
        assertEquals(1, HORIZONTAL.side(new Point(25, 3), 0), "the side is of the infinite extension");
        assertEquals(0, HORIZONTAL.side(new Point(5, 0), 0));
    }

    @Test
    void sidesOfALineDrawnDownwards() {
        // Facing down the screen, the right hand points to smaller x.
        LineSpec down = new LineSpec("aisle", new Point(0, 0), new Point(0, 10));
        assertEquals(1, down.side(new Point(-4, 5), 0));
        assertEquals(-1, down.side(new Point(4, 5), 0));
    }

    @Test
    void toleranceIsInPixelsFromTheLine() {
        // A diagonal: the point (1, 0) is 1/sqrt(2) = 0.707 px from the line y = x.
        LineSpec diagonal = new LineSpec("d", new Point(0, 0), new Point(10, 10));
        assertEquals(0, diagonal.side(new Point(1, 0), 0.75));
        assertEquals(-1, diagonal.side(new Point(1, 0), 0.7));
        assertEquals(0, HORIZONTAL.side(new Point(5, 1.0), 1.0), "exactly at the tolerance counts as on the line");
        assertEquals(1, HORIZONTAL.side(new Point(5, 1.01), 1.0));
    }

    @Test
    void crossingDownwardsIsInAndUpwardsIsOut() {
        assertEquals(Optional.of(Direction.IN), HORIZONTAL.crossing(new Point(5, -3), new Point(5, 3)));
        assertEquals(Optional.of(Direction.OUT), HORIZONTAL.crossing(new Point(5, 3), new Point(5, -3)));
        assertEquals("in", Direction.IN.wire());
        assertEquals("out", Direction.OUT.wire());
    }

    @Test
    void crossingTheExtensionIsNoCrossing() {
        assertEquals(Optional.empty(), HORIZONTAL.crossing(new Point(15, -3), new Point(15, 3)));
        assertEquals(Optional.empty(), HORIZONTAL.crossing(new Point(-0.5, -3), new Point(-0.5, 3)));
        // A slanted path whose end points are left of the segment's start but which meets y = 0 at x = 0...
        assertEquals(Optional.of(Direction.IN), HORIZONTAL.crossing(new Point(-5, -5), new Point(5, 5)));
        // ...and one that meets it at x = -1, just beside the segment.
        assertEquals(Optional.empty(), HORIZONTAL.crossing(new Point(-6, -5), new Point(4, 5)));
    }

    @Test
    void touchingOrStayingOnOneSideIsNoCrossing() {
        assertEquals(Optional.empty(), HORIZONTAL.crossing(new Point(5, -3), new Point(5, 0)));
        assertEquals(Optional.empty(), HORIZONTAL.crossing(new Point(5, 0), new Point(5, 3)));
        assertEquals(Optional.empty(), HORIZONTAL.crossing(new Point(1, 3), new Point(9, 3)));
    }

    @Test
    void crossingAtAnEndCounts() {
        assertEquals(Optional.of(Direction.OUT), HORIZONTAL.crossing(new Point(10, 2), new Point(10, -2)));
    }

    @Test
    void parsesFourNumbers() {
        LineSpec line = LineSpec.parse("s.lines.door", "door", " 1, 2.5,3e1 ,-4 ");
        assertEquals(new LineSpec("door", new Point(1, 2.5), new Point(30, -4)), line);
    }

    @Test
    void parseErrorsNameTheSettingAndTheProblem() {
        String setting = "vitstream.analytics.cameras.cam-1.lines.door";
        assertMessage(() -> LineSpec.parse(setting, "door", "1,2,3"),
                setting + ": expected 4 numbers x1,y1,x2,y2, got 3");
        assertMessage(() -> LineSpec.parse(setting, "door", "1,2,3,4,5"),
                setting + ": expected 4 numbers x1,y1,x2,y2, got 5");
        assertMessage(() -> LineSpec.parse(setting, "door", "1,2,x3,4"),
                setting + ": value 3 'x3' is not a number (in '1,2,x3,4')");
        assertMessage(() -> LineSpec.parse(setting, "door", "1,,3,4"),
                setting + ": value 2 '' is not a number (in '1,,3,4')");
        assertMessage(() -> LineSpec.parse(setting, "door", "1,NaN,3,4"),
                setting + ": value 2 'NaN' is not finite (in '1,NaN,3,4')");
        assertMessage(() -> LineSpec.parse(setting, "door", "1,2,1e999,4"),
                setting + ": value 3 is not finite (Infinity)");
        assertMessage(() -> LineSpec.parse(setting, "door", ""),
                setting + ": no value (expected numbers separated by commas)");
        assertMessage(() -> LineSpec.parse(setting, "door", "5,5,5.0,5"),
                setting + ": both ends are the same point (5.0, 5.0), so the line has no direction");
        assertMessage(() -> LineSpec.parse(setting, " ", "0,0,1,1"),
                setting + ": the name is missing or blank (' ')");
    }

    @Test
    void constructorRefusesWhatParseRefuses() {
        assertMessage(() -> new LineSpec("door", new Point(1, 1), new Point(1, 1)),
                "line 'door': both ends are the same point (1.0, 1.0), so the line has no direction");
        assertMessage(() -> new LineSpec("door", new Point(Double.NaN, 1), new Point(1, 1)),
                "line 'door': an end is not finite (a = Point[x=NaN, y=1.0], b = Point[x=1.0, y=1.0])");
        assertMessage(() -> new LineSpec(null, new Point(0, 1), new Point(1, 1)),
                "line: the name is missing or blank ('null')");
        assertMessage(() -> HORIZONTAL.side(new Point(0, 0), -1),
                "line 'door': the tolerance must be 0 or more pixels, got -1.0");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
