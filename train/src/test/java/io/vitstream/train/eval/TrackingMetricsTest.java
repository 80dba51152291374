package io.vitstream.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vitstream.train.eval.TrackingMetrics.Box;
import io.vitstream.train.eval.TrackingMetrics.Counts;
import io.vitstream.train.eval.TrackingMetrics.Frame;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class TrackingMetricsTest {

    private static final double EPS = 1e-12;

    private static Box box(long id, double x1, double y1, double x2, double y2) {
        return new Box(id, x1, y1, x2, y2);
    }

    /** A 10x10 box at x. */
    private static Box at(long id, double x) {
        return box(id, x, 0, x + 10, 10);
    }

    private static Frame frame(List<Box> truth, List<Box> tracks) {
        return new Frame(truth, List.of(), tracks);
    }

    @Test
    void perfectTrackingScoresOne() {
        List<Frame> frames = new ArrayList<>();
        for (int t = 0; t < 3; t++) frames.add(frame(List.of(at(1, t)), List.of(at(7, t))));
        Counts c = TrackingMetrics.sequence(frames);
        // 3 truth boxes, 3 matches, nothing missed or extra: MOTA = 1 - 0/3; IDTP 3, IDF1 = 2*3/(3+3).
        assertEquals(new Counts(3, 3, 3, 3, 0, 0, 0, 3), c);
        assertEquals(1.0, c.mota(), EPS);
        assertEquals(1.0, c.idf1(), EPS);
    }

    @Test
    void aNewTrackOnTheSameItemIsOneSwitchAndHalvesIdf1() {
        // Item 1 on 4 frames; track 7 follows it on frames 0-1, track 8 on frames 2-3.
        List<Frame> frames = List.of(frame(List.of(at(1, 0)), List.of(at(7, 0))), frame(List.of(at(1, 0)), List.of(at(7, 0))),
                frame(List.of(at(1, 0)), List.of(at(8, 0))), frame(List.of(at(1, 0)), List.of(at(8, 0))));
        Counts c = TrackingMetrics.sequence(frames);
        // Frame 2: the last track of item 1 was 7, now 8: one switch. MOTA = 1 - 1/4 = 0.75.
        // IDTP: item 1 with 7 on 2 frames, with 8 on 2 frames; one of them: 2. IDF1 = 2*2/(4+4) = 0.5.
        assertEquals(1, c.idSwitches());
        assertEquals(0.75, c.mota(), EPS);
        assertEquals(2, c.idtp());
        assertEquals(0.5, c.idf1(), EPS);
        assertEquals(0.5, c.idPrecision(), EPS);
        assertEquals(0.5, c.idRecall(), EPS);
    }

    @Test
    void thePreviousCorrespondenceIsKeptWhileItHoldsEvenWhenAnotherTrackFitsBetter() {
        // Frame 1: track 1 is (0,0)-(10,12), IoU 100/120 = 0.83 with the item; track 2 fits exactly.
        List<Frame> frames = List.of(frame(List.of(at(1, 0)), List.of(at(1, 0))),
                frame(List.of(at(1, 0)), List.of(box(1, 0, 0, 10, 12), at(2, 0))));
        Counts c = TrackingMetrics.sequence(frames);
        // Kept: item 1 - track 1 on both frames, track 2 is a false positive, no switch.
        // MOTA = 1 - (0 misses + 1 FP + 0 switches) / 2 truth boxes = 0.5.
        // IDTP: item 1 with track 1 on 2 frames (best), with track 2 on 1. IDF1 = 2*2/(2+3) = 0.8.
        assertEquals(new Counts(2, 2, 3, 2, 1, 0, 0, 2), c);
        assertEquals(0.5, c.mota(), EPS);
        assertEquals(0.8, c.idf1(), EPS);
    }

    @Test
    void iouOfOneHalfMatchesAndLessDoesNot() {
        // (0,0)-(10,20) on (0,0)-(10,10): 100 / 200 = 0.5, a match.
        assertEquals(1, TrackingMetrics.sequence(List.of(frame(List.of(at(1, 0)), List.of(box(5, 0, 0, 10, 20))))).matches());
        // Shifted by 5: 50 / 150 = 0.33: a miss and a false positive, MOTA = 1 - 2/1 = -1.
        Counts c = TrackingMetrics.sequence(List.of(frame(List.of(at(1, 0)), List.of(at(5, 5)))));
        assertEquals(new Counts(1, 1, 1, 0, 1, 1, 0, 0), c);
        assertEquals(-1.0, c.mota(), EPS);
        assertEquals(0.0, c.idf1(), EPS);
    }

    @Test
    void aSwitchIsCountedAgainstTheLastTrackEvenAcrossAMissedFrame() {
        // Frame 0 track 7, frame 1 nothing, frame 2 track 8.
        List<Frame> frames = List.of(frame(List.of(at(1, 0)), List.of(at(7, 0))), frame(List.of(at(1, 0)), List.of()),
                frame(List.of(at(1, 0)), List.of(at(8, 0))));
        Counts c = TrackingMetrics.sequence(frames);
        // 3 truth boxes, 2 matches, 1 miss, 1 switch: MOTA = 1 - (1 + 0 + 1)/3 = 1/3.
        assertEquals(new Counts(3, 3, 2, 2, 0, 1, 1, 1), c);
        assertEquals(1.0 / 3, c.mota(), EPS);
        // IDTP 1 (either track): IDF1 = 2*1/(3+2) = 0.4.
        assertEquals(0.4, c.idf1(), EPS);
    }

    @Test
    void twoItemsTradingTracksAreTwoSwitches() {
        List<Frame> frames = List.of(frame(List.of(at(1, 0), at(2, 20)), List.of(at(10, 0), at(11, 20))),
                frame(List.of(at(1, 0), at(2, 20)), List.of(at(10, 20), at(11, 0))));
        Counts c = TrackingMetrics.sequence(frames);
        // 4 truth boxes, 4 matches, 2 switches: MOTA = 1 - 2/4 = 0.5. IDTP 2 of 4: IDF1 = 4/8 = 0.5.
        assertEquals(2, c.idSwitches());
        assertEquals(0.5, c.mota(), EPS);
        assertEquals(0.5, c.idf1(), EPS);
    }

    @Test
    void identityMatchingIsGlobalNotGreedy() {
        // Frames 0-2: item 1 with track A (id 10); frames 3-4: item 1 with track B (11); frames 5-6:
        // item 2 (elsewhere) with track A. Frames matched per pair: 1-A 3, 1-B 2, 2-A 2, 2-B 0.
        List<Frame> frames = new ArrayList<>();
        for (int t = 0; t < 3; t++) frames.add(frame(List.of(at(1, 0)), List.of(at(10, 0))));
        for (int t = 3; t < 5; t++) frames.add(frame(List.of(at(1, 0)), List.of(at(11, 0))));
        for (int t = 5; t < 7; t++) frames.add(frame(List.of(at(2, 50)), List.of(at(10, 50))));
        Counts c = TrackingMetrics.sequence(frames);
        // Greedy (1-A first) would give 3 + 0; the best pairing is 1-B and 2-A: 2 + 2 = 4.
        // IDF1 = 2*4/(7+7) = 4/7. CLEAR: one switch (frame 3, A -> B); item 2 is new to A: none.
        // MOTA = 1 - 1/7 = 6/7.
        assertEquals(4, c.idtp());
        assertEquals(4.0 / 7, c.idf1(), EPS);
        assertEquals(1, c.idSwitches());
        assertEquals(6.0 / 7, c.mota(), EPS);
    }

    @Test
    void tracksOnIgnoredTruthCountNeitherWay() {
        // Item 1 counts, item 2 is ignored; track 1 on item 1, track 2 on item 2, track 3 on nothing.
        Frame f = new Frame(List.of(at(1, 0)), List.of(at(2, 100)), List.of(at(1, 0), at(2, 100), at(3, 200)));
        Counts c = TrackingMetrics.sequence(List.of(f));
        // Track 2 goes with item 2. Left: 1 truth box, tracks 1 and 3; 1 match, 1 FP (track 3).
        // MOTA = 1 - 1/1 = 0; IDTP 1, IDF1 = 2*1/(1+2) = 2/3.
        assertEquals(new Counts(1, 1, 2, 1, 1, 0, 0, 1), c);
        assertEquals(0.0, c.mota(), EPS);
        assertEquals(2.0 / 3, c.idf1(), EPS);
    }

    @Test
    void countsOfSequencesAdd() {
        Counts a = new Counts(3, 3, 3, 3, 0, 0, 0, 3);
        Counts b = new Counts(1, 1, 1, 0, 1, 1, 0, 0);
        // Together: 4 truth boxes, 1 miss and 1 FP: MOTA = 1 - 2/4 = 0.5; IDF1 = 2*3/(4+4) = 0.75.
        assertEquals(0.5, a.plus(b).mota(), EPS);
        assertEquals(0.75, a.plus(b).idf1(), EPS);
    }
}
