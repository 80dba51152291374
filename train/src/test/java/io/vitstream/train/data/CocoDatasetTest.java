package io.vitstream.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.train.scenes.SceneWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** COCO annotation parsing, writing, and loading with images. */
class CocoDatasetTest {

    private static final String JSON = """
            {"images": [{"id": 7, "file_name": "a.png", "width": 40, "height": 20}],
             "categories": [{"id": 3, "name": "cat"}, {"id": 1, "name": "dog"}],
             "annotations": [{"id": 1, "image_id": 7, "category_id": 1, "bbox": [4, 2, 10, 6], "iscrowd": 0},
                             {"id": 2, "image_id": 7, "category_id": 3, "bbox": [20.5, 0, 19.5, 20]}]}
            """;

    @Test
    void parsesImagesCategoriesAndBoxes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("instances.json"), JSON);
        CocoDataset coco = CocoDataset.read(dir.resolve("instances.json"));
        assertEquals(List.of("cat", "dog"), coco.labels());
        assertEquals(1, coco.labelOf(1));
        assertEquals(0, coco.labelOf(3));
        assertEquals("a.png", coco.images().get(0).fileName());
        assertArrayEquals(new float[] {20.5f, 0, 19.5f, 20}, coco.annotations().get(1).bbox());
        assertEquals(2, coco.byImage().get(7).size());
    }

    @Test
    void rejectsCrowdsAndUnknownReferencesByName(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("crowd.json"), JSON.replace("\"iscrowd\": 0", "\"iscrowd\": 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CocoDataset.read(dir.resolve("crowd.json")))
                .getMessage().contains("annotation 1 is a crowd region"));
        Files.writeString(dir.resolve("cat.json"), JSON.replace("\"category_id\": 3", "\"category_id\": 9"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CocoDataset.read(dir.resolve("cat.json")))
                .getMessage().contains("unknown category_id 9"));
    }

    @Test
    void writtenScenesLoadBackWithBoxesScaledToTheInputSize(@TempDir Path dir) {
        byte[] px = new byte[2 * 8 * 8 * 3];
        px[(8 + 3) * 3] = (byte) 200;
        DetectionSet set = new DetectionSet(List.of("a", "b"), 8, 8, px, List.of(
                new DetectionSet.Objects(new int[] {1}, new float[][] {{1, 2, 5, 6}}),
                new DetectionSet.Objects(new int[] {0, 1}, new float[][] {{0, 0, 8, 8}, {2, 2, 4, 4}})));
        SceneWriter.write(set, dir, "s-");
        CocoDataset coco = CocoDataset.read(dir.resolve("instances.json"));
        assertEquals(3, coco.annotations().size());
        assertArrayEquals(new float[] {1, 2, 4, 4}, coco.annotations().get(0).bbox());
        DetectionSet back = DetectionSet.loadCoco(dir.resolve("instances.json"), dir, 16, 16);
        assertArrayEquals(new int[] {0, 1}, back.objects().get(1).labels());
        assertArrayEquals(new float[] {2, 4, 10, 12}, back.objects().get(0).boxes()[0]);
        DetectionSet same = DetectionSet.loadCoco(dir.resolve("instances.json"), dir, 8, 8);
        assertEquals(200, same.pixels()[(8 + 3) * 3] & 0xff);
    }
}
