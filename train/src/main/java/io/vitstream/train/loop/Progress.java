package io.vitstream.train.loop;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line every few seconds: epoch, step, smoothed loss, learning rate, images per
 * second and the estimated time left. Lines rather than a carriage-return bar, so logs
 * redirected to a file stay readable.
 */
final class Progress {

    private final PrintStream out;
    private final long intervalNanos;
    private final int totalSteps;
    private long lastPrint;
    private long windowStart;
    private int windowImages;
    private double smoothed = Double.NaN;

    Progress(PrintStream out, double intervalSeconds, int totalSteps) {
        this.out = out;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.totalSteps = totalSteps;
        this.lastPrint = System.nanoTime();
        this.windowStart = lastPrint;
    }

    /** Records one finished step and prints when the interval has passed. */
    void step(int epoch, int epochs, int step, double loss, double lr, int images) {
        smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
        windowImages += images;
        long now = System.nanoTime();
        if (now - lastPrint < intervalNanos && step + 1 < totalSteps) {
            return;
        }
        double seconds = (now - windowStart) / 1e9;
        double rate = windowImages / Math.max(seconds, 1e-9);
        double stepsPerSecond = rate / Math.max(images, 1);
        long eta = (long) ((totalSteps - step - 1) / Math.max(stepsPerSecond, 1e-9));
        out.printf(Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f lr %.2e %.0f img/s eta %d:%02d%n",
                epoch + 1, epochs, step + 1, totalSteps, smoothed, lr, rate, eta / 60, eta % 60);
        out.flush();
        lastPrint = now;
        windowStart = now;
        windowImages = 0;
    }

    /** The loss averaged over recent steps. */
    double smoothedLoss() {
        return smoothed;
    }
}
