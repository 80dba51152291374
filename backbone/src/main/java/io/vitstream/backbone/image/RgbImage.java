package io.vitstream.backbone.image;

/**
 * An 8-bit RGB image, pixels interleaved row-major ({@code r, g, b, r, g, b, ...}).
 *
 * @param width in pixels
 * @param height in pixels
 * @param rgb {@code width * height * 3} bytes
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (width <= 0 || height <= 0 || rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("RGB image " + width + "x" + height + " needs "
                    + (long) width * height * 3 + " bytes, got " + rgb.length);
        }
    }
}
