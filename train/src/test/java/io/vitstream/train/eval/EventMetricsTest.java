package io.vitstream.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vitstream.analytics.sequences.FrameEvent;
import io.vitstream.train.eval.EventMetrics.Counts;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class EventMetricsTest {

    private static FrameEvent cross(int frame, String line, String direction) {
        return new FrameEvent(frame, "line-cross", 1, "Bag", line, null, direction, null);
    }

    private static FrameEvent enter(int frame, String zone) {
        return new FrameEvent(frame, "zone-enter", 1, "Bag", null, zone, null, null);
    }

    @Test
    void eventsMatchWithinTheWindowOnly() {
        // Offset 4 <= 5: a match; offset 6 > 5: a false event and a missed one.
        assertEquals(Map.of("line-cross", new Counts(1, 1, 1)),
                EventMetrics.sequence(List.of(cross(10, "door", "in")), List.of(cross(14, "door", "in")), 5));
        assertEquals(Map.of("line-cross", new Counts(1, 1, 0)),
                EventMetrics.sequence(List.of(cross(10, "door", "in")), List.of(cross(16, "door", "in")), 5));
    }

    @Test
    void directionAndNameMustAgree() {
        List<FrameEvent> truth = List.of(cross(10, "door", "in"));
        assertEquals(new Counts(1, 1, 0), EventMetrics.sequence(truth, List.of(cross(10, "door", "out")), 5).get("line-cross"));
        assertEquals(new Counts(1, 1, 0), EventMetrics.sequence(truth, List.of(cross(10, "gate", "in")), 5).get("line-cross"));
        assertEquals(new Counts(1, 1, 0), EventMetrics.sequence(List.of(enter(3, "till")), List.of(enter(3, "exit")), 5)
                .get("zone-enter"));
    }

    @Test
    void pairsAreOneToOneAndAsManyAsPossible() {
        // Truth at 10 and 14, reports at 12 and 19, window 5. Possible pairs: 10-12 (2), 14-12 (2),
        // 14-19 (5); 10-19 is 9 apart. Taking 14-12 would leave 10 alone; the most pairs are 10-12
        // and 14-19: precision 2/2, recall 2/2.
        Counts c = EventMetrics.sequence(List.of(cross(10, "door", "in"), cross(14, "door", "in")),
                List.of(cross(12, "door", "in"), cross(19, "door", "in")), 5).get("line-cross");
        assertEquals(new Counts(2, 2, 2), c);
        // One report cannot serve two true events: recall 1/2, precision 1/1.
        c = EventMetrics.sequence(List.of(cross(10, "door", "in"), cross(11, "door", "in")), List.of(cross(10, "door", "in")), 5)
                .get("line-cross");
        assertEquals(0.5, c.recall(), 1e-12);
        assertEquals(1.0, c.precision(), 1e-12);
    }

    @Test
    void countsAreKeptPerTypeAcrossNames() {
        // zone-enter: truth 2 (till, exit), reported 1 (till, on time): P = 1/1, R = 1/2.
        // line-cross: truth 0, reported 1: P = 0/1, recall undefined.
        Map<String, Counts> m = EventMetrics.sequence(List.of(enter(5, "till"), enter(8, "exit")),
                List.of(enter(6, "till"), cross(3, "door", "in")), 5);
        assertEquals(new Counts(2, 1, 1), m.get("zone-enter"));
        assertEquals(1.0, m.get("zone-enter").precision(), 1e-12);
        assertEquals(0.5, m.get("zone-enter").recall(), 1e-12);
        assertEquals(new Counts(0, 1, 0), m.get("line-cross"));
        assertEquals(0.0, m.get("line-cross").precision(), 1e-12);
        assertEquals(Double.NaN, m.get("line-cross").recall());
    }
}
