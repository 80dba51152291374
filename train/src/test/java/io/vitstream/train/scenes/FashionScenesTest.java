package io.vitstream.train.scenes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.train.data.DetectionSet;
import io.vitstream.train.data.ImageSet;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

/** Scenes are reproducible, boxes are tight and inside, and items stay apart. */
public class FashionScenesTest {

    /** Grey 28x28 "items": a bright rectangle of random size, one class per rectangle shape. */
    public static ImageSet items(int n) {
        Random rng = new Random(5);
        byte[] px = new byte[n * 28 * 28];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            int x0 = 2 + rng.nextInt(6);
            int y0 = 2 + rng.nextInt(6);
            int x1 = 20 + rng.nextInt(6);
            int y1 = 20 + rng.nextInt(6);
            for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) px[i * 784 + y * 28 + x] = (byte) 200;
        }
        return new ImageSet(List.of("a", "b", "c"), labels, 28, 28, 1, px);
    }

    @Test
    void sameSeedSameScenes() {
        DetectionSet a = FashionScenes.DEFAULT.generate(items(20), 10, 7);
        DetectionSet b = FashionScenes.DEFAULT.generate(items(20), 10, 7);
        assertArrayEquals(a.pixels(), b.pixels());
        for (int i = 0; i < 10; i++) assertArrayEquals(a.objects().get(i).boxes(), b.objects().get(i).boxes());
    }

    @Test
    void everyBrightPixelIsInABoxAndBoxesAreInsideAndApart() {
        FashionScenes scenes = FashionScenes.DEFAULT;
        DetectionSet set = scenes.generate(items(30), 40, 3);
        int objects = 0;
        for (int n = 0; n < set.size(); n++) {
            float[][] boxes = set.objects().get(n).boxes();
            objects += boxes.length;
            assertTrue(boxes.length >= 1 && boxes.length <= 4);
            for (float[] b : boxes) {
                assertTrue(b[0] >= 0 && b[1] >= 0 && b[2] <= 64 && b[3] <= 64 && b[2] > b[0] && b[3] > b[1]);
                for (float[] o : boxes) if (o != b) assertTrue(FashionScenes.overlap(b, o) <= scenes.maxOverlap() + 1e-9);
            }
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    if ((set.pixels()[n * set.imageBytes() + (y * 64 + x) * 3] & 0xff) <= FashionScenes.INK) continue;
                    boolean inside = false;
                    for (float[] b : boxes) inside |= x >= b[0] && x < b[2] && y >= b[1] && y < b[3];
                    assertTrue(inside, "bright pixel (" + x + ", " + y + ") of scene " + n + " is in no box");
                }
            }
        }
        assertTrue(objects > 60, "about 2.5 objects per scene, got " + objects);
    }

    @Test
    void inkBoundsAreTightAndExclusive() {
        byte[] g = new byte[10 * 10];
        g[3 * 10 + 2] = (byte) 100;
        g[6 * 10 + 7] = (byte) 17;
        g[9 * 10 + 9] = (byte) 16;
        assertArrayEquals(new int[] {2, 3, 8, 7}, FashionScenes.inkBounds(g, 10));
        assertEquals(null, FashionScenes.inkBounds(new byte[4], 2));
    }
}
