package io.vitstream.backbone;

/** Checks of config values that name the HF setting in their message. */
public final class ConfigChecks {

    private ConfigChecks() {}

    /** @throws IllegalArgumentException unless {@code v > 0} */
    public static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
    }

    /** A dropout-like rate. @throws IllegalArgumentException unless {@code 0 <= v < 1} */
    public static void rate(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
        }
    }
}
