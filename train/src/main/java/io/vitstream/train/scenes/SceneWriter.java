package io.vitstream.train.scenes;

import io.vitstream.train.data.CocoDataset;
import io.vitstream.train.data.DetectionSet;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Writes a {@link DetectionSet} as a COCO data set: {@code images/<name>.png} (RGB PNG) and
 * {@code instances.json} with category ids {@code 1..K} (COCO numbers categories from 1).
 */
public final class SceneWriter {

    private SceneWriter() {}

    /**
     * @param dir output folder (created)
     * @param prefix file name prefix, e.g. {@code "scene-"}
     * @return the files written, in image order
     */
    public static List<Path> write(DetectionSet set, Path dir, String prefix) {
        try {
            Files.createDirectories(dir.resolve("images"));
            List<CocoDataset.Image> images = new ArrayList<>();
            List<CocoDataset.Annotation> anns = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (int n = 0; n < set.size(); n++) {
                String name = String.format(Locale.ROOT, "%s%05d.png", prefix, n);
                Path file = dir.resolve("images").resolve(name);
                ImageIO.write(toImage(set, n), "png", file.toFile());
                files.add(file);
                images.add(new CocoDataset.Image(n + 1, "images/" + name, set.width(), set.height()));
                DetectionSet.Objects o = set.objects().get(n);
                for (int i = 0; i < o.labels().length; i++) {
                    float[] b = o.boxes()[i];
                    anns.add(new CocoDataset.Annotation(anns.size() + 1, n + 1, o.labels()[i] + 1,
                            new float[] {b[0], b[1], b[2] - b[0], b[3] - b[1]}));
                }
            }
            Map<Integer, String> categories = new LinkedHashMap<>();
            for (int c = 0; c < set.labels().size(); c++) categories.put(c + 1, set.labels().get(c));
            new CocoDataset(images, categories, anns).write(dir.resolve("instances.json"));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write scenes to " + dir, e);
        }
    }

    /** Image {@code n} of the set as an RGB {@link BufferedImage}. */
    public static BufferedImage toImage(DetectionSet set, int n) {
        BufferedImage img = new BufferedImage(set.width(), set.height(), BufferedImage.TYPE_INT_RGB);
        int base = n * set.imageBytes();
        for (int y = 0; y < set.height(); y++) {
            for (int x = 0; x < set.width(); x++) {
                int at = base + (y * set.width() + x) * 3;
                int rgb = (set.pixels()[at] & 0xff) << 16 | (set.pixels()[at + 1] & 0xff) << 8 | (set.pixels()[at + 2] & 0xff);
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }
}
