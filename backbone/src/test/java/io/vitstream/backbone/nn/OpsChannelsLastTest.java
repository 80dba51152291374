package io.vitstream.backbone.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.Djl;

import org.junit.jupiter.api.Test;

/**
 * {@link Ops#channelsLast}: only the memory layout changes. Its speed is measured by
 * {@code tools/bench-backbones.sh} (docs/benchmarks.md), not here.
 */
class OpsChannelsLastTest {

    static {
        Djl.ensureOffline();
    }

    @Test
    void sameShapeAndValuesInFp32AndBf16() {
        try (NDManager m = Djl.engine().newBaseManager()) {
            // distinct values at every index, so a mixed-up axis cannot go unnoticed
            NDArray x = m.arange(2 * 3 * 5 * 7).toType(DataType.FLOAT32, false).reshape(2, 3, 5, 7);
            NDArray nhwc = Ops.channelsLast(x);
            assertEquals(new Shape(2, 3, 5, 7), nhwc.getShape());
            assertArrayEquals(x.toFloatArray(), nhwc.toFloatArray());
            assertEquals(1f, nhwc.get(0, 0, 0, 1).getFloat());
            assertEquals(35f, nhwc.get(0, 1, 0, 0).getFloat());
            assertEquals(105f + 7f * 2 + 3, nhwc.get(1, 0, 2, 3).getFloat());

            NDArray bf16 = Djl.toBfloat16(x);
            NDArray bf16Nhwc = Ops.channelsLast(bf16);
            assertTrue(Djl.isBfloat16(bf16Nhwc));
            assertArrayEquals(bf16.toType(DataType.FLOAT32, false).toFloatArray(),
                    bf16Nhwc.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    @Test
    void aConvolutionOfTheChannelsLastFormGivesTheSameAnswer() {
        try (NDManager m = Djl.engine().newBaseManager()) {
            Djl.engine().setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(2, 8, 19, 23));
            NDArray w = m.randomNormal(new Shape(16, 8, 3, 3)).mul(0.1f);
            NDArray b = m.randomNormal(new Shape(16));
            NDArray nchw = conv(x, w, b);
            NDArray nhwc = conv(Ops.channelsLast(x), w, b);
            assertEquals(nchw.getShape(), nhwc.getShape());
            float diff = nchw.sub(nhwc).abs().max().getFloat();
            assertTrue(diff < 1e-5f, "max |NCHW - NHWC| " + diff);
            // and the channels-last output feeds the next convolution like any other array
            NDArray w2 = m.randomNormal(new Shape(16, 16, 3, 3)).mul(0.1f);
            float diff2 = conv(nchw.getNDArrayInternal().relu(), w2, b).sub(conv(nhwc.getNDArrayInternal().relu(), w2, b))
                    .abs().max().getFloat();
            assertTrue(diff2 < 1e-4f, "second convolution: max |diff| " + diff2);
        }
    }

    @Test
    void onlyImageBatchesAreAccepted() {
        try (NDManager m = Djl.engine().newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Ops.channelsLast(m.zeros(new Shape(3, 4, 5))));
            assertTrue(e.getMessage().contains("(3, 4, 5)"), e.getMessage());
        }
    }

    private static NDArray conv(NDArray x, NDArray w, NDArray b) {
        return x.getNDArrayInternal().convolution(x, w, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).head();
    }
}
