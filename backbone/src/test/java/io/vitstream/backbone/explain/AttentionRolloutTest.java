package io.vitstream.backbone.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vitstream.backbone.Grid;
import io.vitstream.backbone.explain.AttentionRollout.HeadFusion;

import org.junit.jupiter.api.Test;

import java.util.List;

class AttentionRolloutTest {

    /** One layer, one head, 2 tokens: (A + I) / 2 with rows renormalized, by hand. */
    @Test
    void singleLayerIsAttentionPlusResidual() {
        float[][][] layer = {{{0.2f, 0.8f}, {0.6f, 0.4f}}};
        double[][] r = AttentionRollout.rollout(List.<float[][][]>of(layer), HeadFusion.MEAN);
        assertArrayEquals(new double[] {0.6, 0.4}, r[0], 1e-7);
        assertArrayEquals(new double[] {0.3, 0.7}, r[1], 1e-7);
    }

    /** Two layers multiply, later layer on the left: R = A2' A1'. */
    @Test
    void layersComposeByMatrixProduct() {
        float[][][] a1 = {{{0f, 1f}, {1f, 0f}}};
        float[][][] a2 = {{{1f, 0f}, {0f, 1f}}};
        // A1' = [[.5,.5],[.5,.5]], A2' = I  ->  R = A1'
        double[][] r = AttentionRollout.rollout(List.of(a1, a2), HeadFusion.MEAN);
        assertArrayEquals(new double[] {0.5, 0.5}, r[0], 1e-7);
        // Order matters: A1' A2' would be the same here, so check a non-commuting pair.
        float[][][] b1 = {{{1f, 0f}, {1f, 0f}}};
        float[][][] b2 = {{{0f, 1f}, {0f, 1f}}};
        double[][] rb = AttentionRollout.rollout(List.of(b1, b2), HeadFusion.MEAN);
        // B1' = [[1,0],[.5,.5]], B2' = [[.5,.5],[0,1]]; B2' B1' = [[.75,.25],[.5,.5]]
        assertArrayEquals(new double[] {0.75, 0.25}, rb[0], 1e-7);
        assertArrayEquals(new double[] {0.5, 0.5}, rb[1], 1e-7);
    }

    @Test
    void headFusionModes() {
        float[][][] layer = {{{1f, 0f}, {0f, 1f}}, {{0f, 1f}, {1f, 0f}}};
        double[][] mean = AttentionRollout.rollout(List.<float[][][]>of(layer), HeadFusion.MEAN);
        assertArrayEquals(new double[] {0.75, 0.25}, mean[0], 1e-7);
        double[][] max = AttentionRollout.rollout(List.<float[][][]>of(layer), HeadFusion.MAX);
        // max = [[1,1],[1,1]] + I = [[2,1],[1,2]] -> rows / 3
        assertArrayEquals(new double[] {2 / 3.0, 1 / 3.0}, max[0], 1e-7);
        double[][] min = AttentionRollout.rollout(List.<float[][][]>of(layer), HeadFusion.MIN);
        assertArrayEquals(new double[] {1, 0}, min[0], 1e-7);
    }

    @Test
    void heatmapReadsThePatchPartOfARowOnTheGrid() {
        double[][] r = new double[5][5];
        r[0] = new double[] {0.2, 0.1, 0.4, 0.2, 0.1};
        float[][] map = AttentionRollout.heatmap(r, 0, 1, new Grid(2, 2));
        assertArrayEquals(new float[] {0.25f, 1f}, map[0], 1e-6f);
        assertArrayEquals(new float[] {0.5f, 0.25f}, map[1], 1e-6f);
        assertEquals(2, map.length);
    }

    @Test
    void rejectsMismatchedSizes() {
        float[][][] two = {{{1f, 0f}, {0f, 1f}}};
        float[][][] three = {{{1f, 0f, 0f}, {0f, 1f, 0f}, {0f, 0f, 1f}}};
        assertThrows(IllegalArgumentException.class, () -> AttentionRollout.rollout(List.of(two, three), HeadFusion.MEAN));
        assertThrows(IllegalArgumentException.class, () -> AttentionRollout.rollout(List.of(), HeadFusion.MEAN));
    }

    /** Random row-stochastic attention, {@code [heads][t][t]}. */
    private static float[][][] randomLayer(java.util.Random rnd, int heads, int t) {
        float[][][] a = new float[heads][t][t];
        for (float[][] h : a) {
            for (float[] row : h) {
                double sum = 0;
                for (int j = 0; j < t; j++) sum += row[j] = (float) Math.exp(2 * rnd.nextGaussian());
                for (int j = 0; j < t; j++) row[j] /= sum;
            }
        }
        return a;
    }

    /** The row-only rollout is the full product's row, for every fusion, and a weighted start is the weighted rows. */
    @Test
    void oneRowEqualsTheFullProductsRow() {
        java.util.Random rnd = new java.util.Random(7);
        int t = 11;
        List<float[][][]> layers = List.of(randomLayer(rnd, 3, t), randomLayer(rnd, 3, t), randomLayer(rnd, 3, t),
                randomLayer(rnd, 3, t));
        for (HeadFusion f : HeadFusion.values()) {
            double[][] full = AttentionRollout.rollout(layers, f);
            for (int token : new int[] {0, 5}) {
                double[] start = new double[t];
                start[token] = 1;
                assertArrayEquals(full[token], AttentionRollout.rolloutRow(layers, f, start), 1e-12, f + " row " + token);
            }
            double[] mean = new double[t];
            double[] expected = new double[t];
            for (int i = 1; i < t; i++) {
                mean[i] = 1.0 / (t - 1);
                for (int j = 0; j < t; j++) expected[j] += full[i][j] / (t - 1);
            }
            assertArrayEquals(expected, AttentionRollout.rolloutRow(layers, f, mean), 1e-12, f + " mean of rows");
        }
        assertThrows(IllegalArgumentException.class, () -> AttentionRollout.rolloutRow(layers, HeadFusion.MEAN, new double[3]));
    }
}
