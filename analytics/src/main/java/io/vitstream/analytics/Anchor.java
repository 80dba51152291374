package io.vitstream.analytics;

/**
 * Which point of a box stands for the object when lines and zones are checked
 * ({@code vitstream.analytics.anchor}). Bottom centre by default: where a person or a vehicle
 * touches the ground.
 */
public enum Anchor {
    BOTTOM_CENTER, CENTER, TOP_CENTER;

    /** The anchor point of box (x1, y1) - (x2, y2). */
    public Point of(double x1, double y1, double x2, double y2) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Parses {@code bottom-center}, {@code center}, {@code top-center} (case-insensitive, '-' or '_').
     *
     * @throws IllegalArgumentException naming {@code setting} and the accepted values
     */
    public static Anchor parse(String setting, String value) {
        throw new UnsupportedOperationException("TODO");
    }
}
