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
import java.util.Map;

/**
 * Images with labelled boxes, all of one size, held in memory: what detection training and
 * evaluation read.
 *
 * @param labels class names by label index
 * @param height image height in pixels
 * @param width image width in pixels
 * @param pixels all images back to back, each {@code [height, width, 3]} RGB bytes
 * @param objects per image, its boxes
 */
public record DetectionSet(List<String> labels, int height, int width, byte[] pixels, List<Objects> objects) {

    /**
     * The boxes of one image.
     *
     * @param labels {@code [T]} label indices
     * @param boxes {@code [T][4]} corners {@code (x0, y0, x1, y1)} in pixels of the stored image
     */
    public record Objects(int[] labels, float[][] boxes) {}

    public DetectionSet {
        labels = List.copyOf(labels);
        objects = List.copyOf(objects);
        if ((long) objects.size() * height * width * 3 != pixels.length) {
            throw new IllegalArgumentException(objects.size() + " images but " + pixels.length + " bytes of " + height + "x" + width + " RGB");
        }
    }

    /** Number of images. */
    public int size() {
        return objects.size();
    }

    /** Bytes per image. */
    public int imageBytes() {
        return height * width * 3;
    }

    /**
     * Loads a COCO data set: {@code instances.json} plus the images it names (relative to
     * {@code imageDir}), each resized (stretched, PIL bilinear) to {@code height x width} with
     * its boxes scaled alike.
     *
     * @throws IllegalArgumentException naming the image that is missing or cannot be decoded
     */
    public static DetectionSet loadCoco(Path instances, Path imageDir, int height, int width) {
        CocoDataset coco = CocoDataset.read(instances);
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
        Map<Integer, List<CocoDataset.Annotation>> byImage = coco.byImage();
        byte[] pixels = new byte[coco.images().size() * height * width * 3];
        List<Objects> objects = new ArrayList<>();
        for (int n = 0; n < coco.images().size(); n++) {
            CocoDataset.Image img = coco.images().get(n);
            Path file = imageDir.resolve(img.fileName());
            RgbImage decoded;
            try {
                decoded = decoder.decode(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("image " + img.id() + " of " + instances + ": cannot read " + file, e);
            }
            RgbImage resized = Resampler.resize(decoded, width, height, Resampler.Filter.BILINEAR);
            System.arraycopy(resized.rgb(), 0, pixels, n * height * width * 3, height * width * 3);
            double sx = (double) width / decoded.width();
            double sy = (double) height / decoded.height();
            List<CocoDataset.Annotation> anns = byImage.get(img.id());
            int[] labels = new int[anns.size()];
            float[][] boxes = new float[anns.size()][];
            for (int i = 0; i < anns.size(); i++) {
                float[] b = anns.get(i).bbox();
                labels[i] = coco.labelOf(anns.get(i).categoryId());
                boxes[i] = new float[] {(float) (b[0] * sx), (float) (b[1] * sy), (float) ((b[0] + b[2]) * sx), (float) ((b[1] + b[3]) * sy)};
            }
            objects.add(new Objects(labels, boxes));
        }
        return new DetectionSet(coco.labels(), height, width, pixels, objects);
    }
}
