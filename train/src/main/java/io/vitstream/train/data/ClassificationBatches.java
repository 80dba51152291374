package io.vitstream.train.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;

/**
 * Turns an {@link ImageSet} into model input batches, with or without augmentation.
 *
 * <p>Augmentation is random-resized-crop plus horizontal flip; evaluation uses the whole image.
 * Either way the image is resampled to the model input size and normalized like the
 * checkpoint's {@code preprocessor_config.json} says.
 */
public final class ClassificationBatches {

    private final ImageSet data;
    private final int outH;
    private final int outW;
    private final float[] mean;
    private final float[] std;
    private final Augment augment;

    /**
     * Augmentation settings.
     *
     * @param minScale smallest crop area as a fraction of the image (torchvision: 0.08; small
     *     28x28 items lose too much below about 0.5)
     * @param maxScale largest crop area fraction
     * @param flipProbability chance of a left-right mirror
     */
    public record Augment(double minScale, double maxScale, double flipProbability) {
        public Augment {
            if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
                throw new IllegalArgumentException("crop scale must satisfy 0 < min <= max <= 1, got "
                        + minScale + ".." + maxScale);
            }
        }
    }

    /**
     * @param augment augmentation for training, or {@code null} for plain resizing
     */
    public ClassificationBatches(ImageSet data, int outH, int outW, float[] mean, float[] std, Augment augment) {
        this.data = data;
        this.outH = outH;
        this.outW = outW;
        this.mean = mean;
        this.std = std;
        this.augment = augment;
    }

    /** The same images without augmentation (what a frozen backbone's feature cache sees). */
    public ClassificationBatches plain() {
        return new ClassificationBatches(data, outH, outW, mean, std, null);
    }

    /** The images. */
    public ImageSet data() {
        return data;
    }

    /**
     * Builds one batch.
     *
     * @param indices images of the batch
     * @param rng randomness for augmentation (unused without it)
     * @return {@code [B, 3, outH, outW]} fp32 in {@code manager}
     */
    public NDArray images(NDManager manager, int[] indices, Random rng) {
        int plane = 3 * outH * outW;
        float[] out = new float[indices.length * plane];
        for (int i = 0; i < indices.length; i++) {
            Crop crop = augment == null ? Crop.whole(data.height(), data.width())
                    : Crop.random(rng, data.height(), data.width(), augment.minScale(), augment.maxScale(),
                            3.0 / 4, 4.0 / 3, augment.flipProbability());
            crop.render(data.pixels(), indices[i] * data.imageBytes(), data.height(), data.width(), data.channels(),
                    outH, outW, mean, std, out, i * plane);
        }
        return manager.create(out, new Shape(indices.length, 3, outH, outW));
    }

    /** The labels of a batch. */
    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) out[i] = data.labels()[indices[i]];
        return out;
    }
}
