package io.vitstream.train.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;

import io.vitstream.train.data.ImageSet;
import io.vitstream.train.optim.AdamW;
import io.vitstream.train.optim.ParamGroups;
import io.vitstream.train.optim.Schedule;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The training loop: AdamW with warm-up and cosine decay, gradient clipping, periodic
 * evaluation, a checkpoint after every evaluation (and every {@code saveEverySteps} steps) that
 * a later run resumes from, and the final model in the Hugging Face layout.
 *
 * <p>Every step runs in its own sub-manager and {@link NDScope}, so activations, gradients'
 * wrappers and temporaries are freed when it ends; only parameters and optimizer moments live
 * in the model's manager. Data order and augmentation are seeded per epoch and batch, so a
 * resumed run sees the batches the interrupted one would have.
 */
public final class Trainer {

    private final TrainConfig config;
    private final Task task;
    private final PrintStream log;
    private int skipped;

    /** Consecutive steps with non-finite gradients tolerated before giving up. */
    private static final int MAX_SKIPPED = 10;

    public Trainer(TrainConfig config, Task task, PrintStream log) {
        this.config = config;
        this.task = task;
        this.log = log;
    }

    /** What a run ends with. */
    public record Result(Map<String, Double> metrics, double finalLoss, double seconds, double imagesPerSecond, int steps) {}

    /** Runs (or resumes) training, writes the final model to {@code out}, returns the last metrics. */
    public Result run() {
        int stepsPerEpoch = Math.max(1, task.size() / config.batchSize());
        int total = stepsPerEpoch * config.epochs();
        Schedule schedule = new Schedule(config.lr(), (int) Math.round(total * config.warmupFraction()), total, config.minLrFactor());
        Map<String, Parameter> trainable = task.trainable();
        ModelParams.setTrainable(task.model(), trainable);
        AdamW optimizer = new AdamW(trainable, groups(trainable), config.weightDecay(), task.model().manager());
        Checkpoints checkpoints = new Checkpoints(config.out(), task.model());
        Checkpoints.State state = config.resume() ? checkpoints.resume(optimizer) : Checkpoints.State.fresh();
        if (state.step() > 0) {
            log.printf(Locale.ROOT, "resuming from %s at epoch %d, step %d%n", checkpoints.dir(), state.epoch() + 1, state.step());
        }
        Progress progress = new Progress(log, 10, total);
        Map<String, Double> metrics = state.metrics();
        long start = System.nanoTime();
        int images = 0;
        int step = state.step();
        for (int epoch = state.epoch(); epoch < config.epochs(); epoch++) {
            int[] order = ImageSet.permutation(task.size(), new Random(config.seed() * 7919 + epoch));
            for (int b = step - epoch * stepsPerEpoch; b < stepsPerEpoch; b++, step++) {
                int[] batch = Arrays.copyOfRange(order, b * config.batchSize(), (b + 1) * config.batchSize());
                double loss = step(optimizer, batch, new Random(config.seed() * 104729 + step), schedule.at(step));
                images += batch.length;
                progress.step(epoch, config.epochs(), step, loss, schedule.at(step), batch.length);
                if (config.saveEverySteps() > 0 && (step + 1) % config.saveEverySteps() == 0 && b + 1 < stepsPerEpoch) {
                    checkpoints.save(optimizer, new Checkpoints.State(epoch, step + 1, metrics));
                }
            }
            if ((epoch + 1) % config.evalEvery() == 0 || epoch + 1 == config.epochs()) {
                metrics = task.evaluate();
                log.printf(Locale.ROOT, "epoch %d/%d eval %s%n", epoch + 1, config.epochs(), format(metrics));
                checkpoints.save(optimizer, new Checkpoints.State(epoch + 1, step, metrics));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        task.model().save(config.out(), config.storage());
        return new Result(metrics, progress.smoothedLoss(), seconds, images / Math.max(seconds, 1e-9), step);
    }

    /** One optimization step; returns the batch loss. */
    private double step(AdamW optimizer, int[] batch, Random rng, double lr) {
        try (NDManager m = task.model().manager().newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            float loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = task.loss(m, batch, rng);
                gc.backward(l);
                loss = l.getFloat();
            }
            if (!Float.isFinite(loss)) {
                throw new IllegalStateException("loss is " + loss + " at step " + optimizer.steps()
                        + "; lower --lr or keep --clip-norm on");
            }
            double norm = optimizer.clipGradNorm(config.clipNorm());
            if (!Double.isFinite(norm)) {
                // As AMP's gradient scaler does: one bad backward pass must not poison the weights.
                optimizer.zeroGradients();
                if (++skipped > MAX_SKIPPED) {
                    throw new IllegalStateException(skipped + " steps in a row had non-finite gradients; lower --lr");
                }
                log.printf(Locale.ROOT, "step %d: gradient norm %s, update skipped%n", optimizer.steps(), norm);
                return loss;
            }
            skipped = 0;
            optimizer.step(lr);
            return loss;
        }
    }

    private Map<String, ParamGroups.Group> groups(Map<String, Parameter> trainable) {
        Map<String, ParamGroups.Group> out = new LinkedHashMap<>();
        String prefix = task.model().backbone().checkpointPrefix();
        int layers = task.model().backbone().numLayers();
        trainable.forEach((k, p) -> out.put(k, ParamGroups.of(k, p.getArray().getShape(), prefix, layers, config.layerDecay())));
        return out;
    }

    /** {@code name=value} pairs with 4 decimals. */
    public static String format(Map<String, Double> metrics) {
        StringBuilder s = new StringBuilder();
        metrics.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=')
                .append(String.format(Locale.ROOT, "%.4f", v)));
        return s.toString();
    }
}
