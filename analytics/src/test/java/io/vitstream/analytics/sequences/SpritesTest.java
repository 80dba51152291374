package io.vitstream.analytics.sequences;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class SpritesTest {

    private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    @Test
    void bundledSheetHoldsTwentyInkedItemsPerClassInLabelOrder() {
        Sprites sprites = Sprites.bundled();
        assertEquals(200, sprites.size());
        for (int k = 0; k < sprites.size(); k++) {
            Sprite s = sprites.get(k);
            assertEquals(k / 20, s.labelId(), "sprite " + k);
            assertEquals(FASHION.get(k / 20), s.label(), "sprite " + k);
            int inked = 0;
            for (byte b : s.grey()) if ((b & 0xff) > SequenceGenerator.INK) inked++;
            assertTrue(inked > 20, "sprite " + k + " has only " + inked + " inked pixels");
        }
    }

    @Test
    void firstPerClassTakesTheEarliestImagesOfEachClass() {
        // Five 28x28 images, image i filled with the value i + 1; labels 1, 0, 1, 0, 0.
        int n = Sprite.SIDE * Sprite.SIDE;
        byte[] grey = new byte[5 * n];
        for (int i = 0; i < 5; i++) java.util.Arrays.fill(grey, i * n, (i + 1) * n, (byte) (i + 1));
        Sprites s = Sprites.firstPerClass(List.of("a", "b"), new int[] {1, 0, 1, 0, 0}, grey, 2, "test");
        // Class 0 first: images 1 and 3 (values 2 and 4); then class 1: images 0 and 2 (values 1 and 3).
        assertEquals(List.of(2, 4, 1, 3), s.all().stream().map(x -> (int) x.grey()[0]).toList());
        assertEquals(List.of("a", "a", "b", "b"), s.all().stream().map(Sprite::label).toList());
        assertThrows(IllegalArgumentException.class,
                () -> Sprites.firstPerClass(List.of("a", "b"), new int[] {1, 0, 1, 0, 0}, grey, 3, "test"));
    }

    @Test
    void writeThenReadGivesTheSameSpritesAndTheSameBytes(@TempDir Path dir) throws Exception {
        Sprites bundled = Sprites.bundled();
        Sprites few = Sprites.of(bundled.all().subList(15, 42));
        few.write(dir.resolve("s.png"), dir.resolve("s.tsv"));
        Sprites back;
        try (InputStream png = Files.newInputStream(dir.resolve("s.png")); InputStream tsv = Files.newInputStream(dir.resolve("s.tsv"))) {
            back = Sprites.read(png, tsv);
        }
        assertEquals(27, back.size());
        for (int k = 0; k < 27; k++) {
            assertEquals(few.get(k).label(), back.get(k).label());
            assertEquals(few.get(k).labelId(), back.get(k).labelId());
            assertArrayEquals(few.get(k).grey(), back.get(k).grey());
        }
        byte[] first = Files.readAllBytes(dir.resolve("s.png"));
        back.write(dir.resolve("again.png"), dir.resolve("again.tsv"));
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("again.png")));
    }
}
