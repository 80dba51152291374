package io.vitstream.backbone.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * Images of different sizes in one batch, as Hugging Face's {@code DetrImageProcessor} with
 * {@code do_pad} makes it: each image in the top-left corner of the batch's largest height and
 * width, zeros (after normalization) to its right and below, and a pixel mask that is 1 on the
 * image and 0 on the padding.
 */
public final class PaddedBatch {

    private PaddedBatch() {}

    /**
     * @param images each {@code [3, h_i, w_i]} (its geometry's input size)
     * @return {@code pixel_values [B, 3, H, W]} fp32 and {@code pixel_mask [B, H, W]} int64, with
     *     {@code H = max h_i}, {@code W = max w_i}, in {@code manager}
     */
    public static NDList of(NDManager manager, List<ImagePreprocessor.Prepared> images) {
        int height = 0;
        int width = 0;
        for (ImagePreprocessor.Prepared p : images) {
            height = Math.max(height, p.geometry().inputHeight());
            width = Math.max(width, p.geometry().inputWidth());
        }
        int plane = height * width;
        float[] pixels = new float[images.size() * 3 * plane];
        long[] mask = new long[images.size() * plane];
        for (int i = 0; i < images.size(); i++) {
            ImagePreprocessor.Prepared p = images.get(i);
            int h = p.geometry().inputHeight();
            int w = p.geometry().inputWidth();
            if (p.chw().length != 3 * h * w) {
                throw new IllegalArgumentException("image " + i + " has " + p.chw().length + " values, not 3 x " + h + " x " + w);
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(p.chw(), (c * h + y) * w, pixels, ((i * 3 + c) * height + y) * width, w);
                }
            }
            for (int y = 0; y < h; y++) {
                java.util.Arrays.fill(mask, i * plane + y * width, i * plane + y * width + w, 1L);
            }
        }
        return new NDList(manager.create(pixels, new Shape(images.size(), 3, height, width)),
                manager.create(mask, new Shape(images.size(), height, width)));
    }
}
