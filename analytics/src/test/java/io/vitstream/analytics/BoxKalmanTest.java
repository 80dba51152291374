package io.vitstream.analytics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BoxKalmanTest {

    private static final double EXACT = 1e-12;

    /**
     * A 20 x 40 box: position noise sd is 1/20 of the size (1 px for x and w, 2 px for y and h),
     * velocity noise sd 1/160 (0.125, 0.25). A new filter starts at twice and ten times those:
     * variances 4, 16 for positions and 1.5625, 6.25 for velocities.
     */
    @Test
    void startsWithSizeProportionalUncertainty() {
        BoxKalman filter = BoxKalman.start(100, 200, 20, 40);
        assertArrayEquals(new double[] {100, 200, 20, 40, 0, 0, 0, 0}, filter.mean(), EXACT);
        double[][] p = filter.covariance();
        assertArrayEquals(new double[] {4, 0, 0, 0, 0, 0, 0, 0}, p[0], EXACT);
        assertArrayEquals(new double[] {0, 16, 0, 0, 0, 0, 0, 0}, p[1], EXACT);
        assertArrayEquals(new double[] {0, 0, 4, 0, 0, 0, 0, 0}, p[2], EXACT);
        assertArrayEquals(new double[] {0, 0, 0, 16, 0, 0, 0, 0}, p[3], EXACT);
        assertArrayEquals(new double[] {0, 0, 0, 0, 1.5625, 0, 0, 0}, p[4], EXACT);
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0, 6.25}, p[7], EXACT);
    }

    /** P' = F P F^T + Q: var(x) = 4 + 1.5625 + 1, cov(x, vx) = 1.5625, var(vx) = 1.5625 + 0.125^2. */
    @Test
    void predictGrowsTheCovarianceByHand() {
        BoxKalman filter = BoxKalman.start(100, 200, 20, 40);
        filter.predict();
        double[][] p = filter.covariance();
        assertEquals(6.5625, p[0][0], EXACT);
        assertEquals(1.5625, p[0][4], EXACT);
        assertEquals(1.5625, p[4][0], EXACT);
        assertEquals(1.578125, p[4][4], EXACT);
        assertEquals(16 + 6.25 + 4, p[1][1], EXACT);
        assertEquals(6.25 + 0.0625, p[5][5], EXACT);
        assertEquals(0, p[0][1], 0.0);
        assertEquals(0, p[0][5], 0.0);
    }

    /** s = 6.5625 + 1, gains 6.5625 / s and 1.5625 / s on an innovation of 5 px. */
    @Test
    void updateByHand() {
        BoxKalman filter = BoxKalman.start(100, 200, 20, 40);
        filter.predict();
        filter.update(105, 200, 20, 40);
        double s = 7.5625;
        double[] mean = filter.mean();
        assertEquals(100 + 5 * 6.5625 / s, mean[0], EXACT);
        assertEquals(5 * 1.5625 / s, mean[4], EXACT);
        assertEquals(200, mean[1], EXACT);
        assertEquals(0, mean[5], EXACT);
        double[][] p = filter.covariance();
        assertEquals(6.5625 * 1 / s, p[0][0], EXACT);
        assertEquals(1.5625 * 1 / s, p[0][4], EXACT);
        assertEquals(1.578125 - 1.5625 * 1.5625 / s, p[4][4], EXACT);
    }

    @Test
    void predictMovesByTheVelocity() {
        double[] state = BoxKalman.start(100, 200, 20, 40).state();
        state[4] = 3;
        state[5] = -2;
        state[6] = 0.5;
        BoxKalman filter = BoxKalman.fromState(state);
        filter.predict();
        assertArrayEquals(new double[] {103, 198, 20.5, 40, 3, -2, 0.5, 0}, filter.mean(), EXACT);
        assertArrayEquals(new double[] {103 - 10.25, 198 - 20, 103 + 10.25, 198 + 20}, filter.box(), EXACT);
        filter.holdSize();
        filter.predict();
        assertArrayEquals(new double[] {106, 196, 20.5, 40, 3, -2, 0, 0}, filter.mean(), EXACT);
    }

    /** A box moving (+4, -2) px per frame, measured exactly: the filter learns the velocity. */
    @Test
    void tracksAConstantVelocityObject() {
        BoxKalman filter = BoxKalman.start(50, 300, 30, 60);
        for (int frame = 1; frame <= 40; frame++) {
            filter.predict();
            filter.update(50 + 4 * frame, 300 - 2 * frame, 30, 60);
        }
        filter.predict();
        double[] mean = filter.mean();
        assertEquals(50 + 4 * 41, mean[0], 0.05);
        assertEquals(300 - 2 * 41, mean[1], 0.05);
        assertEquals(4, mean[4], 0.01);
        assertEquals(-2, mean[5], 0.01);
        assertEquals(30, mean[2], 1e-9);
        assertEquals(0, mean[6], 1e-9);
    }

    @Test
    void stateRoundTrip() {
        BoxKalman filter = BoxKalman.start(10.1, 20.2, 30.3, 40.4);
        filter.predict();
        filter.update(11, 21, 31, 41);
        BoxKalman copy = BoxKalman.fromState(filter.state());
        assertArrayEquals(filter.state(), copy.state(), 0.0);
        copy.predict();
        filter.predict();
        assertArrayEquals(filter.state(), copy.state(), 0.0);
    }
}
