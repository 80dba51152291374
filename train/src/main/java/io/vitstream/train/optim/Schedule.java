package io.vitstream.train.optim;

/**
 * Learning rate per step: linear warm-up from 0 to the peak, then a cosine decay to
 * {@code minFactor * peak} at the last step (Loshchilov and Hutter 2017, without restarts), the
 * usual ViT and DETR recipe.
 *
 * @param peak learning rate at the end of warm-up
 * @param warmupSteps steps of linear warm-up
 * @param totalSteps steps of the whole run
 * @param minFactor final learning rate as a fraction of the peak
 */
public record Schedule(double peak, int warmupSteps, int totalSteps, double minFactor) {

    public Schedule {
        if (!(peak > 0)) throw new IllegalArgumentException("lr must be > 0, got " + peak);
        if (warmupSteps < 0 || totalSteps <= 0) {
            throw new IllegalArgumentException("warm-up " + warmupSteps + " and total " + totalSteps + " steps must be >= 0 and > 0");
        }
        if (!(minFactor >= 0 && minFactor <= 1)) throw new IllegalArgumentException("min lr factor must be in [0, 1], got " + minFactor);
    }

    /** The learning rate of step {@code step} (0-based). */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        int decay = Math.max(1, totalSteps - warmupSteps);
        double t = Math.min(1.0, (double) (step - warmupSteps) / decay);
        return peak * (minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * t)));
    }
}
