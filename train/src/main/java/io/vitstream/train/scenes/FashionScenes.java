package io.vitstream.train.scenes;

import io.vitstream.backbone.image.Resampler;
import io.vitstream.backbone.image.RgbImage;
import io.vitstream.train.data.DetectionSet;
import io.vitstream.train.data.ImageSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * "Fashion scenes": synthetic detection images made of real Fashion-MNIST items. Each scene is a
 * black square canvas with 1 to {@code maxItems} items, each a random image of the source split
 * resized (PIL bilinear) to a random scale of its 28 pixels and pasted at a random position;
 * overlapping pixels keep the brighter value, so no item hides another completely. An item's
 * box is the tight bounding box of its pixels brighter than {@link #INK} after resizing, so
 * boxes hug the garment rather than its 28x28 frame. A new item whose box overlaps an earlier one
 * so that more than {@code maxOverlap} of the smaller box is covered is re-placed (up to 50 tries, then left out), keeping every object
 * visible enough to be found. Everything follows one seed, so a scene set is reproducible.
 *
 * @param size canvas side in pixels
 * @param minItems fewest items per scene
 * @param maxItems most items per scene
 * @param minScale smallest item size as a multiple of 28 pixels
 * @param maxScale largest item size as a multiple of 28 pixels
 * @param maxOverlap largest share of the smaller of two boxes that the other may cover (IoU alone
 *     would let a small item vanish inside a large one)
 */
public record FashionScenes(int size, int minItems, int maxItems, double minScale, double maxScale, double maxOverlap) {

    /** Pixels above this grey value count as part of an item for its box. */
    public static final int INK = 16;

    /** The settings of the committed demo: 64x64, 1-4 items at 0.6-1.2x, overlap at most 0.15. */
    public static final FashionScenes DEFAULT = new FashionScenes(64, 1, 4, 0.6, 1.2, 0.15);

    public FashionScenes {
        if (size < 16) throw new IllegalArgumentException("scene size must be >= 16, got " + size);
        if (minItems < 1 || maxItems < minItems) throw new IllegalArgumentException("items must satisfy 1 <= min <= max, got " + minItems + ".." + maxItems);
        if (!(minScale > 0 && maxScale >= minScale && maxScale * 28 <= size)) {
            throw new IllegalArgumentException("item scale must satisfy 0 < min <= max <= size/28, got " + minScale + ".." + maxScale);
        }
    }

    /**
     * Makes {@code count} scenes from the items of {@code source} (grey 28x28, e.g. Fashion-MNIST).
     *
     * @return scenes as RGB (grey repeated) with boxes in pixels and the source's class names
     */
    public DetectionSet generate(ImageSet source, int count, long seed) {
        if (source.channels() != 1) throw new IllegalArgumentException("fashion scenes need grey items, got " + source.channels() + " channels");
        Random rng = new Random(seed);
        byte[] pixels = new byte[count * size * size * 3];
        List<DetectionSet.Objects> objects = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            byte[] canvas = new byte[size * size];
            objects.add(scene(source, rng, canvas));
            for (int i = 0; i < canvas.length; i++) {
                int at = (n * size * size + i) * 3;
                pixels[at] = canvas[i];
                pixels[at + 1] = canvas[i];
                pixels[at + 2] = canvas[i];
            }
        }
        return new DetectionSet(source.classes(), size, size, pixels, objects);
    }

    private DetectionSet.Objects scene(ImageSet source, Random rng, byte[] canvas) {
        int items = minItems + rng.nextInt(maxItems - minItems + 1);
        List<Integer> labels = new ArrayList<>();
        List<float[]> boxes = new ArrayList<>();
        for (int k = 0; k < items; k++) {
            int index = rng.nextInt(source.size());
            int side = (int) Math.round(28 * (minScale + rng.nextDouble() * (maxScale - minScale)));
            byte[] item = resized(source, index, side);
            int[] ink = inkBounds(item, side);
            if (ink == null) continue;
            for (int attempt = 0; attempt < 50; attempt++) {
                int left = rng.nextInt(size - side + 1);
                int top = rng.nextInt(size - side + 1);
                float[] box = {left + ink[0], top + ink[1], left + ink[2], top + ink[3]};
                if (overlapsTooMuch(box, boxes)) continue;
                paste(item, side, left, top, canvas);
                labels.add(source.labels()[index]);
                boxes.add(box);
                break;
            }
        }
        return new DetectionSet.Objects(labels.stream().mapToInt(Integer::intValue).toArray(), boxes.toArray(new float[0][]));
    }

    private static byte[] resized(ImageSet source, int index, int side) {
        int n = source.height() * source.width();
        byte[] rgb = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            byte v = source.pixels()[index * n + i];
            rgb[i * 3] = v;
            rgb[i * 3 + 1] = v;
            rgb[i * 3 + 2] = v;
        }
        RgbImage out = Resampler.resize(new RgbImage(source.width(), source.height(), rgb), side, side, Resampler.Filter.BILINEAR);
        byte[] grey = new byte[side * side];
        for (int i = 0; i < grey.length; i++) grey[i] = out.rgb()[i * 3];
        return grey;
    }

    /**
     * The tight box of the pixels brighter than {@link #INK}: {@code {x0, y0, x1, y1}} with
     * exclusive ends, or {@code null} for an empty image.
     */
    static int[] inkBounds(byte[] grey, int side) {
        int x0 = side;
        int y0 = side;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if ((grey[y * side + x] & 0xff) > INK) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? null : new int[] {x0, y0, x1 + 1, y1 + 1};
    }

    private boolean overlapsTooMuch(float[] box, List<float[]> placed) {
        for (float[] other : placed) {
            if (overlap(box, other) > maxOverlap) return true;
        }
        return false;
    }

    /** Intersection over the smaller box's area. */
    static double overlap(float[] a, float[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) return 0;
        double smaller = Math.min((a[2] - a[0]) * (double) (a[3] - a[1]), (b[2] - b[0]) * (double) (b[3] - b[1]));
        return iw * ih / smaller;
    }

    private void paste(byte[] item, int side, int left, int top, byte[] canvas) {
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int at = (top + y) * size + left + x;
                canvas[at] = (byte) Math.max(canvas[at] & 0xff, item[y * side + x] & 0xff);
            }
        }
    }
}
