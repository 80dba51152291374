package io.vitstream.backbone.image;

/**
 * The resized size of Hugging Face's {@code DetrImageProcessor} for
 * {@code "size": {"shortest_edge": s, "longest_edge": l}}: each image keeps its aspect ratio,
 * its shorter side becomes {@code s} unless its longer side would then exceed {@code l}, in which
 * case the longer side becomes about {@code l}. A pure function, restating
 * {@code transformers.image_transforms.get_size_with_aspect_ratio} (transformers 5.17) step by
 * step, including its float64 arithmetic, Python's {@code round} (half to even) and
 * {@code int()} truncation, so every size is HF's to the pixel.
 */
public final class DetrResize {

    private DetrResize() {}

    /**
     * @param height original height, pixels
     * @param width original width, pixels
     * @param shortestEdge the target of the shorter side
     * @param longestEdge the limit of the longer side
     * @return {@code {height, width}} after resizing
     */
    public static int[] size(int height, int width, int shortestEdge, int longestEdge) {
        int size = shortestEdge;
        double raw = Double.NaN;
        double min = Math.min(height, width);
        double max = Math.max(height, width);
        if (max / min * size > longestEdge) {
            raw = longestEdge * min / max;
            size = (int) Math.rint(raw);
        }
        boolean capped = !Double.isNaN(raw);
        if ((height <= width && height == size) || (width <= height && width == size)) {
            return new int[] {height, width};
        }
        if (width < height) {
            // HF: int(raw_size * height / width), else int(size * height / width) with size * height in ints.
            int h = capped ? (int) (raw * height / width) : (int) ((double) ((long) size * height) / width);
            return new int[] {h, size};
        }
        int w = capped ? (int) (raw * width / height) : (int) ((double) ((long) size * width) / height);
        return new int[] {size, w};
    }
}
