package io.vitstream.train.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Labelled images of one size held in memory as unsigned bytes, the form every classification
 * data set here is loaded into.
 *
 * @param classes class names by label index
 * @param labels one label per image
 * @param height image height in pixels
 * @param width image width in pixels
 * @param channels 1 (grey) or 3 (RGB)
 * @param pixels all images back to back, each {@code [height, width, channels]} (HWC)
 */
public record ImageSet(List<String> classes, int[] labels, int height, int width, int channels, byte[] pixels) {

    public ImageSet {
        classes = List.copyOf(classes);
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if ((long) labels.length * height * width * channels != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + pixels.length + " bytes of "
                    + height + "x" + width + "x" + channels + " images");
        }
        for (int label : labels) {
            if (label < 0 || label >= classes.size()) {
                throw new IllegalArgumentException("label " + label + " outside the " + classes.size() + " classes");
            }
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Bytes per image. */
    public int imageBytes() {
        return height * width * channels;
    }

    /** The images at the given indices, in that order. */
    public ImageSet subset(int[] indices) {
        int n = imageBytes();
        byte[] px = new byte[indices.length * n];
        int[] lab = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * n, px, i * n, n);
            lab[i] = labels[indices[i]];
        }
        return new ImageSet(classes, lab, height, width, channels, px);
    }

    /**
     * The images of some classes, relabelled {@code 0..k-1} in the order given.
     *
     * @param keep original label indices
     * @param perClass at most this many images per class (the first ones after shuffling with
     *     {@code seed}), or {@code Integer.MAX_VALUE} for all
     */
    public ImageSet classes(int[] keep, int perClass, long seed) {
        int[] order = permutation(size(), new Random(seed));
        int[] newLabel = new int[classes.size()];
        Arrays.fill(newLabel, -1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < keep.length; i++) {
            newLabel[keep[i]] = i;
            names.add(classes.get(keep[i]));
        }
        int[] taken = new int[keep.length];
        List<Integer> chosen = new ArrayList<>();
        for (int i : order) {
            int c = newLabel[labels[i]];
            if (c >= 0 && taken[c] < perClass) {
                taken[c]++;
                chosen.add(i);
            }
        }
        chosen.sort(null);
        ImageSet sub = subset(chosen.stream().mapToInt(Integer::intValue).toArray());
        int[] relabelled = Arrays.stream(sub.labels).map(l -> newLabel[l]).toArray();
        return new ImageSet(names, relabelled, height, width, channels, sub.pixels);
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    public static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
