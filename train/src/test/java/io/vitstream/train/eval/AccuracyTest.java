package io.vitstream.train.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

class AccuracyTest {

    @Test
    void countsTopOneTopFiveAndConfusion() {
        Accuracy acc = new Accuracy(6);
        acc.add(new float[] {
            5, 1, 0, 0, 0, 0,
            0, 1, 2, 3, 4, 5,
            1, 2, 3, 4, 5, 6}, new int[] {0, 1, 0});
        assertEquals(3, acc.count());
        assertEquals(1.0 / 3, acc.top1(), 1e-12);
        assertEquals(2.0 / 3, acc.top5(), 1e-12, "class 0 is last of six in the third row");
        long[][] c = acc.confusion();
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 1}, c[0]);
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 1}, c[1]);
        assertTrue(acc.confusionMarkdown(List.of("a", "b", "c", "d", "e", "f")).contains("| 0 a | 1 | 0 | 0 | 0 | 0 | 1 |"));
    }
}
