package io.vitstream.train.tracking;

import io.vitstream.analytics.Observation;
import io.vitstream.analytics.sequences.TruthFrame;
import io.vitstream.analytics.sequences.TruthObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Detections made from the ground truth, with the errors of a detector one chooses: each drawn
 * item is dropped with probability {@code drop}, else reported with its class, each box edge moved
 * by Gaussian noise of {@code jitter} pixels (standard deviation) and a score uniform in [0.6, 1);
 * and on each frame a Poisson number (mean {@code falsePerFrame}) of boxes that match nothing,
 * with a random class, a score uniform in [0.5, 0.8), a size of 15-45% of the frame's width and
 * 10-30% of its height at a uniform place. With no noise at all the tracker sees perfect
 * detections, so what it still gets wrong is its own doing. The noise follows the sequence's seed.
 *
 * @param labels class names by id, for the false boxes' classes
 */
public record NoisyTruth(double jitter, double drop, double falsePerFrame, List<String> labels) implements Detector {

    public NoisyTruth {
        if (!(jitter >= 0)) throw new IllegalArgumentException("--jitter must be >= 0 pixels, got " + jitter);
        if (!(drop >= 0 && drop < 1)) throw new IllegalArgumentException("--drop must be in [0, 1), got " + drop);
        if (!(falsePerFrame >= 0)) throw new IllegalArgumentException("--false-per-frame must be >= 0, got " + falsePerFrame);
        labels = List.copyOf(labels);
    }

    @Override
    public List<List<Observation>> detect(EvalSequence s) {
        Random rng = new Random(s.seed() * 0x9E3779B97F4A7C15L + 17);
        List<List<Observation>> out = new ArrayList<>();
        for (TruthFrame f : s.truth()) {
            List<Observation> dets = new ArrayList<>();
            for (TruthObject o : f.objects()) {
                if (!o.visible() || rng.nextDouble() < drop) continue;
                dets.add(new Observation(edge(o.x1(), rng, s.width()), edge(o.y1(), rng, s.height()), edge(o.x2(), rng, s.width()),
                        edge(o.y2(), rng, s.height()), 0.6 + 0.4 * rng.nextDouble(), o.labelId(), o.label()));
            }
            for (int k = poisson(rng); k > 0; k--) {
                double w = s.width() * (0.15 + 0.3 * rng.nextDouble());
                double h = s.height() * (0.1 + 0.2 * rng.nextDouble());
                double x = rng.nextDouble() * (s.width() - w);
                double y = rng.nextDouble() * (s.height() - h);
                int label = rng.nextInt(labels.size());
                dets.add(new Observation(x, y, x + w, y + h, 0.5 + 0.3 * rng.nextDouble(), label, labels.get(label)));
            }
            // A box whose jittered edges crossed is not reported (a detector never gives one).
            dets.removeIf(d -> d.x2() <= d.x1() || d.y2() <= d.y1());
            out.add(dets);
        }
        return out;
    }

    private double edge(int v, Random rng, int max) {
        return Math.min(max, Math.max(0, v + rng.nextGaussian() * jitter));
    }

    /** Knuth's method, fine for the small means used here. */
    private int poisson(Random rng) {
        double limit = Math.exp(-falsePerFrame);
        int k = 0;
        for (double p = rng.nextDouble(); p > limit; p *= rng.nextDouble()) k++;
        return k;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "ground truth with noise (jitter %.1f px, drop %.2f, %.2f false boxes per frame)",
                jitter, drop, falsePerFrame);
    }
}
