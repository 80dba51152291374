package io.vitstream.backbone.image;

/**
 * Guards checked before decoding, against oversized inputs and decompression bombs (a small
 * file that claims a huge canvas).
 *
 * @param maxBytes largest accepted encoded size
 * @param maxPixels largest accepted width x height, read from the header
 */
public record ImageLimits(long maxBytes, long maxPixels) {

    /** 20 MB and 40 megapixels: a 4K frame is 8.3 MP, a 24 MP photo passes. */
    public static final ImageLimits DEFAULT = new ImageLimits(20L << 20, 40_000_000L);

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("image limits must be positive, got " + maxBytes + " bytes, " + maxPixels + " pixels");
        }
    }
}
