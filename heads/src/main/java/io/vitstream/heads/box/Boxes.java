package io.vitstream.heads.box;

/**
 * Box arithmetic on plain Java arrays, what the Hungarian matcher needs: centre-to-corner
 * conversion and pairwise generalized IoU.
 *
 * <p>A box is a {@code float[4]}, a batch of boxes a {@code float[n][4]}. Two formats are
 * used: {@code (cx, cy, w, h)} (centre, width, height — what a DETR head predicts) and
 * {@code (x0, y0, x1, y1)} (top-left and bottom-right corners). Functions say which one
 * they expect; none of them cares whether coordinates are normalized or in pixels.
 * Arithmetic is done in {@code double} and results are returned as {@code double}, so the
 * float inputs lose nothing further.
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
     * Pairwise generalized IoU (Rezatofighi et al. 2019): {@code IoU - (|C| - |A ∪ B|) / |C|},
     * C the smallest box enclosing both; when {@code |C| = 0} the penalty is 0 (see the class
     * notes).
     *
     * @param a {@code [n][4]} boxes {@code (x0, y0, x1, y1)}
     * @param b {@code [m][4]} boxes {@code (x0, y0, x1, y1)}
     * @return {@code [n][m]}, entry {@code [i][j]} the GIoU of {@code a[i]} and {@code b[j]}, in
     *     [-1, 1]; 1 only for identical boxes of positive area
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

    private static void requireBoxes(float[][] boxes, String name) {
        if (boxes == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        for (int i = 0; i < boxes.length; i++) {
            requireBox(boxes[i], name + "[" + i + "]");
        }
    }

    private static void requireBox(float[] box, String name) {
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
