package io.vitstream.backbone.vit;

import static io.vitstream.backbone.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.Fixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

/** Bicubic position-embedding resampling against torch's {@code interpolate} (fixture from tools/). */
class PositionEmbeddingsTest {

    @ParameterizedTest
    @CsvSource({"up_9x11,9,11", "down_3x4,3,4", "same_5x7,5,7", "up_2x_10x14,10,14"})
    void pureFunctionMatchesTorchBicubic(String key, int h, int w) {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> exp = Fixtures.expected("resample", m);
            NDArray in = exp.get("grid_in"); // [1, D, 5, 7]
            int d = (int) in.getShape().get(1);
            // The pure function takes [h][w][D]; the fixture is channels-first.
            float[] hwd = in.get(0).transpose(1, 2, 0).toFloatArray();
            float[] out = PositionEmbeddings.resample(hwd, 5, 7, d, h, w);
            NDArray got = m.create(out, new Shape(h, w, d)).transpose(2, 0, 1).expandDims(0);
            assertClose(got, exp.get(key), 1e-5f, key);
        }
    }

    /** The array version (used in the forward pass) equals the pure function and keeps the prefix. */
    @Test
    void arrayVersionEqualsPureFunctionAndKeepsPrefix() {
        try (NDManager m = NDManager.newBaseManager()) {
            int d = 4;
            NDArray pos = m.randomNormal(new Shape(1, 1 + 3 * 5, d));
            NDArray out = PositionEmbeddings.resample(pos, 1, 3, 5, 4, 2);
            assertEquals(new Shape(1, 1 + 8, d), out.getShape());
            assertArrayEquals(pos.get(":, 0, :").toFloatArray(), out.get(":, 0, :").toFloatArray());
            float[] pure = PositionEmbeddings.resample(pos.get(":, 1:, :").toFloatArray(), 3, 5, d, 4, 2);
            assertClose(out.get(":, 1:, :").reshape(8, d), m.create(pure, new Shape(8, d)), 1e-5f, "array vs pure");
        }
    }

    @Test
    void matrixRowsSumToOneAndIdentityWhenSizesMatch() {
        double[][] m = PositionEmbeddings.bicubicMatrix(7, 3);
        for (double[] row : m) {
            double s = 0;
            for (double v : row) s += v;
            assertEquals(1.0, s, 1e-12);
        }
        double[][] id = PositionEmbeddings.bicubicMatrix(4, 4);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(i == j ? 1.0 : 0.0, id[i][j], 1e-12);
            }
        }
    }

    /**
     * Antialiased bicubic (HF's Dinov2WithRegisters), worked by hand for 4 -> 2: output 0 is centred
     * at 1.0, the kernel is stretched by 2 (support 4), so it reads inputs 0..3 at distances
     * -0.25, 0.25, 0.75, 1.25 with Keys' a = -0.5: 0.8671875, 0.8671875, 0.2265625, -0.0703125,
     * renormalized by their sum 1.890625. The same size is the identity.
     */
    @Test
    void antialiasedMatrixWorkedByHand() {
        double[][] m = PositionEmbeddings.antialiasedBicubicMatrix(4, 2);
        double s = 1.890625;
        assertArrayEquals(new double[] {0.8671875 / s, 0.8671875 / s, 0.2265625 / s, -0.0703125 / s}, m[0], 1e-12);
        assertArrayEquals(new double[] {-0.0703125 / s, 0.2265625 / s, 0.8671875 / s, 0.8671875 / s}, m[1], 1e-12);
        double[][] same = PositionEmbeddings.antialiasedBicubicMatrix(3, 3);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(i == j ? 1.0 : 0.0, same[i][j], 1e-12);
            }
        }
    }
}
