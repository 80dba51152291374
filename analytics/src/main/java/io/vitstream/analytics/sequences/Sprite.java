package io.vitstream.analytics.sequences;

/**
 * One item that moves through synthetic sequences: a 28x28 grey image (a Fashion-MNIST item)
 * and its class.
 *
 * @param labelId class index (Fashion-MNIST label order for the bundled sprites)
 * @param label class name
 * @param grey {@code SIDE * SIDE} grey values row-major, 0 black (background)
 */
public record Sprite(int labelId, String label, byte[] grey) {

    /** Width and height of a sprite in pixels. */
    public static final int SIDE = 28;

    /** Checks the class and the image size; copies the pixels. */
    public Sprite {
        if (labelId < 0) throw new IllegalArgumentException("sprite labelId must be >= 0, got " + labelId);
        if (label == null || label.isBlank()) throw new IllegalArgumentException("sprite label must not be blank");
        if (grey.length != SIDE * SIDE) {
            throw new IllegalArgumentException("sprite '" + label + "' needs " + SIDE * SIDE + " grey bytes, got " + grey.length);
        }
        grey = grey.clone();
    }

    /** A copy of the pixels. */
    @Override
    public byte[] grey() {
        return grey.clone();
    }
}
