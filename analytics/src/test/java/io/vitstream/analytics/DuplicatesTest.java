package io.vitstream.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.List;

class DuplicatesTest {

    private static Observation box(double x1, double y1, double x2, double y2, double score) {
        return new Observation(x1, y1, x2, y2, score, 0, "T-shirt/top");
    }

    @Test
    void aLowerScoringDuplicateGoesAndSeparateOrBarelyOverlappingBoxesStay() {
        Observation a = box(0, 0, 10, 10, 0.9);
        // b on a: intersection 9 x 10 = 90, union 100 + 100 - 90 = 110, IoU 0.82 > 0.5: dropped.
        Observation b = box(1, 0, 11, 10, 0.8);
        // c beside a: no overlap.
        Observation c = box(20, 0, 30, 10, 0.7);
        // d on a: intersection 100, union 100 + 200 - 100 = 200, IoU exactly 0.5: not more, kept.
        Observation d = box(0, 0, 10, 20, 0.6);
        assertEquals(List.of(a, c, d), Duplicates.suppress(List.of(d, c, b, a), 0.5));
        assertEquals(List.of(0, 1, 3), Duplicates.kept(List.of(d, c, b, a), 0.5), "indices in input order");
        assertEquals(List.of(0, 1, 2, 3), Duplicates.kept(List.of(d, c, b, a), 1.0), "1 keeps everything");
    }

    @Test
    void theHigherScoreWinsWhateverTheOrder() {
        Observation low = box(0, 0, 10, 10, 0.55);
        Observation high = box(0, 0, 10, 11, 0.95);
        assertEquals(List.of(high), Duplicates.suppress(List.of(low, high), 0.3));
    }
}
