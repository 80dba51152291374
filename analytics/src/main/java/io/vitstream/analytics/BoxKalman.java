package io.vitstream.analytics;

import java.util.Arrays;

/**
 * Constant-velocity Kalman filter of one box, one step per frame: state (cx, cy, w, h) in
 * pixels and their velocities in pixels per frame, as in SORT and ByteTrack (the (x, y, w, h)
 * form of BoT-SORT). Noise is proportional to the box's size, so a far-away small person and a
 * nearby bus are equally sure: standard deviations are {@value #POSITION_WEIGHT} of the width (for
 * cx and w) or height (for cy and h) for positions and measurements and {@value #VELOCITY_WEIGHT}
 * for velocities; a new track starts with twice and ten times those.
 *
 * <p>With the transition F = [[I, I], [0, I]], the measurement H = [I, 0] and diagonal noise, the
 * 8-dimensional filter of those trackers falls apart into four independent filters of (position,
 * velocity), one per coordinate: the covariance never couples two coordinates. Each is kept as
 * its three covariance entries and stepped in closed form ({@link #predictAxis}, {@link #updateAxis}),
 * which is the same arithmetic as the 8x8 matrices without the zeros.
 *
 * <p>Sizes below 1 pixel count as 1 in the noise, so the covariance stays positive definite.
 */
public final class BoxKalman {

    static final double POSITION_WEIGHT = 1.0 / 20;
    static final double VELOCITY_WEIGHT = 1.0 / 160;

    /** Numbers in {@link #state()}: 8 of the mean, 3 covariance entries per coordinate. */
    static final int STATE_SIZE = 20;

    /** cx, cy, w, h, then their velocities. */
    private final double[] mean;
    /** Per coordinate k: var(position) at 3k, cov(position, velocity) at 3k + 1, var(velocity) at 3k + 2. */
    private final double[] cov;

    private BoxKalman(double[] mean, double[] cov) {
        this.mean = mean;
        this.cov = cov;
    }

    /** A filter at box (cx, cy, w, h), at rest, with the starting uncertainty. */
    public static BoxKalman start(double cx, double cy, double w, double h) {
        double[] mean = {cx, cy, w, h, 0, 0, 0, 0};
        double[] cov = new double[12];
        for (int k = 0; k < 4; k++) {
            double size = noiseSize(mean, k);
            cov[3 * k] = square(2 * POSITION_WEIGHT * size);
            cov[3 * k + 2] = square(10 * VELOCITY_WEIGHT * size);
        }
        return new BoxKalman(mean, cov);
    }

    /** One frame ahead: positions move by their velocities, uncertainty grows by the process noise. */
    public void predict() {
        for (int k = 0; k < 4; k++) {
            double size = noiseSize(mean, k);
            predictAxis(mean, cov, k, square(POSITION_WEIGHT * size), square(VELOCITY_WEIGHT * size));
        }
    }

    /** Corrects the state with a measured box (cx, cy, w, h). */
    public void update(double cx, double cy, double w, double h) {
        double[] measured = {cx, cy, w, h};
        double[] noise = new double[4];
        for (int k = 0; k < 4; k++) {
            noise[k] = square(POSITION_WEIGHT * noiseSize(mean, k));
        }
        for (int k = 0; k < 4; k++) {
            updateAxis(mean, cov, k, measured[k], noise[k]);
        }
    }

    /**
     * Stops the size from changing (its velocities set to 0), for a track that was not seen:
     * ByteTrack does the same so that an occluded box does not grow or shrink without evidence.
     */
    public void holdSize() {
        mean[6] = 0;
        mean[7] = 0;
    }

    /**
     * One prediction step of the filter of coordinate {@code k}: {@code p += v} and
     * {@code P = F P F^T + diag(qPosition, qVelocity)} with {@code F = [[1, 1], [0, 1]]}.
     *
     * @param mean the 8 numbers of the state, position k at {@code k}, its velocity at {@code k + 4}
     * @param cov the 12 covariance entries, coordinate k's (pp, pv, vv) at {@code 3k}
     */
    static void predictAxis(double[] mean, double[] cov, int k, double qPosition, double qVelocity) {
        mean[k] += mean[k + 4];
        double pp = cov[3 * k];
        double pv = cov[3 * k + 1];
        double vv = cov[3 * k + 2];
        cov[3 * k] = pp + 2 * pv + vv + qPosition;
        cov[3 * k + 1] = pv + vv;
        cov[3 * k + 2] = vv + qVelocity;
    }

    /**
     * One measurement update of coordinate {@code k} with the measured position {@code z} and its
     * noise variance {@code r}: innovation variance {@code s = pp + r}, gain {@code (pp, pv) / s},
     * covariance {@code P - K s K^T}. Layout as in {@link #predictAxis}.
     */
    static void updateAxis(double[] mean, double[] cov, int k, double z, double r) {
        double pp = cov[3 * k];
        double pv = cov[3 * k + 1];
        double vv = cov[3 * k + 2];
        double s = pp + r;
        double gainP = pp / s;
        double gainV = pv / s;
        double innovation = z - mean[k];
        mean[k] += gainP * innovation;
        mean[k + 4] += gainV * innovation;
        cov[3 * k] = pp - gainP * pp;
        cov[3 * k + 1] = pv - gainP * pv;
        cov[3 * k + 2] = vv - gainV * pv;
    }

    /** The size that scales coordinate k's noise: the width for cx and w, the height for cy and h. */
    private static double noiseSize(double[] mean, int k) {
        return Math.max(k % 2 == 0 ? mean[2] : mean[3], 1.0);
    }

    private static double square(double x) {
        return x * x;
    }

    /** The mean: cx, cy, w, h and their velocities per frame (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** The 8x8 covariance, in the order of {@link #mean()}. */
    public double[][] covariance() {
        double[][] full = new double[8][8];
        for (int k = 0; k < 4; k++) {
            full[k][k] = cov[3 * k];
            full[k][k + 4] = cov[3 * k + 1];
            full[k + 4][k] = cov[3 * k + 1];
            full[k + 4][k + 4] = cov[3 * k + 2];
        }
        return full;
    }

    /** The box of the mean as (x1, y1, x2, y2). */
    public double[] box() {
        return new double[] {mean[0] - mean[2] / 2, mean[1] - mean[3] / 2, mean[0] + mean[2] / 2, mean[1] + mean[3] / 2};
    }

    /** Everything: the 8 numbers of the mean, then the 12 covariance entries, for snapshots. */
    double[] state() {
        double[] state = Arrays.copyOf(mean, STATE_SIZE);
        System.arraycopy(cov, 0, state, 8, 12);
        return state;
    }

    /** The filter that {@link #state()} described. */
    static BoxKalman fromState(double[] state) {
        if (state.length != STATE_SIZE) {
            throw new IllegalArgumentException("a box filter's state has " + STATE_SIZE + " numbers, got " + state.length);
        }
        return new BoxKalman(Arrays.copyOfRange(state, 0, 8), Arrays.copyOfRange(state, 8, STATE_SIZE));
    }
}
