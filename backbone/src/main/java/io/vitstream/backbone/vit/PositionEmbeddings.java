package io.vitstream.backbone.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Resampling of learned position embeddings to another patch grid, so a checkpoint trained at
 * one input size runs at any size divisible by the patch (square or not).
 *
 * <p>The patch part is resized as a {@code [D, H, W]} image with bicubic interpolation as
 * PyTorch's {@code interpolate(mode="bicubic", align_corners=False)} without antialiasing does
 * (Keys' cubic with a = -0.75, source coordinate {@code (i + 0.5) * in / out - 0.5}, border
 * pixels repeated), which is what Hugging Face's {@code interpolate_pos_encoding} calls. Prefix
 * positions (class token) are kept as they are.
 *
 * <p>Hugging Face's {@code Dinov2WithRegisters} interpolates with {@code antialias=True} instead:
 * PyTorch's antialiased bicubic, which is PIL's (a = -0.5, the kernel widened by the scale when
 * shrinking, taps outside the grid dropped and the rest renormalized): {@link #antialiasedBicubicMatrix}.
 *
 * <p>Bicubic resizing is separable, so it is two matrix products, {@code R_h P R_w^T}: one
 * formula for the pure function and the differentiable array version.
 */
public final class PositionEmbeddings {

    private static final double A = -0.75;

    private PositionEmbeddings() {}

    /**
     * The 1-D bicubic resampling matrix: {@code out[i] = sum_j M[i][j] * in[j]}.
     *
     * @param in input length
     * @param out output length
     * @return {@code [out][in]} weights; each row sums to 1
     */
    public static double[][] bicubicMatrix(int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("sizes must be positive, got " + in + " -> " + out);
        }
        double[][] m = new double[out][in];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = (i + 0.5) * scale - 0.5;
            int floor = (int) Math.floor(src);
            double t = src - floor;
            double[] w = {cubic(t + 1, A), cubic(t, A), cubic(1 - t, A), cubic(2 - t, A)};
            for (int k = 0; k < 4; k++) {
                int j = Math.min(Math.max(floor - 1 + k, 0), in - 1);
                m[i][j] += w[k];
            }
        }
        return m;
    }

    /**
     * The 1-D matrix of PyTorch's {@code interpolate(mode="bicubic", align_corners=False,
     * antialias=True)} (ATen's {@code _compute_weights_aa}): output {@code i} is centred at
     * {@code (i + 0.5) * in / out} and reads the inputs within {@code 2 * max(in / out, 1)} of it,
     * with Keys' kernel at a = -0.5 evaluated at distance / max(in / out, 1), renormalized.
     *
     * @return {@code [out][in]} weights; each row sums to 1
     */
    public static double[][] antialiasedBicubicMatrix(int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("sizes must be positive, got " + in + " -> " + out);
        }
        double[][] m = new double[out][in];
        double scale = (double) in / out;
        double stretch = Math.max(scale, 1.0);
        double support = 2 * stretch;
        for (int i = 0; i < out; i++) {
            double center = scale * (i + 0.5);
            int min = Math.max((int) (center - support + 0.5), 0);
            int end = Math.min((int) (center + support + 0.5), in);
            double total = 0;
            for (int j = min; j < end; j++) {
                m[i][j] = cubic((j - center + 0.5) / stretch, -0.5);
                total += m[i][j];
            }
            if (total != 0) {
                for (int j = min; j < end; j++) {
                    m[i][j] /= total;
                }
            }
        }
        return m;
    }

    /** Keys' cubic convolution kernel with parameter {@code a}. */
    private static double cubic(double x, double a) {
        double t = Math.abs(x);
        if (t < 1) {
            return ((a + 2) * t - (a + 3)) * t * t + 1;
        }
        return t < 2 ? ((a * t - 5 * a) * t + 8 * a) * t - 4 * a : 0;
    }


    /**
     * Resamples a grid of vectors (pure function, for tests and tools).
     *
     * @param grid row-major {@code [h][w][dim]} flattened
     * @return row-major {@code [newH][newW][dim]} flattened
     */
    public static float[] resample(float[] grid, int h, int w, int dim, int newH, int newW) {
        if (grid.length != (long) h * w * dim) {
            throw new IllegalArgumentException("grid has " + grid.length + " values, expected " + h + "x" + w + "x" + dim);
        }
        double[][] rh = bicubicMatrix(h, newH);
        double[][] rw = bicubicMatrix(w, newW);
        float[] out = new float[newH * newW * dim];
        for (int i = 0; i < newH; i++) {
            for (int j = 0; j < newW; j++) {
                for (int a = 0; a < h; a++) {
                    if (rh[i][a] == 0) continue;
                    for (int b = 0; b < w; b++) {
                        double wgt = rh[i][a] * rw[j][b];
                        if (wgt == 0) continue;
                        int src = (a * w + b) * dim;
                        int dst = (i * newW + j) * dim;
                        for (int d = 0; d < dim; d++) {
                            out[dst + d] += (float) (wgt * grid[src + d]);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Resamples position embeddings with array ops (differentiable; used in the forward pass).
     *
     * @param posEmbed {@code [1, prefix + h*w, D]}
     * @param prefix number of leading positions to keep as they are
     * @return {@code [1, prefix + newH*newW, D]} in the same precision
     */
    public static NDArray resample(NDArray posEmbed, int prefix, int h, int w, int newH, int newW) {
        return resample(posEmbed, prefix, h, w, newH, newW, false);
    }

    /**
     * Resamples position embeddings with array ops, optionally antialiased (differentiable).
     *
     * @param posEmbed {@code [1, prefix + h*w, D]}
     * @param prefix number of leading positions to keep as they are
     * @param antialias PyTorch's {@code antialias=True} bicubic ({@link #antialiasedBicubicMatrix})
     * @return {@code [1, prefix + newH*newW, D]} in the same precision
     */
    public static NDArray resample(NDArray posEmbed, int prefix, int h, int w, int newH, int newW, boolean antialias) {
        if (h == newH && w == newW) {
            return posEmbed;
        }
        long dim = posEmbed.getShape().get(2);
        NDManager m = posEmbed.getManager();
        NDArray patches = posEmbed.get(":, {}:, :", prefix).reshape(h, w * dim);
        NDArray rh = matrix(m, antialias ? antialiasedBicubicMatrix(h, newH) : bicubicMatrix(h, newH), posEmbed);
        NDArray rw = matrix(m, antialias ? antialiasedBicubicMatrix(w, newW) : bicubicMatrix(w, newW), posEmbed);
        // [newH, w*D] -> [newH, w, D] -> [newH, D, w] x [w, newW] -> [newH, D, newW] -> [newH, newW, D]
        NDArray rows = rh.matMul(patches).reshape(newH, w, dim).transpose(0, 2, 1);
        NDArray both = rows.matMul(rw.transpose()).transpose(0, 2, 1).reshape(1, (long) newH * newW, dim);
        if (prefix == 0) {
            return both;
        }
        return posEmbed.get(":, :{}, :", prefix).concat(both, 1);
    }

    private static NDArray matrix(NDManager m, double[][] values, NDArray like) {
        float[] flat = new float[values.length * values[0].length];
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < values[0].length; j++) {
                flat[i * values[0].length + j] = (float) values[i][j];
            }
        }
        NDArray a = m.create(flat, new Shape(values.length, values[0].length)).toDevice(like.getDevice(), false);
        return io.vitstream.backbone.nn.Ops.sameType(a, like);
    }
}
