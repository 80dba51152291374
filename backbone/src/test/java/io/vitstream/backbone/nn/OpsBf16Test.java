package io.vitstream.backbone.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.Djl;

import org.junit.jupiter.api.Test;

/** Softmax on bfloat16 arrays: PyTorch's kernel over the last axis, composed over another. */
class OpsBf16Test {

    static {
        Djl.ensureOffline();
    }

    @Test
    void bf16SoftmaxMatchesFp32WithinBf16Rounding() {
        try (NDManager m = Djl.engine().newBaseManager()) {
            Djl.engine().setRandomSeed(3);
            NDArray x = m.randomNormal(new Shape(2, 3, 17, 17)).mul(4f);
            NDArray bf16 = Djl.toBfloat16(x);
            // the reference: fp32 softmax of the same bf16-rounded inputs
            NDArray rounded = bf16.toType(DataType.FLOAT32, false);
            for (int axis : new int[] {-1, 3, 1}) {
                NDArray got = Ops.softmax(bf16, axis);
                assertTrue(Djl.isBfloat16(got), "stays bfloat16 on axis " + axis);
                NDArray want = rounded.softmax(axis);
                float diff = got.toType(DataType.FLOAT32, false).sub(want).abs().max().getFloat();
                // bf16 keeps 8 bits of mantissa: a probability p <= 1 is rounded by at most 2^-8. The
                // kernel rounds once (fp32 inside); the composed form rounds after every op.
                float bound = axis == 1 ? 3f / 256 : 1f / 256;
                assertTrue(diff < bound, "axis " + axis + ": max |diff| " + diff);
                float rowSum = got.toType(DataType.FLOAT32, false).sum(new int[] {axis}).sub(1f).abs().max().getFloat();
                assertTrue(rowSum < 2e-2f, "axis " + axis + ": rows sum to 1 within bf16 rounding, off by " + rowSum);
            }
            assertEquals(new Shape(2, 3, 17, 17), Ops.softmax(bf16, -1).getShape());
        }
    }
}
