package io.vitstream.backbone.image;

/**
 * Resizes 8-bit RGB images the way PIL's {@code Image.resize} does, so inputs match what Hugging
 * Face processors (which call PIL) give the same model.
 *
 * <p>PIL resamples separably, horizontal pass first, with the filter's support widened by the
 * scale when shrinking (so downscaling averages, i.e. antialiases). Weights are normalized per
 * output pixel and turned into 22-bit fixed point; each pass rounds to 8 bits. Doing the same
 * arithmetic gives the same bytes.
 */
public final class Resampler {

    static final int PRECISION_BITS = 32 - 8 - 2;

    /** PIL's resampling filters, by their PIL codes. */
    public enum Filter {
        NEAREST(0, 0),
        LANCZOS(1, 3),
        BILINEAR(2, 1),
        BICUBIC(3, 2),
        BOX(4, 0.5),
        HAMMING(5, 1);

        private final int pilCode;
        private final double support;

        Filter(int pilCode, double support) {
            this.pilCode = pilCode;
            this.support = support;
        }

        /**
         * The filter with a PIL resample code (as in {@code preprocessor_config.json}).
         *
         * @throws IllegalArgumentException for codes PIL does not define
         */
        public static Filter fromPil(int code) {
            for (Filter f : values()) {
                if (f.pilCode == code) return f;
            }
            throw new IllegalArgumentException("unknown resample " + code
                    + "; PIL codes: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming");
        }

        /** The PIL code. */
        public int pilCode() {
            return pilCode;
        }

        double weight(double x) {
            double a = Math.abs(x);
            switch (this) {
                case BOX: return x > -0.5 && x <= 0.5 ? 1 : 0;
                case BILINEAR: return a < 1 ? 1 - a : 0;
                case HAMMING: return a >= 1 ? 0 : x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x) * (0.54 + 0.46 * Math.cos(Math.PI * x));
                case BICUBIC: return a < 1 ? (1.5 * a - 2.5) * a * a + 1 : a < 2 ? ((-0.5 * a + 2.5) * a - 4) * a + 2 : 0;
                case LANCZOS: return a < 3 ? sinc(x) * sinc(x / 3) : 0;
                default: throw new IllegalStateException(name());
            }
        }

        private static double sinc(double x) {
            return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        }
    }

    private Resampler() {}

    /**
     * Resizes to {@code width x height}.
     *
     * @return a new image (or {@code image} when the size is unchanged)
     */
    public static RgbImage resize(RgbImage image, int width, int height, Filter filter) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        if (width == image.width() && height == image.height()) {
            return image;
        }
        long larger = Math.max((long) width * image.height(), (long) width * height) * 3;
        if (larger > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cannot resize " + image.width() + "x" + image.height() + " to " + width
                    + "x" + height + ": a pass needs " + larger + " bytes, more than one array holds");
        }
        if (filter == Filter.NEAREST) {
            return nearest(image, width, height);
        }
        Coefficients horizontal = Coefficients.of(image.width(), width, filter);
        Coefficients vertical = Coefficients.of(image.height(), height, filter);
        RgbImage out = image;
        if (width != image.width()) {
            out = horizontalPass(out, horizontal);
        }
        if (height != image.height()) {
            out = verticalPass(out, vertical);
        }
        return out;
    }

    /** Per output pixel: first input index, number of taps, fixed-point weights. */
    record Coefficients(int[] start, int[] count, int[][] weights) {

        private record Key(int in, int out, Filter f) {}

        private static final java.util.Map<Key, Coefficients> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

        /** The same as {@link #of}, cached: a camera's frames keep one size, so these repeat. */
        static Coefficients cached(int in, int out, Filter f) {
            Key key = new Key(in, out, f);
            Coefficients c = CACHE.get(key);
            if (c == null) {
                if (CACHE.size() > 256) {
                    CACHE.clear();
                }
                c = of(in, out, f);
                CACHE.put(key, c);
            }
            return c;
        }

        static Coefficients of(int in, int out, Filter f) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = f.support * filterScale;
            int[] start = new int[out];
            int[] count = new int[out];
            int[][] weights = new int[out][];
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int min = first(in, scale, support, i);
                int max = end(in, scale, support, i) - min;
                double[] k = new double[max];
                double sum = 0;
                for (int x = 0; x < max; x++) {
                    k[x] = f.weight((x + min - center + 0.5) / filterScale);
                    sum += k[x];
                }
                int[] fixed = new int[max];
                for (int x = 0; x < max; x++) {
                    double w = sum != 0 ? k[x] / sum : k[x];
                    fixed[x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
                }
                start[i] = min;
                count[i] = max;
                weights[i] = fixed;
            }
            return new Coefficients(start, count, weights);
        }

        /** Support of the filter in input pixels when resampling {@code in} to {@code out}. */
        static double support(long in, long out, Filter f) {
            return f.support * Math.max((double) in / out, 1.0);
        }

        /** First input index output {@code i} reads. */
        static int first(long in, double scale, double support, long i) {
            return Math.max((int) ((i + 0.5) * scale - support + 0.5), 0);
        }

        /** One past the last input index output {@code i} reads. */
        static int end(long in, double scale, double support, long i) {
            return (int) Math.min((long) ((i + 0.5) * scale + support + 0.5), in);
        }

        /**
         * Heap bytes {@link #of} allocates for {@code in} to {@code out} (long: {@code out} may be a
         * size no array holds): per output, a weights array of at most the support's width plus its
         * header, its start and count, and the reference to it.
         */
        static long bytes(long in, long out, Filter f) {
            long taps = Math.min(in, (long) Math.ceil(2 * support(in, out, f)) + 1);
            return out * (taps * 4 + 16 + 4 + 4 + 8);
        }
    }

    /** Half of one in fixed point: adding it before the shift rounds to nearest. */
    static final int HALF = 1 << (PRECISION_BITS - 1);

    /**
     * A fixed-point accumulator back to 8 bits. {@code int} as in PIL: the weights of one output
     * pixel sum to {@code 1 << PRECISION_BITS}, so 255 times their absolute sum stays in range.
     */
    static int clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }

    private static RgbImage horizontalPass(RgbImage in, Coefficients c) {
        int outW = c.start().length;
        byte[] dst = new byte[outW * in.height() * 3]; // fits: resize checked the pass sizes
        horizontalRows(in.rgb(), in.width(), 0, in.height(), c, 0, outW, dst);
        return new RgbImage(outW, in.height(), dst);
    }

    /**
     * The horizontal pass over source rows {@code [r0, r1)} of interleaved 3-channel bytes
     * (channel order kept), output columns {@code [x0, x1)} only, into {@code dst} row after row.
     */
    static void horizontalRows(byte[] src, int srcW, int r0, int r1, Coefficients c, int x0, int x1, byte[] dst) {
        int[] starts = c.start();
        int[] counts = c.count();
        int[][] weights = c.weights();
        int o = 0;
        for (int y = r0; y < r1; y++) {
            int row = y * srcW * 3;
            for (int x = x0; x < x1; x++) {
                int[] k = weights[x];
                int p = row + starts[x] * 3;
                int r = HALF;
                int g = HALF;
                int b = HALF;
                for (int t = 0, n = counts[x]; t < n; t++, p += 3) {
                    int kt = k[t];
                    r += (src[p] & 0xff) * kt;
                    g += (src[p + 1] & 0xff) * kt;
                    b += (src[p + 2] & 0xff) * kt;
                }
                dst[o++] = (byte) clip8(r);
                dst[o++] = (byte) clip8(g);
                dst[o++] = (byte) clip8(b);
            }
        }
    }

    private static RgbImage verticalPass(RgbImage in, Coefficients c) {
        int outH = c.start().length;
        int w = in.width();
        byte[] src = in.rgb();
        byte[] dst = new byte[w * outH * 3];
        int[] acc = new int[w * 3];
        for (int y = 0; y < outH; y++) {
            java.util.Arrays.fill(acc, HALF);
            int[] k = c.weights()[y];
            for (int t = 0; t < c.count()[y]; t++) {
                int row = (c.start()[y] + t) * w * 3;
                int kt = k[t];
                for (int i = 0; i < w * 3; i++) {
                    acc[i] += (src[row + i] & 0xff) * kt;
                }
            }
            int o = y * w * 3;
            for (int i = 0; i < w * 3; i++) {
                dst[o + i] = (byte) clip8(acc[i]);
            }
        }
        return new RgbImage(w, outH, dst);
    }

    private static RgbImage nearest(RgbImage in, int width, int height) {
        byte[] dst = new byte[width * height * 3];
        double sx = (double) in.width() / width;
        double sy = (double) in.height() / height;
        for (int y = 0; y < height; y++) {
            int yi = Math.min((int) ((y + 0.5) * sy), in.height() - 1);
            for (int x = 0; x < width; x++) {
                int xi = Math.min((int) ((x + 0.5) * sx), in.width() - 1);
                System.arraycopy(in.rgb(), (yi * in.width() + xi) * 3, dst, (y * width + x) * 3, 3);
            }
        }
        return new RgbImage(width, height, dst);
    }
}
