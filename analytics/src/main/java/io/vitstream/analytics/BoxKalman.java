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
 * velocity), one per coordinate: the covariance never couples two coordinates. Moreover cx and w
 * get noise of the same scale (the width), cy and h of the other (the height), and a covariance
 * never depends on the measured values; so cx and w always have the same 2x2 covariance block,
 * and so have cy and h. The filter keeps those two blocks, three numbers each, and steps them in
 * closed form ({@link #predictBlock}, {@link #updateBlock}): the arithmetic of the 8x8 matrices
 * without the zeros and the repeats.
 *
 * <p>Sizes below 1 pixel count as 1 in the noise, so the covariance stays positive definite.
 */
public final class BoxKalman {

    static final double POSITION_WEIGHT = 1.0 / 20;
    static final double VELOCITY_WEIGHT = 1.0 / 160;

    /** Numbers in {@link #state()}: 8 of the mean, 3 of each covariance block. */
    static final int STATE_SIZE = 14;

    /** cx, cy, w, h, then their velocities. */
    private final double[] mean;
    /**
     * Block 0 (cx and w) at 0, block 1 (cy and h) at 3, each var(position), cov(position,
     * velocity), var(velocity).
     */
    private final double[] cov;

    private BoxKalman(double[] mean, double[] cov) {
        this.mean = mean;
        this.cov = cov;
    }

    /** A filter at box (cx, cy, w, h), at rest, with the starting uncertainty. */
    public static BoxKalman start(double cx, double cy, double w, double h) {
        double[] mean = {cx, cy, w, h, 0, 0, 0, 0};
        double[] cov = new double[6];
        for (int block = 0; block < 2; block++) {
            double size = noiseSize(mean, block);
            cov[3 * block] = square(2 * POSITION_WEIGHT * size);
            cov[3 * block + 2] = square(10 * VELOCITY_WEIGHT * size);
        }
        return new BoxKalman(mean, cov);
    }

    /** One frame ahead: positions move by their velocities, uncertainty grows by the process noise. */
    public void predict() {
        for (int block = 0; block < 2; block++) {
            double size = noiseSize(mean, block);
            predictBlock(cov, 3 * block, square(POSITION_WEIGHT * size), square(VELOCITY_WEIGHT * size));
        }
        for (int k = 0; k < 4; k++) {
            mean[k] += mean[k + 4];
        }
    }

    /** Corrects the state with a measured box (cx, cy, w, h). */
    public void update(double cx, double cy, double w, double h) {
        double[] measured = {cx, cy, w, h};
        double[] gains = new double[4];
        for (int block = 0; block < 2; block++) {
            updateBlock(cov, 3 * block, square(POSITION_WEIGHT * noiseSize(mean, block)), gains, 2 * block);
        }
        for (int k = 0; k < 4; k++) {
            double innovation = measured[k] - mean[k];
            mean[k] += gains[2 * (k % 2)] * innovation;
            mean[k + 4] += gains[2 * (k % 2) + 1] * innovation;
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
     * One prediction step of a (position, velocity) covariance block {@code (pp, pv, vv)} at
     * {@code at}: {@code P = F P F^T + diag(qPosition, qVelocity)} with {@code F = [[1, 1], [0, 1]]}.
     */
    static void predictBlock(double[] cov, int at, double qPosition, double qVelocity) {
        double pp = cov[at];
        double pv = cov[at + 1];
        double vv = cov[at + 2];
        cov[at] = pp + 2 * pv + vv + qPosition;
        cov[at + 1] = pv + vv;
        cov[at + 2] = vv + qVelocity;
    }

    /**
     * One measurement update of a covariance block {@code (pp, pv, vv)} at {@code at}, for a
     * measured position with noise variance {@code r}: innovation variance {@code s = pp + r},
     * Kalman gain {@code K = (pp, pv) / s}, covariance {@code P - K s K^T}.
     *
     * @param gains receives K: the position's gain at {@code gainsAt}, the velocity's after it
     */
    static void updateBlock(double[] cov, int at, double r, double[] gains, int gainsAt) {
        double pp = cov[at];
        double pv = cov[at + 1];
        double vv = cov[at + 2];
        double s = pp + r;
        double gainP = pp / s;
        double gainV = pv / s;
        cov[at] = pp - gainP * pp;
        cov[at + 1] = pv - gainP * pv;
        cov[at + 2] = vv - gainV * pv;
        gains[gainsAt] = gainP;
        gains[gainsAt + 1] = gainV;
    }

    /** The size that scales a block's noise: the width for block 0 (cx, w), the height for block 1 (cy, h). */
    private static double noiseSize(double[] mean, int block) {
        return Math.max(mean[2 + block], 1.0);
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
            int at = 3 * (k % 2);
            full[k][k] = cov[at];
            full[k][k + 4] = cov[at + 1];
            full[k + 4][k] = cov[at + 1];
            full[k + 4][k + 4] = cov[at + 2];
        }
        return full;
    }

    /** The box of the mean as (x1, y1, x2, y2). */
    public double[] box() {
        double halfW = mean[2] / 2;
        double halfH = mean[3] / 2;
        return new double[] {mean[0] - halfW, mean[1] - halfH, mean[0] + halfW, mean[1] + halfH};
    }

    /** Everything: the 8 numbers of the mean, then the 6 of the covariance blocks, for snapshots. */
    double[] state() {
        double[] state = Arrays.copyOf(mean, STATE_SIZE);
        System.arraycopy(cov, 0, state, 8, 6);
        return state;
    }

    /** The filter that {@link #state()} described. */
    static BoxKalman fromState(double[] state) {
        if (state.length != STATE_SIZE) {
            throw new IllegalArgumentException(
                    "a box filter's state has " + STATE_SIZE + " numbers, got " + state.length);
        }
        return new BoxKalman(Arrays.copyOfRange(state, 0, 8), Arrays.copyOfRange(state, 8, STATE_SIZE));
    }
}
