package io.vitstream.stream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.results.FrameResult;
import io.vitstream.stream.api.LatestResults;

import org.junit.jupiter.api.Test;

import java.util.Optional;

/** Keys are bounded and printable; per-camera state does not grow with every key ever sent. */
class CameraStateBoundsTest {

    @Test
    void keysAreBoundedInUtf8BytesAndMustBePrintable() {
        assertTrue(CameraKeys.problem("", 256).isEmpty(), "no key is fine");
        assertTrue(CameraKeys.problem("cam-1/Eingang Süd", 256).isEmpty());
        assertTrue(CameraKeys.problem("a".repeat(256), 256).isEmpty());
        assertTrue(CameraKeys.problem("a".repeat(257), 256).get().contains("257 bytes"));
        // 86 euro signs are 86 characters but 258 UTF-8 bytes.
        assertTrue(CameraKeys.problem("€".repeat(86), 256).get().contains("258 bytes"));
        assertTrue(CameraKeys.problem("cam\u0000", 256).get().contains("U+0000"));
        assertTrue(CameraKeys.problem("cam\n2", 256).get().contains("U+000A"));
        assertTrue(CameraKeys.problem("bad\uFFFDutf8", 256).get().contains("U+FFFD"), "what invalid UTF-8 decodes to");
        assertTrue(CameraKeys.problem("lone\uD800", 256).isPresent(), "an unpaired surrogate");

        String shown = CameraKeys.shown("x\u0001" + "y".repeat(700_000));
        assertEquals(CameraKeys.SHOWN_CHARS + 3, shown.length());
        assertTrue(shown.startsWith("x?yyy") && shown.endsWith("..."), shown);
        assertEquals("cam-1", CameraKeys.shown("cam-1"));
    }

    @Test
    void skipCountsAreKeptForTheMostRecentCamerasOnly() {
        SkipPolicy p = new SkipPolicy(2, Optional.empty(), 100);
        long now = System.currentTimeMillis();
        for (int i = 0; i < 10_000; i++) {
            p.check(frame("cam-" + i, i, now), now);
        }
        assertEquals(100, p.cameras(), "10,000 distinct keys, state for 100");
        // A camera still sending keeps its stride across the churn of others.
        assertTrue(p.check(frame("steady", 0, now), now).isEmpty());
        for (int i = 0; i < 50; i++) {
            p.check(frame("other-" + i, i, now), now);
        }
        assertEquals(Optional.of("stride"), p.check(frame("steady", 1, now), now));
    }

    @Test
    void latestResultsAreBoundedAndASkipNeverHidesARealResult() {
        LatestResults latest = new LatestResults(3);
        for (int i = 0; i < 10; i++) {
            latest.put(result("cam-" + i, 0, FrameResult.Status.OK));
        }
        assertEquals(3, latest.all().size());
        assertTrue(latest.all().keySet().containsAll(java.util.List.of("cam-7", "cam-8", "cam-9")), latest.all().keySet().toString());

        LatestResults one = new LatestResults(10);
        one.put(result("cam", 5, FrameResult.Status.SKIPPED));
        assertEquals(FrameResult.Status.SKIPPED, one.camera("cam").get("classification").status(), "a skip while there is nothing else");
        one.put(result("cam", 6, FrameResult.Status.OK));
        one.put(result("cam", 7, FrameResult.Status.SKIPPED));
        assertEquals(FrameResult.Status.OK, one.camera("cam").get("classification").status());
        assertEquals(6, one.camera("cam").get("classification").frame().offset());
        one.put(result("cam", 8, FrameResult.Status.OK));
        assertEquals(8, one.camera("cam").get("classification").frame().offset());
        one.put(result("cam", 3, FrameResult.Status.OK));
        assertEquals(8, one.camera("cam").get("classification").frame().offset(), "an older offset does not win");
        assertFalse(one.all().isEmpty());
    }

    private static Frame frame(String camera, long offset, long now) {
        return new Frame(camera, new byte[0], "frames", 0, offset, offset, now, System.nanoTime());
    }

    private static FrameResult result(String camera, long offset, FrameResult.Status status) {
        return new FrameResult(FrameResult.SCHEMA, camera, "classification", status,
                status == FrameResult.Status.SKIPPED ? "stride" : null,
                new FrameResult.FrameRef("frames", 0, offset, offset, 0L, 64, 64), null, null, 0, null);
    }
}
