package io.vitstream.heads.box;

/**
 * Box arithmetic on plain Java arrays: format conversion, area, IoU and generalized IoU.
 *
 * <p>A box is a {@code float[4]}, a batch of boxes a {@code float[n][4]}. Two formats are
 * used: {@code (cx, cy, w, h)} (centre, width, height — what a DETR head predicts) and
 * {@code (x0, y0, x1, y1)} (top-left and bottom-right corners). Functions say which one
 * they expect; none of them cares whether coordinates are normalized or in pixels unless
 * it says so. Arithmetic is done in {@code double} and scalars are returned as
 * {@code double}, so the float inputs lose nothing further.
 *
 * <p>Conventions for degenerate boxes, shared with {@link NdBoxes}:
 *
 * <ul>
 *   <li>An inverted box ({@code x1 < x0} or {@code y1 < y0}) has area 0, like a box of
 *       zero width or height; it is not rejected, because predicted boxes can invert
 *       during training and a loss must still be computable.
 *   <li>IoU is 0 whenever the union has no area — two zero-area boxes, even identical
 *       ones, have IoU 0, never NaN. A zero-area box overlaps nothing, so "no overlap"
 *       is the only answer that does not depend on how the zero was reached.
 *   <li>GIoU's penalty {@code (|C| - |A ∪ B|) / |C|} is the fraction of the enclosing box
 *       C that neither box covers. When {@code |C| = 0} there is no area left uncovered,
 *       so the penalty is 0 and GIoU equals IoU (which is then 0). This keeps GIoU finite
 *       and inside [-1, 1], and it is also the value the epsilon-guarded tensor version
 *       in {@link NdBoxes} produces.
 * </ul>
 *
 * <p>Non-finite coordinates and arrays whose length is not 4 are rejected with an
 * {@link IllegalArgumentException} naming the box.
 */
public final class Boxes {

    private Boxes() {}

    /**
     * Converts one box from centre format to corner format.
     *
     * @param box {@code (cx, cy, w, h)}
     * @return a new box {@code (x0, y0, x1, y1)} = {@code (cx - w/2, cy - h/2, cx + w/2, cy + h/2)}
     */
    public static float[] cxcywhToXyxy(float[] box) {
        requireBox(box, "box");
        double cx = box[0];
        double cy = box[1];
        double halfW = 0.5 * box[2];
        double halfH = 0.5 * box[3];
        return new float[] {
            (float) (cx - halfW), (float) (cy - halfH), (float) (cx + halfW), (float) (cy + halfH)
        };
    }

    /**
     * Converts boxes from centre format to corner format.
     *
     * @param boxes {@code [n][4]}, each {@code (cx, cy, w, h)}
     * @return a new {@code [n][4]} array, each {@code (x0, y0, x1, y1)}
     */
    public static float[][] cxcywhToXyxy(float[][] boxes) {
        float[][] out = new float[boxes.length][];
        for (int i = 0; i < boxes.length; i++) {
            requireBox(boxes[i], "box " + i);
            out[i] = cxcywhToXyxy(boxes[i]);
        }
        return out;
    }

    /**
     * Converts one box from corner format to centre format.
     *
     * @param box {@code (x0, y0, x1, y1)}
     * @return a new box {@code (cx, cy, w, h)}; an inverted box gives a negative width or height
     */
    public static float[] xyxyToCxcywh(float[] box) {
        requireBox(box, "box");
        double x0 = box[0];
        double y0 = box[1];
        double x1 = box[2];
        double y1 = box[3];
        return new float[] {
            (float) (0.5 * (x0 + x1)), (float) (0.5 * (y0 + y1)), (float) (x1 - x0), (float) (y1 - y0)
        };
    }

    /**
     * Converts boxes from corner format to centre format.
     *
     * @param boxes {@code [n][4]}, each {@code (x0, y0, x1, y1)}
     * @return a new {@code [n][4]} array, each {@code (cx, cy, w, h)}
     */
    public static float[][] xyxyToCxcywh(float[][] boxes) {
        float[][] out = new float[boxes.length][];
        for (int i = 0; i < boxes.length; i++) {
            requireBox(boxes[i], "box " + i);
            out[i] = xyxyToCxcywh(boxes[i]);
        }
        return out;
    }

    /**
     * Area of a box; an inverted box has area 0.
     *
     * @param box {@code (x0, y0, x1, y1)}
     * @return {@code max(0, x1 - x0) * max(0, y1 - y0)}, in the squared unit of the coordinates
     */
    public static double area(float[] box) {
        requireBox(box, "box");
        return extent(box[0], box[2]) * extent(box[1], box[3]);
    }

    /**
     * Intersection over union of two boxes; 0 when the union has no area.
     *
     * @param a {@code (x0, y0, x1, y1)}
     * @param b {@code (x0, y0, x1, y1)}
     * @return IoU in [0, 1]
     */
    public static double iou(float[] a, float[] b) {
        requireBox(a, "box a");
        requireBox(b, "box b");
        return overlap(a, b).iou();
    }

    /**
     * Generalized IoU (Rezatofighi et al. 2019): {@code IoU - (|C| - |A ∪ B|) / |C|}, C the
     * smallest box enclosing both; when {@code |C| = 0} the penalty is 0 (see the class notes).
     *
     * @param a {@code (x0, y0, x1, y1)}
     * @param b {@code (x0, y0, x1, y1)}
     * @return GIoU in [-1, 1]; 1 only for identical boxes of positive area
     */
    public static double generalizedIou(float[] a, float[] b) {
        requireBox(a, "box a");
        requireBox(b, "box b");
        return overlap(a, b).generalizedIou();
    }

    /**
     * Pairwise IoU.
     *
     * @param a {@code [n][4]} boxes {@code (x0, y0, x1, y1)}
     * @param b {@code [m][4]} boxes {@code (x0, y0, x1, y1)}
     * @return {@code [n][m]}, entry {@code [i][j]} = {@code iou(a[i], b[j])}
     */
    public static double[][] iouMatrix(float[][] a, float[][] b) {
        requireBoxes(a, "a");
        requireBoxes(b, "b");
        double[][] out = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                out[i][j] = overlap(a[i], b[j]).iou();
            }
        }
        return out;
    }

    /**
     * Pairwise generalized IoU.
     *
     * @param a {@code [n][4]} boxes {@code (x0, y0, x1, y1)}
     * @param b {@code [m][4]} boxes {@code (x0, y0, x1, y1)}
     * @return {@code [n][m]}, entry {@code [i][j]} = {@code generalizedIou(a[i], b[j])}
     */
    public static double[][] generalizedIouMatrix(float[][] a, float[][] b) {
        requireBoxes(a, "a");
        requireBoxes(b, "b");
        double[][] out = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                out[i][j] = overlap(a[i], b[j]).generalizedIou();
            }
        }
        return out;
    }

    /**
     * Maps boxes predicted on a letterboxed model input back to the original image's pixels.
     *
     * @param boxes {@code [n][4]} boxes {@code (cx, cy, w, h)} normalized to [0, 1] relative to
     *     the padded model input of {@code letterbox.inputW() x letterbox.inputH()}
     * @param letterbox how the original image was scaled and padded into the model input
     * @return a new {@code [n][4]} array of {@code (x0, y0, x1, y1)} in original-image pixels;
     *     not clipped (a box reaching into the padding lands past the image edge; see
     *     {@link #clip(float[][], double, double)})
     */
    public static float[][] scaleToPixels(float[][] boxes, Letterbox letterbox) {
        requireBoxes(boxes, "boxes");
        // Normalized coordinates span the padded input; dividing by the scale undoes the
        // resize. Padding is only right/bottom, so there is no offset to subtract.
        double sx = letterbox.inputW() / letterbox.scale();
        double sy = letterbox.inputH() / letterbox.scale();
        float[][] out = new float[boxes.length][];
        for (int i = 0; i < boxes.length; i++) {
            float[] xyxy = cxcywhToXyxy(boxes[i]);
            out[i] = new float[] {
                (float) (xyxy[0] * sx), (float) (xyxy[1] * sy), (float) (xyxy[2] * sx), (float) (xyxy[3] * sy)
            };
        }
        return out;
    }

    /**
     * Clamps boxes to the rectangle {@code [0, width] x [0, height]}.
     *
     * @param boxes {@code [n][4]} boxes {@code (x0, y0, x1, y1)}, in the unit of width/height
     * @param width the right edge, {@code >= 0} (1 for normalized boxes, pixels otherwise)
     * @param height the bottom edge, {@code >= 0}
     * @return a new {@code [n][4]} array; a box wholly outside collapses onto the nearest edge
     */
    public static float[][] clip(float[][] boxes, double width, double height) {
        requireBoxes(boxes, "boxes");
        if (!(width >= 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("clip width must be finite and >= 0, got " + width);
        }
        if (!(height >= 0) || Double.isInfinite(height)) {
            throw new IllegalArgumentException("clip height must be finite and >= 0, got " + height);
        }
        float[][] out = new float[boxes.length][];
        for (int i = 0; i < boxes.length; i++) {
            float[] b = boxes[i];
            out[i] = new float[] {
                clamp(b[0], width), clamp(b[1], height), clamp(b[2], width), clamp(b[3], height)
            };
        }
        return out;
    }

    private static float clamp(float value, double max) {
        return (float) Math.min(Math.max(value, 0.0), max);
    }

    private static double extent(double lo, double hi) {
        return Math.max(0.0, hi - lo);
    }

    /** Areas of the two boxes, their intersection and their enclosing box, in one pass. */
    private static Overlap overlap(float[] a, float[] b) {
        double interW = extent(Math.max(a[0], b[0]), Math.min(a[2], b[2]));
        double interH = extent(Math.max(a[1], b[1]), Math.min(a[3], b[3]));
        double enclosingW = extent(Math.min(a[0], b[0]), Math.max(a[2], b[2]));
        double enclosingH = extent(Math.min(a[1], b[1]), Math.max(a[3], b[3]));
        double areaA = extent(a[0], a[2]) * extent(a[1], a[3]);
        double areaB = extent(b[0], b[2]) * extent(b[1], b[3]);
        double inter = interW * interH;
        return new Overlap(inter, areaA + areaB - inter, enclosingW * enclosingH);
    }

    private record Overlap(double intersection, double union, double enclosing) {
        double iou() {
            return union > 0 ? intersection / union : 0.0;
        }

        double generalizedIou() {
            double penalty = enclosing > 0 ? (enclosing - union) / enclosing : 0.0;
            return iou() - penalty;
        }
    }

    static void requireBoxes(float[][] boxes, String name) {
        if (boxes == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        for (int i = 0; i < boxes.length; i++) {
            requireBox(boxes[i], name + "[" + i + "]");
        }
    }

    static void requireBox(float[] box, String name) {
        if (box == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (box.length != 4) {
            throw new IllegalArgumentException(
                    name + " must have 4 coordinates, got " + box.length);
        }
        for (int k = 0; k < 4; k++) {
            if (!Float.isFinite(box[k])) {
                throw new IllegalArgumentException(
                        name + " has non-finite coordinate " + box[k] + " at index " + k);
            }
        }
    }
}
