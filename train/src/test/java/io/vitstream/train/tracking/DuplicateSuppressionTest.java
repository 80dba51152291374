package io.vitstream.train.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vitstream.analytics.Observation;

import org.junit.jupiter.api.Test;

import java.util.List;

class DuplicateSuppressionTest {

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
        assertEquals(List.of(a, c, d), DuplicateSuppression.suppress(List.of(d, c, b, a), 0.5));
    }

    @Test
    void theHigherScoreWinsWhateverTheOrder() {
        Observation low = box(0, 0, 10, 10, 0.55);
        Observation high = box(0, 0, 10, 11, 0.95);
        assertEquals(List.of(high), DuplicateSuppression.suppress(List.of(low, high), 0.3));
    }
}
