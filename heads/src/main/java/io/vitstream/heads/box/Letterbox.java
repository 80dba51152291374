package io.vitstream.heads.box;

/**
 * How an original image was fitted into a model input: scaled by {@code scale} about its
 * top-left corner (both axes alike, so the aspect ratio is kept), then padded on the right
 * and bottom up to {@code inputW x inputH}. This is what a DETR-style preprocessor does
 * when it resizes to a target size and pads a batch to a common size.
 *
 * @param origW original image width in pixels, {@code > 0}
 * @param origH original image height in pixels, {@code > 0}
 * @param inputW padded model input width in pixels, {@code > 0}
 * @param inputH padded model input height in pixels, {@code > 0}
 * @param scale input pixels per original pixel, finite and {@code > 0}; the scaled image
 *     ({@code origW * scale} by {@code origH * scale}) must fit in the input, with one
 *     pixel of slack for the rounding of the resized size
 */
public record Letterbox(int origW, int origH, int inputW, int inputH, double scale) {

    /** Validates the sizes and that the scaled image fits inside the input. */
    public Letterbox {
        requirePositive("origW", origW);
        requirePositive("origH", origH);
        requirePositive("inputW", inputW);
        requirePositive("inputH", inputH);
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("letterbox scale must be finite and > 0, got " + scale);
        }
        if (origW * scale > inputW + 1.0) {
            throw new IllegalArgumentException(
                    "letterbox: original width " + origW + " scaled by " + scale + " is "
                            + origW * scale + " pixels, wider than the input width " + inputW);
        }
        if (origH * scale > inputH + 1.0) {
            throw new IllegalArgumentException(
                    "letterbox: original height " + origH + " scaled by " + scale + " is "
                            + origH * scale + " pixels, taller than the input height " + inputH);
        }
    }

    /**
     * The letterbox that fits an image of {@code origW x origH} as large as possible into an
     * input of {@code inputW x inputH}: {@code scale = min(inputW / origW, inputH / origH)}.
     *
     * @param origW original width in pixels, {@code > 0}
     * @param origH original height in pixels, {@code > 0}
     * @param inputW model input width in pixels, {@code > 0}
     * @param inputH model input height in pixels, {@code > 0}
     * @return the letterbox with the largest scale that fits
     */
    public static Letterbox fit(int origW, int origH, int inputW, int inputH) {
        requirePositive("origW", origW);
        requirePositive("origH", origH);
        requirePositive("inputW", inputW);
        requirePositive("inputH", inputH);
        double scale = Math.min((double) inputW / origW, (double) inputH / origH);
        return new Letterbox(origW, origH, inputW, inputH, scale);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("letterbox " + name + " must be > 0, got " + value);
        }
    }
}
