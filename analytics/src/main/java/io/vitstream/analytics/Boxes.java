package io.vitstream.analytics;

/** Box arithmetic on (x1, y1, x2, y2) boxes in pixels. */
final class Boxes {

    private Boxes() {}

    /**
     * Intersection over union of boxes a and b, each {@code [x1, y1, x2, y2]} at {@code offset}
     * of its array; 0 when they do not overlap or both are empty. A box with x2 < x1 or y2 < y1
     * counts as empty.
     */
    static double iou(double[] a, int aOffset, double[] b, int bOffset) {
        double iw = Math.min(a[aOffset + 2], b[bOffset + 2]) - Math.max(a[aOffset], b[bOffset]);
        double ih = Math.min(a[aOffset + 3], b[bOffset + 3]) - Math.max(a[aOffset + 1], b[bOffset + 1]);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double intersection = iw * ih;
        double union = area(a, aOffset) + area(b, bOffset) - intersection;
        return union > 0 ? intersection / union : 0;
    }

    private static double area(double[] box, int offset) {
        return Math.max(0, box[offset + 2] - box[offset]) * Math.max(0, box[offset + 3] - box[offset + 1]);
    }
}
