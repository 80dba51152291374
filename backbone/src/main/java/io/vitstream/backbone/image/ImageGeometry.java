package io.vitstream.backbone.image;

/**
 * How an original image maps onto the model input, so outputs in input coordinates can be put
 * back on the original: {@code x_input = x_original * scaleX - offsetX} (same for y).
 *
 * @param originalWidth width of the decoded frame, pixels
 * @param originalHeight height of the decoded frame, pixels
 * @param inputWidth width of the model input, pixels
 * @param inputHeight height of the model input, pixels
 * @param scaleX input pixels per original pixel, horizontally
 * @param scaleY input pixels per original pixel, vertically
 * @param offsetX input pixels cut from the left by a center crop (0 otherwise)
 * @param offsetY input pixels cut from the top by a center crop (0 otherwise)
 */
public record ImageGeometry(int originalWidth, int originalHeight, int inputWidth, int inputHeight,
        double scaleX, double scaleY, double offsetX, double offsetY) {

    /** Original x for an input x. */
    public double toOriginalX(double inputX) {
        return (inputX + offsetX) / scaleX;
    }

    /** Original y for an input y. */
    public double toOriginalY(double inputY) {
        return (inputY + offsetY) / scaleY;
    }
}
