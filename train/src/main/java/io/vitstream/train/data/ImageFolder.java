package io.vitstream.train.data;

import io.vitstream.backbone.image.ImageDecoder;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.Resampler;
import io.vitstream.backbone.image.RgbImage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The common "one sub-folder per class" layout (torchvision's {@code ImageFolder}): classes are
 * the sub-folder names in sorted order, images are their JPEG and PNG files. Images are decoded
 * as the service decodes frames and resized (PIL bilinear) to one size, so a whole set fits in
 * memory as bytes.
 */
public final class ImageFolder {

    private ImageFolder() {}

    /**
     * Loads a folder.
     *
     * @param classes the class names to use, in label order, or {@code null} to take the
     *     sub-folders (give the training set's classes when loading its validation set)
     * @throws IllegalArgumentException naming the folder when it has no class folders or images,
     *     or the file that cannot be decoded
     */
    public static ImageSet load(Path dir, int height, int width, List<String> classes) {
        List<String> names = classes != null ? classes : subfolders(dir);
        if (names.isEmpty()) throw new IllegalArgumentException(dir + " has no class sub-folders");
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
        List<Integer> labels = new ArrayList<>();
        java.io.ByteArrayOutputStream pixels = new java.io.ByteArrayOutputStream();
        for (int c = 0; c < names.size(); c++) {
            for (Path file : images(dir.resolve(names.get(c)))) {
                RgbImage img;
                try {
                    img = decoder.decode(Files.readAllBytes(file));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
                }
                pixels.writeBytes(Resampler.resize(img, width, height, Resampler.Filter.BILINEAR).rgb());
                labels.add(c);
            }
        }
        if (labels.isEmpty()) throw new IllegalArgumentException(dir + " has no .jpg, .jpeg or .png images in its class folders");
        return new ImageSet(names, labels.stream().mapToInt(Integer::intValue).toArray(), height, width, 3, pixels.toByteArray());
    }

    private static List<String> subfolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list image folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> images(Path classDir) {
        if (!Files.isDirectory(classDir)) throw new IllegalArgumentException("class folder " + classDir + " does not exist");
        try (Stream<Path> s = Files.list(classDir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + classDir, e);
        }
    }
}
