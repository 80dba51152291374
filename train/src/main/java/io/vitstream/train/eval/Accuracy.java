package io.vitstream.train.eval;

import java.util.List;
import java.util.Locale;

/**
 * Top-1 and top-5 accuracy and the confusion matrix of a classifier, accumulated batch by batch.
 * A top-k hit means the true class is among the k highest logits (ties broken by class index, as
 * a stable sort would).
 */
public final class Accuracy {

    private final int numClasses;
    private final long[][] confusion;
    private long count;
    private long top1;
    private long top5;

    public Accuracy(int numClasses) {
        if (numClasses <= 0) throw new IllegalArgumentException("numClasses must be > 0, got " + numClasses);
        this.numClasses = numClasses;
        this.confusion = new long[numClasses][numClasses];
    }

    /**
     * Adds a batch.
     *
     * @param logits {@code [B, K]} row-major scores (logits or probabilities)
     * @param labels {@code [B]} true classes
     */
    public void add(float[] logits, int[] labels) {
        if (logits.length != labels.length * numClasses) {
            throw new IllegalArgumentException(logits.length + " scores for " + labels.length + " labels of "
                    + numClasses + " classes");
        }
        for (int i = 0; i < labels.length; i++) {
            int base = i * numClasses;
            float truth = logits[base + labels[i]];
            int better = 0;
            int best = 0;
            for (int c = 0; c < numClasses; c++) {
                float v = logits[base + c];
                if (v > truth || (v == truth && c < labels[i])) better++;
                if (v > logits[base + best]) best = c;
            }
            confusion[labels[i]][best]++;
            if (better == 0) top1++;
            if (better < 5) top5++;
            count++;
        }
    }

    /** Images seen. */
    public long count() {
        return count;
    }

    /** Share of images whose highest score is the true class. */
    public double top1() {
        return count == 0 ? 0 : (double) top1 / count;
    }

    /** Share of images whose true class is among the five highest scores. */
    public double top5() {
        return count == 0 ? 0 : (double) top5 / count;
    }

    /** {@code [true class][predicted class]} counts. */
    public long[][] confusion() {
        long[][] copy = new long[numClasses][];
        for (int i = 0; i < numClasses; i++) copy[i] = confusion[i].clone();
        return copy;
    }

    /** The confusion matrix as a Markdown table, rows = true class, columns = predicted. */
    public String confusionMarkdown(List<String> classes) {
        StringBuilder s = new StringBuilder("| true \\ predicted |");
        for (int c = 0; c < numClasses; c++) s.append(' ').append(c).append(" |");
        s.append("\n|---|");
        s.append("---:|".repeat(numClasses)).append('\n');
        for (int r = 0; r < numClasses; r++) {
            s.append("| ").append(r).append(' ').append(classes.get(r)).append(" |");
            for (int c = 0; c < numClasses; c++) s.append(' ').append(confusion[r][c]).append(" |");
            s.append('\n');
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "top-1 %.4f, top-5 %.4f over %d images", top1(), top5(), count);
    }
}
