package io.vitstream.backbone;

/**
 * The patch grid of a backbone pass: {@code height} rows by {@code width} columns of patches.
 *
 * @param height number of patch rows
 * @param width number of patch columns
 */
public record Grid(int height, int width) {

    public Grid {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("grid must be positive, got " + height + "x" + width);
        }
    }

    /** Number of patches, {@code height * width}. */
    public int size() {
        return height * width;
    }

    @Override
    public String toString() {
        return height + "x" + width;
    }
}
