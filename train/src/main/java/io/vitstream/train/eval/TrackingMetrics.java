package io.vitstream.train.eval;

import io.vitstream.heads.match.Assignment;
import io.vitstream.heads.match.LinearAssignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-object tracking accuracy of one sequence: CLEAR MOT (Bernardin and Stiefelhagen 2008)
 * and the identity metrics (Ristani et al. 2016), both with a truth and a track box matching on a
 * frame when their IoU is at least {@link #MIN_IOU}.
 *
 * <p>Ignored truth (items mostly outside the frame, say) is neither to be found nor wrong to
 * find: on each frame the tracks are first matched to all truth at once, and the tracks matched
 * to ignored truth are dropped with it, as the MOTChallenge kit does with its distractors.
 *
 * <p>CLEAR MOT: frame by frame, a truth keeps the track it was matched to on the previous frame
 * when that track is still there with IoU at least 0.5; the remaining truth and tracks are matched
 * by {@link LinearAssignment} (most pairs, then the highest IoU). A truth matched to another track
 * than the last one it was ever matched to is an identity switch. MOTA = 1 - (misses + false
 * positives + switches) / truth boxes.
 *
 * <p>Identity: each truth id is matched to at most one track id over the whole sequence so that
 * the number of frames they match on (IDTP) is largest; IDF1 = 2 IDTP / (truth boxes + track boxes).
 */
public final class TrackingMetrics {

    /** Least IoU for a truth and a track box to match on a frame. */
    public static final double MIN_IOU = 0.5;

    /** A box with its id, corners in pixels ({@code x2, y2} exclusive). */
    public record Box(long id, double x1, double y1, double x2, double y2) {}

    /**
     * One frame.
     *
     * @param truth the truth to be found
     * @param ignored truth that does not count either way
     * @param tracks the tracker's boxes (each track id at most once)
     */
    public record Frame(List<Box> truth, List<Box> ignored, List<Box> tracks) {}

    /**
     * Totals of one or more sequences.
     *
     * @param truths truth boxes that count
     * @param tracks track boxes that count (after dropping those on ignored truth)
     * @param matches truth-track pairs of CLEAR MOT
     * @param falsePositives track boxes left unmatched
     * @param misses truth boxes left unmatched
     * @param idSwitches CLEAR MOT identity switches
     * @param idtp boxes matched by the identity matching
     */
    public record Counts(long frames, long truths, long tracks, long matches, long falsePositives, long misses,
            long idSwitches, long idtp) {

        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0);

        public Counts plus(Counts o) {
            return new Counts(frames + o.frames, truths + o.truths, tracks + o.tracks, matches + o.matches,
                    falsePositives + o.falsePositives, misses + o.misses, idSwitches + o.idSwitches, idtp + o.idtp);
        }

        public double mota() {
            return truths == 0 ? Double.NaN : 1 - (double) (misses + falsePositives + idSwitches) / truths;
        }

        public double idf1() {
            return truths + tracks == 0 ? Double.NaN : 2.0 * idtp / (truths + tracks);
        }

        /** IDTP over track boxes. */
        public double idPrecision() {
            return tracks == 0 ? Double.NaN : (double) idtp / tracks;
        }

        /** IDTP over truth boxes. */
        public double idRecall() {
            return truths == 0 ? Double.NaN : (double) idtp / truths;
        }
    }

    private TrackingMetrics() {}

    /** The counts of one sequence, frames in order. */
    public static Counts sequence(List<Frame> frames) {
        List<Frame> kept = frames.stream().map(TrackingMetrics::withoutIgnored).toList();
        Counts clear = clearMot(kept);
        return new Counts(clear.frames, clear.truths, clear.tracks, clear.matches, clear.falsePositives, clear.misses,
                clear.idSwitches, identityTruePositives(kept));
    }

    /** The frame with its ignored truth, and the tracks matched to it, taken out. */
    static Frame withoutIgnored(Frame f) {
        if (f.ignored().isEmpty() || f.tracks().isEmpty()) return new Frame(f.truth(), List.of(), f.tracks());
        List<Box> all = new ArrayList<>(f.truth());
        all.addAll(f.ignored());
        Assignment a = match(all, f.tracks());
        boolean[] drop = new boolean[f.tracks().size()];
        for (int k = 0; k < a.rowIndices().length; k++) {
            if (a.rowIndices()[k] >= f.truth().size()) drop[a.colIndices()[k]] = true;
        }
        List<Box> tracks = new ArrayList<>();
        for (int j = 0; j < drop.length; j++) if (!drop[j]) tracks.add(f.tracks().get(j));
        return new Frame(f.truth(), List.of(), tracks);
    }

    private static Counts clearMot(List<Frame> frames) {
        Map<Long, Long> lastTrack = new HashMap<>();
        long truths = 0;
        long tracks = 0;
        long matches = 0;
        long switches = 0;
        for (Frame f : frames) {
            truths += f.truth().size();
            tracks += f.tracks().size();
            boolean[] truthDone = new boolean[f.truth().size()];
            boolean[] trackDone = new boolean[f.tracks().size()];
            // Correspondences of the previous frame that still hold are kept.
            for (int i = 0; i < f.truth().size(); i++) {
                Long previous = lastTrack.get(f.truth().get(i).id());
                for (int j = 0; previous != null && j < f.tracks().size(); j++) {
                    if (!trackDone[j] && f.tracks().get(j).id() == previous && iou(f.truth().get(i), f.tracks().get(j)) >= MIN_IOU) {
                        truthDone[i] = true;
                        trackDone[j] = true;
                        matches++;
                        break;
                    }
                }
            }
            List<Integer> truthLeft = indicesNotDone(truthDone);
            List<Integer> trackLeft = indicesNotDone(trackDone);
            Assignment a = match(truthLeft.stream().map(f.truth()::get).toList(), trackLeft.stream().map(f.tracks()::get).toList());
            for (int k = 0; k < a.rowIndices().length; k++) {
                long truthId = f.truth().get(truthLeft.get(a.rowIndices()[k])).id();
                long trackId = f.tracks().get(trackLeft.get(a.colIndices()[k])).id();
                Long previous = lastTrack.put(truthId, trackId);
                if (previous != null && previous != trackId) switches++;
                matches++;
            }
        }
        return new Counts(frames.size(), truths, tracks, matches, tracks - matches, truths - matches, switches, 0);
    }

    /** Sum of frames matched by the best one-to-one pairing of truth ids with track ids. */
    private static long identityTruePositives(List<Frame> frames) {
        Map<Long, Integer> truthIds = new LinkedHashMap<>();
        Map<Long, Integer> trackIds = new LinkedHashMap<>();
        for (Frame f : frames) {
            f.truth().forEach(b -> truthIds.putIfAbsent(b.id(), truthIds.size()));
            f.tracks().forEach(b -> trackIds.putIfAbsent(b.id(), trackIds.size()));
        }
        double[][] negativeOverlap = new double[truthIds.size()][trackIds.size()];
        for (Frame f : frames) {
            for (Box g : f.truth()) {
                for (Box t : f.tracks()) {
                    if (iou(g, t) >= MIN_IOU) negativeOverlap[truthIds.get(g.id())][trackIds.get(t.id())]--;
                }
            }
        }
        return Math.round(-LinearAssignment.solve(negativeOverlap).totalCost());
    }

    /**
     * The pairs of boxes with IoU at least {@link #MIN_IOU}: as many as possible, then the highest
     * total IoU. Pairs below the threshold cost more than any set of valid pairs can save, so the
     * solver (which pairs all of the smaller side) takes them only when nothing else is left; they
     * are dropped from the result.
     */
    static Assignment match(List<Box> rows, List<Box> cols) {
        if (rows.isEmpty() || cols.isEmpty()) return Assignment.EMPTY;
        double invalid = 1 + Math.min(rows.size(), cols.size());
        double[][] cost = new double[rows.size()][cols.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < cols.size(); j++) {
                double iou = iou(rows.get(i), cols.get(j));
                cost[i][j] = iou >= MIN_IOU ? 1 - iou : invalid;
            }
        }
        Assignment a = LinearAssignment.solve(cost);
        List<Integer> r = new ArrayList<>();
        List<Integer> c = new ArrayList<>();
        double total = 0;
        for (int k = 0; k < a.rowIndices().length; k++) {
            if (cost[a.rowIndices()[k]][a.colIndices()[k]] < invalid) {
                r.add(a.rowIndices()[k]);
                c.add(a.colIndices()[k]);
                total += cost[a.rowIndices()[k]][a.colIndices()[k]];
            }
        }
        return new Assignment(r.stream().mapToInt(Integer::intValue).toArray(), c.stream().mapToInt(Integer::intValue).toArray(), total);
    }

    /** Intersection over union of two boxes; 0 when either is empty. */
    public static double iou(Box a, Box b) {
        double iw = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
        double ih = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih;
        double union = (a.x2() - a.x1()) * (a.y2() - a.y1()) + (b.x2() - b.x1()) * (b.y2() - b.y1()) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    private static List<Integer> indicesNotDone(boolean[] done) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < done.length; i++) if (!done[i]) out.add(i);
        return out;
    }
}
