package io.vitstream.analytics.sequences;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

class SequenceGeneratorTest {

    /** Small frames keep the test quick; busier than the default so items meet. */
    private static final SequenceSettings SMALL =
            new SequenceSettings(320, 180, 200, 10, 4, 0.6, 1.2, 0.05, 0.3, 0.002, 0.05, 4, 0.15);

    private static final Sprites SPRITES = Sprites.bundled();

    @Test
    void sameSeedSameSequenceOtherSeedAnother() {
        Sequence a = SequenceGenerator.generate(SMALL, SPRITES, 5);
        Sequence b = SequenceGenerator.generate(SMALL, SPRITES, 5);
        assertEquals(a.frames(), b.frames());
        for (int t = 0; t < SMALL.frames(); t += 37) assertArrayEquals(pixels(a.render(t)), pixels(b.render(t)));
        assertNotEquals(a.frames(), SequenceGenerator.generate(SMALL, SPRITES, 6).frames());
    }

    @Test
    void boxesAreTheTightBoundsOfTheInkDrawn() {
        Sequence s = SequenceGenerator.generate(SMALL, SPRITES, 11);
        for (TruthFrame f : s.frames()) {
            byte[] px = pixels(s.render(f.index()));
            List<TruthObject> drawn = f.objects().stream().filter(TruthObject::visible).toList();
            for (int y = 0; y < SMALL.height(); y++) {
                for (int x = 0; x < SMALL.width(); x++) {
                    if ((px[y * SMALL.width() + x] & 0xff) <= SequenceGenerator.INK) continue;
                    int fx = x;
                    int fy = y;
                    assertTrue(drawn.stream().anyMatch(o -> fx >= o.x1() && fx < o.x2() && fy >= o.y1() && fy < o.y2()),
                            "frame " + f.index() + ": ink at " + x + "," + y + " outside every drawn box");
                }
            }
            // Brighter wins, so an item's own ink stays above the threshold: every edge of its box touches ink.
            for (TruthObject o : drawn) {
                assertTrue(inkInRect(px, o.x1(), o.y1(), o.x1() + 1, o.y2()), "left edge of " + o);
                assertTrue(inkInRect(px, o.x2() - 1, o.y1(), o.x2(), o.y2()), "right edge of " + o);
                assertTrue(inkInRect(px, o.x1(), o.y1(), o.x2(), o.y1() + 1), "top edge of " + o);
                assertTrue(inkInRect(px, o.x1(), o.y2() - 1, o.x2(), o.y2()), "bottom edge of " + o);
            }
        }
    }

    @Test
    void itemsEnterFromAnEdgeKeepTheirIdAndLabelAndComeBackAfterShortOcclusions() {
        Sequence s = SequenceGenerator.generate(SMALL, SPRITES, 3);
        Map<Integer, int[]> span = new HashMap<>();
        Map<Integer, String> label = new HashMap<>();
        Map<Integer, Integer> hiddenRun = new HashMap<>();
        int occluded = 0;
        for (TruthFrame f : s.frames()) {
            for (TruthObject o : f.objects()) {
                int[] sp = span.computeIfAbsent(o.id(), k -> new int[] {f.index(), f.index() - 1});
                assertEquals(sp[1] + 1, f.index(), "item " + o.id() + " is listed on every frame from its first to its last");
                sp[1] = f.index();
                assertEquals(label.computeIfAbsent(o.id(), k -> o.label()), o.label());
                if (sp[0] == f.index() && f.index() > 0) {
                    assertTrue(o.inFrame() < 1, "item " + o.id() + " appears at frame " + f.index() + " already whole");
                }
                int run = o.visible() ? 0 : hiddenRun.getOrDefault(o.id(), 0) + 1;
                hiddenRun.put(o.id(), run);
                assertTrue(run <= SMALL.maxOcclusion(), "item " + o.id() + " hidden for " + run + " frames");
                if (!o.visible()) occluded++;
            }
        }
        assertEquals(s.items(), span.size());
        assertTrue(s.items() >= 6, "only " + s.items() + " items in " + SMALL.frames() + " frames");
        assertTrue(occluded > 0, "no occlusion at probability " + SMALL.occlusionProbability());
        // Ids number the items by first appearance.
        int[] previousStart = {-1};
        span.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            assertTrue(e.getValue()[0] >= previousStart[0], "item " + e.getKey() + " appears before an item with a smaller id");
            previousStart[0] = e.getValue()[0];
        });
    }

    @Test
    void wholeItemsNeverOverlapMoreThanAllowedAndKeepTheirScale() {
        Sequence s = SequenceGenerator.generate(SMALL, SPRITES, 21);
        double widest = SMALL.maxScale() * Sprite.SIDE * SMALL.width() / 64;
        double tallest = SMALL.maxScale() * Sprite.SIDE * SMALL.height() / 64;
        int pairs = 0;
        for (TruthFrame f : s.frames()) {
            List<TruthObject> whole = f.objects().stream().filter(o -> o.inFrame() == 1.0).toList();
            for (TruthObject o : whole) {
                assertTrue(o.x2() - o.x1() <= Math.ceil(widest) && o.y2() - o.y1() <= Math.ceil(tallest), o.toString());
            }
            for (int i = 0; i < whole.size(); i++) {
                for (int j = i + 1; j < whole.size(); j++) {
                    pairs++;
                    double overlap = SequenceGenerator.overlap(box(whole.get(i)), box(whole.get(j)));
                    assertTrue(overlap <= SMALL.maxOverlap(), "frame " + f.index() + ": " + whole.get(i) + " and "
                            + whole.get(j) + " overlap " + overlap);
                }
            }
        }
        assertTrue(pairs > 0, "no two whole items ever share a frame");
    }

    @Test
    void noOcclusionsWhenTheirProbabilityIsZero() {
        SequenceSettings none = new SequenceSettings(320, 180, 100, 10, 3, 0.6, 1.2, 0.05, 0.3, 0.002, 0, 4, 0.15);
        Sequence s = SequenceGenerator.generate(none, SPRITES, 1);
        assertFalse(s.frames().stream().flatMap(f -> f.objects().stream()).anyMatch(o -> !o.visible()));
    }

    @Test
    void withSizeKeepsEverythingElse() {
        SequenceSettings s = SequenceSettings.DEFAULT.withSize(640, 480);
        assertEquals(new SequenceSettings(640, 480, 300, 10, 3, 0.6, 1.2, 0.03, 0.2, 0.002, 0.02, 4, 0.15), s);
    }

    private static int[] box(TruthObject o) {
        return new int[] {o.x1(), o.y1(), o.x2(), o.y2()};
    }

    private boolean inkInRect(byte[] px, int x0, int y0, int x1, int y1) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if ((px[y * SMALL.width() + x] & 0xff) > SequenceGenerator.INK) return true;
            }
        }
        return false;
    }

    private static byte[] pixels(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }
}
