package io.vitstream.backbone.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.Grid;

import java.util.List;

/**
 * Attention rollout (Abnar and Zuidema 2020): how much each input token flows into each output
 * token through all layers, assuming attention mixes linearly and the residual path carries half.
 *
 * <p>Per layer the heads are fused (mean, max or min), the identity is added for the residual
 * connection and rows are renormalized: {@code A' = (A + I) / 2}. The rollout is the product
 * {@code A'_L ... A'_1}. Row {@code i} tells which input tokens token {@code i} draws on; the
 * class token's row over the patches is the usual heat map.
 */
public final class AttentionRollout {

    /** How the heads of one layer are combined. */
    public enum HeadFusion { MEAN, MAX, MIN }

    private AttentionRollout() {}

    /**
     * Rolls attention out over layers, for one image.
     *
     * @param layers per layer, attention probabilities {@code [heads][T][T]} (rows sum to 1)
     * @return {@code [T][T]}, rows summing to 1
     */
    public static double[][] rollout(List<float[][][]> layers, HeadFusion fusion) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no attention maps given; run the backbone with attentions on");
        }
        int t = layers.get(0)[0].length;
        double[][] result = identity(t);
        for (int l = 0; l < layers.size(); l++) {
            float[][][] heads = layers.get(l);
            if (heads[0].length != t || heads[0][0].length != t) {
                throw new IllegalArgumentException("layer " + l + " attention is " + heads[0].length + "x"
                        + heads[0][0].length + ", expected " + t + "x" + t);
            }
            result = multiply(withResidual(fuse(heads, fusion)), result);
        }
        return result;
    }

    /**
     * One row of the rollout, {@code start · A'_L ... A'_1}, without forming the {@code T x T}
     * product: {@code O(L T^2)} instead of {@code O(L T^3)} (ViT-B/16 at 224: 197 tokens, 12
     * layers; at 518 with patch 14, 1370 tokens, the full product would take minutes). With
     * {@code start} the unit vector of token {@code i} it is row {@code i} of {@link #rollout}.
     *
     * @param layers per layer, attention probabilities {@code [heads][T][T]}
     * @param start a weighting of the output tokens, length {@code T}
     * @return length {@code T}
     */
    public static double[] rolloutRow(List<float[][][]> layers, HeadFusion fusion, double[] start) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no attention maps given; run the backbone with attentions on");
        }
        int t = layers.get(0)[0].length;
        if (start.length != t) {
            throw new IllegalArgumentException("start has " + start.length + " entries, the attention maps " + t + " tokens");
        }
        double[] v = start.clone();
        for (int l = layers.size() - 1; l >= 0; l--) {
            float[][][] heads = layers.get(l);
            if (heads[0].length != t || heads[0][0].length != t) {
                throw new IllegalArgumentException("layer " + l + " attention is " + heads[0].length + "x"
                        + heads[0][0].length + ", expected " + t + "x" + t);
            }
            double[][] a = withResidual(fuse(heads, fusion));
            double[] next = new double[t];
            for (int i = 0; i < t; i++) {
                double vi = v[i];
                if (vi == 0) continue;
                double[] row = a[i];
                for (int j = 0; j < t; j++) next[j] += vi * row[j];
            }
            v = next;
        }
        return v;
    }

    /**
     * The patch part of a rollout row ({@link #rolloutRow}) on the patch grid, scaled to a
     * maximum of 1.
     *
     * @return {@code [H][W]}
     */
    public static float[][] heatmap(double[] row, int numPrefixTokens, Grid grid) {
        if (row.length != numPrefixTokens + grid.size()) {
            throw new IllegalArgumentException("rollout row has " + row.length + " tokens, expected "
                    + numPrefixTokens + " + " + grid.size());
        }
        double max = 0;
        for (int i = 0; i < grid.size(); i++) {
            max = Math.max(max, row[numPrefixTokens + i]);
        }
        float[][] map = new float[grid.height()][grid.width()];
        for (int i = 0; i < grid.size(); i++) {
            double v = row[numPrefixTokens + i];
            map[i / grid.width()][i % grid.width()] = (float) (max > 0 ? v / max : 0);
        }
        return map;
    }

    /**
     * The heat map of one token's row over the patch grid, scaled to a maximum of 1.
     *
     * @param rollout {@code [T][T]} from {@link #rollout}
     * @param token the row to read, usually 0 (the class token)
     * @param numPrefixTokens tokens before the patches
     * @return {@code [H][W]}
     */
    public static float[][] heatmap(double[][] rollout, int token, int numPrefixTokens, Grid grid) {
        if (rollout.length != numPrefixTokens + grid.size()) {
            throw new IllegalArgumentException("rollout has " + rollout.length + " tokens, expected "
                    + numPrefixTokens + " + " + grid.size());
        }
        return heatmap(rollout[token], numPrefixTokens, grid);
    }

    /**
     * One image's attention maps as plain arrays, for {@link #rollout}.
     *
     * @param attentions per layer {@code [B, heads, T, T]} (any float precision)
     * @param image index in the batch
     */
    public static List<float[][][]> toArrays(List<NDArray> attentions, int image) {
        List<float[][][]> out = new java.util.ArrayList<>();
        for (NDArray a : attentions) {
            Shape s = a.getShape();
            int heads = (int) s.get(1);
            int t = (int) s.get(2);
            float[] flat = a.get(image).toType(DataType.FLOAT32, false).toFloatArray();
            float[][][] layer = new float[heads][t][t];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < t; i++) {
                    System.arraycopy(flat, (h * t + i) * t, layer[h][i], 0, t);
                }
            }
            out.add(layer);
        }
        return out;
    }

    private static double[][] fuse(float[][][] heads, HeadFusion fusion) {
        int t = heads[0].length;
        double[][] out = new double[t][t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                double acc = fusion == HeadFusion.MEAN ? 0 : heads[0][i][j];
                for (float[][] h : heads) {
                    switch (fusion) {
                        case MEAN: acc += h[i][j]; break;
                        case MAX: acc = Math.max(acc, h[i][j]); break;
                        default: acc = Math.min(acc, h[i][j]); break;
                    }
                }
                out[i][j] = fusion == HeadFusion.MEAN ? acc / heads.length : acc;
            }
        }
        return out;
    }

    /** {@code (A + I)}, rows renormalized (max/min fusion leaves rows not summing to 1). */
    private static double[][] withResidual(double[][] a) {
        int t = a.length;
        for (int i = 0; i < t; i++) {
            a[i][i] += 1;
            double sum = 0;
            for (int j = 0; j < t; j++) sum += a[i][j];
            for (int j = 0; j < t; j++) a[i][j] /= sum;
        }
        return a;
    }

    private static double[][] identity(int t) {
        double[][] id = new double[t][t];
        for (int i = 0; i < t; i++) id[i][i] = 1;
        return id;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                if (aik == 0) continue;
                for (int j = 0; j < n; j++) c[i][j] += aik * b[k][j];
            }
        }
        return c;
    }
}
