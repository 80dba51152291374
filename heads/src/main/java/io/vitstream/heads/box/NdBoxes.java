package io.vitstream.heads.box;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.nn.Ops;

/**
 * The box maths of {@link Boxes} on DJL tensors, built only from differentiable ops so a
 * set loss can back-propagate through them.
 *
 * <p>Degenerate boxes follow the conventions of {@link Boxes}: inverted boxes have area 0,
 * IoU is 0 when the union has no area, and GIoU's penalty is 0 when the enclosing box has
 * no area. Branching on those cases ({@code where}) would leak NaN gradients from the
 * untaken 0/0 branch, so instead each denominator is floored at {@link #EPS}. For boxes
 * whose union and enclosing box are at least {@code EPS} in area this changes nothing;
 * below it, the numerator is at most the denominator, so the result stays in range.
 *
 * <p>Every result, and every intermediate that autograd keeps alive, belongs to the
 * manager of the first argument: call these inside a manager scoped to the batch.
 */
public final class NdBoxes {

    /**
     * Floor for the union and enclosing areas (in squared coordinate units). 1e-7 is about
     * float32's relative precision at 1, so for normalized boxes it only bites when a box is
     * already below float resolution; it bounds the gradient of a ratio by {@code 1 / EPS}.
     */
    public static final float EPS = 1e-7f;

    private NdBoxes() {}

    /**
     * Converts boxes from centre format to corner format.
     *
     * @param boxes {@code [..., 4]} (typically {@code [N, 4]}), each {@code (cx, cy, w, h)}
     * @return {@code [..., 4]}, each {@code (cx - w/2, cy - h/2, cx + w/2, cy + h/2)}
     */
    public static NDArray cxcywhToXyxy(NDArray boxes) {
        requireLastAxis4(boxes, "boxes");
        NDArray centre = boxes.get("..., :2");
        // Ops.scalar rather than the Number overloads, whose scalar DJL frees before backward.
        NDArray half = boxes.get("..., 2:").mul(Ops.scalar(boxes, 0.5f));
        return centre.sub(half).concat(centre.add(half), -1);
    }

    /**
     * Area of boxes; inverted boxes have area 0.
     *
     * @param boxes {@code [..., 4]}, each {@code (x0, y0, x1, y1)}
     * @return {@code [...]}, {@code max(0, x1 - x0) * max(0, y1 - y0)}
     */
    public static NDArray area(NDArray boxes) {
        requireLastAxis4(boxes, "boxes");
        NDArray wh = boxes.get("..., 2:").sub(boxes.get("..., :2"));
        wh = wh.maximum(Ops.scalar(wh, 0f));
        return wh.get("..., 0").mul(wh.get("..., 1"));
    }

    /**
     * Pairwise generalized IoU (Rezatofighi et al. 2019): {@code IoU - (|C| - |A ∪ B|) / |C|},
     * C the smallest box enclosing both, with the denominators floored at {@link #EPS}.
     *
     * @param a {@code [N, 4]} boxes {@code (x0, y0, x1, y1)}
     * @param b {@code [M, 4]} boxes {@code (x0, y0, x1, y1)}, same data type as {@code a}
     * @return {@code [N, M]}, entry {@code [i, j]} the GIoU of {@code a[i]} and {@code b[j]},
     *     in [-1, 1]; differentiable with respect to both arguments
     */
    public static NDArray generalizedIouMatrix(NDArray a, NDArray b) {
        requireMatrix(a, "a");
        requireMatrix(b, "b");
        // [N, 1, 4] against [1, M, 4] broadcasts every pair without copying boxes.
        return generalizedIou(a.expandDims(1), b.expandDims(0));
    }

    /**
     * Generalized IoU of matched pairs, {@code a[i]} with {@code b[i]} (the set loss needs only
     * the matched pairs, not the whole matrix).
     *
     * @param a {@code [N, 4]} boxes {@code (x0, y0, x1, y1)}
     * @param b {@code [N, 4]} boxes {@code (x0, y0, x1, y1)}
     * @return {@code [N]}, differentiable with respect to both arguments
     */
    public static NDArray generalizedIouPaired(NDArray a, NDArray b) {
        requireMatrix(a, "a");
        requireMatrix(b, "b");
        if (a.getShape().get(0) != b.getShape().get(0)) {
            throw new IllegalArgumentException("paired boxes need equal counts, got " + a.getShape() + " and " + b.getShape());
        }
        return generalizedIou(a, b);
    }

    /** GIoU of boxes {@code [..., 4]} that broadcast against each other. */
    private static NDArray generalizedIou(NDArray left, NDArray right) {
        NDArray inter = overlapArea(
                left.get("..., :2").maximum(right.get("..., :2")),
                left.get("..., 2:").minimum(right.get("..., 2:")));
        NDArray enclosing = overlapArea(
                left.get("..., :2").minimum(right.get("..., :2")),
                left.get("..., 2:").maximum(right.get("..., 2:")));
        NDArray union = area(left).add(area(right)).sub(inter);
        NDArray eps = Ops.scalar(union, EPS);
        NDArray iou = inter.div(union.maximum(eps));
        NDArray penalty = enclosing.sub(union).div(enclosing.maximum(eps));
        return iou.sub(penalty);
    }

    /** Area of the box spanned by corners {@code [..., 2]}, 0 where it is inverted. */
    private static NDArray overlapArea(NDArray topLeft, NDArray bottomRight) {
        NDArray wh = bottomRight.sub(topLeft);
        wh = wh.maximum(Ops.scalar(wh, 0f));
        return wh.get("..., 0").mul(wh.get("..., 1"));
    }

    private static void requireLastAxis4(NDArray boxes, String name) {
        Shape shape = boxes.getShape();
        if (shape.dimension() == 0 || shape.tail() != 4) {
            throw new IllegalArgumentException(name + " must have shape [..., 4], got " + shape);
        }
    }

    private static void requireMatrix(NDArray boxes, String name) {
        Shape shape = boxes.getShape();
        if (shape.dimension() != 2 || shape.get(1) != 4) {
            throw new IllegalArgumentException(name + " must have shape [N, 4], got " + shape);
        }
    }
}
