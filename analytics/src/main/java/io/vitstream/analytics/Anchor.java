package io.vitstream.analytics;

import java.util.Locale;

/**
 * Which point of a box stands for the object when lines and zones are checked
 * ({@code vitstream.analytics.anchor}). Bottom centre by default: where a person or a vehicle
 * touches the ground.
 */
public enum Anchor {
    BOTTOM_CENTER, CENTER, TOP_CENTER;

    /** The anchor point of box (x1, y1) - (x2, y2), in pixels with y down (so the bottom is {@code y2}). */
    public Point of(double x1, double y1, double x2, double y2) {
        double x = (x1 + x2) / 2;
        return switch (this) {
            case BOTTOM_CENTER -> new Point(x, y2);
            case CENTER -> new Point(x, (y1 + y2) / 2);
            case TOP_CENTER -> new Point(x, y1);
        };
    }

    /** The setting's spelling, e.g. {@code bottom-center}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses {@code bottom-center}, {@code center}, {@code top-center} (case-insensitive, '-' or '_').
     *
     * @throws IllegalArgumentException naming {@code setting} and the accepted values
     */
    public static Anchor parse(String setting, String value) {
        String key = value == null ? "" : value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Anchor anchor : values()) {
            if (anchor.name().equals(key)) {
                return anchor;
            }
        }
        throw new IllegalArgumentException(setting + ": unknown anchor '" + value
                + "' (expected bottom-center, center or top-center)");
    }
}
