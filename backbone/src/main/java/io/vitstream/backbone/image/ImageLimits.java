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

    /**
     * The memory budget, bytes, for a decoded frame (width x height x channels x bytes per
     * sample, from the header) and for the resize's working buffers: an 8-bit RGBA frame at
     * {@code maxPixels} (160 MB by default). A 16-bit RGBA frame gets half the pixels, and an
     * extreme aspect ratio whose resize would need more than a frame's worth is refused.
     */
    public long maxDecodedBytes() {
        return maxPixels > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : maxPixels * 4;
    }
}
