package io.vitstream.train.eval;

import io.vitstream.analytics.sequences.FrameEvent;
import io.vitstream.heads.match.Assignment;
import io.vitstream.heads.match.LinearAssignment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Precision and recall of events against the truth's. A reported event and a true one match when
 * they have the same type, the same line or zone, the same direction (line crossings) and frames
 * at most {@code window} apart; which item or track, and its class, do not matter (the counts of a
 * line or zone are what a user reads). Events are paired one to one, as many pairs as possible,
 * then the smallest total time offset ({@link LinearAssignment}).
 */
public final class EventMetrics {

    /**
     * Totals of one event type.
     *
     * @param truths true events
     * @param reported reported events
     * @param matched pairs
     */
    public record Counts(long truths, long reported, long matched) {

        public static final Counts ZERO = new Counts(0, 0, 0);

        public Counts plus(Counts o) {
            return new Counts(truths + o.truths, reported + o.reported, matched + o.matched);
        }

        /** Matched over reported; NaN when nothing was reported. */
        public double precision() {
            return reported == 0 ? Double.NaN : (double) matched / reported;
        }

        /** Matched over true; NaN when nothing happened. */
        public double recall() {
            return truths == 0 ? Double.NaN : (double) matched / truths;
        }
    }

    private EventMetrics() {}

    /** What must agree for two events to match, besides the frame. */
    private record Key(String type, String line, String zone, String direction) {
        static Key of(FrameEvent e) {
            return new Key(e.type(), e.line(), e.zone(), e.direction());
        }
    }

    /**
     * Per event type (sorted by name), the counts of one sequence.
     *
     * @param window largest frame difference of a matching pair
     */
    public static Map<String, Counts> sequence(List<FrameEvent> truth, List<FrameEvent> reported, int window) {
        if (window < 0) throw new IllegalArgumentException("event window must be >= 0 frames, got " + window);
        Map<Key, List<FrameEvent>> truthByKey = group(truth);
        Map<Key, List<FrameEvent>> reportedByKey = group(reported);
        Map<String, Counts> out = new TreeMap<>();
        truthByKey.forEach((k, v) -> out.merge(k.type(), new Counts(v.size(), 0, 0), Counts::plus));
        reportedByKey.forEach((k, v) -> out.merge(k.type(), new Counts(0, v.size(), 0), Counts::plus));
        truthByKey.forEach((k, t) -> {
            List<FrameEvent> r = reportedByKey.getOrDefault(k, List.of());
            out.merge(k.type(), new Counts(0, 0, matches(t, r, window)), Counts::plus);
        });
        return out;
    }

    /** Most pairs within the window, then the least total offset. */
    static int matches(List<FrameEvent> truth, List<FrameEvent> reported, int window) {
        if (truth.isEmpty() || reported.isEmpty()) return 0;
        // Any pair outside the window costs more than all pairs inside it together.
        double outside = (window + 1.0) * (Math.min(truth.size(), reported.size()) + 1);
        double[][] cost = new double[truth.size()][reported.size()];
        for (int i = 0; i < truth.size(); i++) {
            for (int j = 0; j < reported.size(); j++) {
                int offset = Math.abs(truth.get(i).frame() - reported.get(j).frame());
                cost[i][j] = offset <= window ? offset : outside;
            }
        }
        Assignment a = LinearAssignment.solve(cost);
        int n = 0;
        for (int k = 0; k < a.rowIndices().length; k++) {
            if (cost[a.rowIndices()[k]][a.colIndices()[k]] < outside) n++;
        }
        return n;
    }

    private static Map<Key, List<FrameEvent>> group(List<FrameEvent> events) {
        Map<Key, List<FrameEvent>> out = new LinkedHashMap<>();
        for (FrameEvent e : events) {
            Objects.requireNonNull(e.type(), "event type");
            out.computeIfAbsent(Key.of(e), k -> new ArrayList<>()).add(e);
        }
        return out;
    }
}
