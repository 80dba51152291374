package io.vitstream.backbone.image;

import java.util.Locale;

/** How encoded frames become model inputs ({@code vitstream.decode.mode}). */
public enum DecodeMode {
    /**
     * Full-size decode, then the PIL resize of the checkpoint's processor: the inputs Hugging
     * Face's processor gives the same bytes (the parity tests guard this).
     */
    EXACT,
    /**
     * JPEG decoded at the smallest DCT scale (1/2, 1/4 or 1/8) that is still at least the size
     * the frame is resized to, then resized as in {@link #EXACT}. Several times less decode work
     * on camera frames; the inputs differ slightly from {@code exact} (docs/benchmarks.md says by
     * how much on the model's outputs). PNG is decoded as in {@code exact}.
     */
    FAST;

    /** Parses {@code exact} or {@code fast} (any case). */
    public static DecodeMode parse(String value) {
        for (DecodeMode m : values()) {
            if (m.name().equalsIgnoreCase(value.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("decode mode must be exact or fast, got '" + value + "'");
    }

    /** The lower-case name used in settings. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
