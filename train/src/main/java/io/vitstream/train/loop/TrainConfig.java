package io.vitstream.train.loop;

import io.vitstream.backbone.checkpoint.StorageType;

import java.nio.file.Path;

/**
 * The optimization settings of one run.
 *
 * @param out folder for the final model, logs and {@code checkpoint-last/}
 * @param epochs passes over the training data
 * @param batchSize images per step
 * @param lr peak learning rate
 * @param minLrFactor final learning rate as a fraction of {@code lr}
 * @param warmupFraction share of all steps spent warming up linearly
 * @param weightDecay AdamW decoupled weight decay
 * @param clipNorm largest global gradient norm (0: no clipping)
 * @param layerDecay layer-wise learning-rate decay of the ViT (1: none)
 * @param seed seeds initialization, data order, augmentation and dropout
 * @param evalEvery evaluate (and checkpoint) every this many epochs; the last epoch always
 * @param saveEverySteps also checkpoint every this many steps inside an epoch (0: only at evaluations)
 * @param resume continue from {@code out/checkpoint-last} when it exists
 * @param storage element type of the final model's weights
 */
public record TrainConfig(Path out, int epochs, int batchSize, double lr, double minLrFactor, double warmupFraction,
        double weightDecay, double clipNorm, double layerDecay, long seed, int evalEvery, int saveEverySteps,
        boolean resume, StorageType storage) {

    public TrainConfig {
        if (out == null) throw new IllegalArgumentException("out must be set");
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be > 0, got " + epochs);
        if (batchSize <= 0) throw new IllegalArgumentException("batch_size must be > 0, got " + batchSize);
        if (!(warmupFraction >= 0 && warmupFraction < 1)) {
            throw new IllegalArgumentException("warmup must be a fraction in [0, 1), got " + warmupFraction);
        }
        if (!(layerDecay > 0 && layerDecay <= 1)) {
            throw new IllegalArgumentException("layer_decay must be in (0, 1], got " + layerDecay);
        }
        if (evalEvery <= 0) throw new IllegalArgumentException("eval_every must be > 0, got " + evalEvery);
        if (!storage.isFloat() || storage == StorageType.F64) {
            throw new IllegalArgumentException("storage must be F32, F16 or BF16, got " + storage);
        }
    }

    /** A builder with the defaults of a small ViT run. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TrainConfig}: {@code setOut} is required, the rest optional. */
    public static final class Builder {
        private Path out;
        private int epochs = 10;
        private int batchSize = 128;
        private double lr = 1e-3;
        private double minLrFactor = 0.01;
        private double warmupFraction = 0.05;
        private double weightDecay = 0.05;
        private double clipNorm = 1.0;
        private double layerDecay = 1.0;
        private long seed = 42;
        private int evalEvery = 1;
        private int saveEverySteps;
        private boolean resume = true;
        private StorageType storage = StorageType.F32;

        public Builder setOut(Path v) { out = v; return this; }
        public Builder optEpochs(int v) { epochs = v; return this; }
        public Builder optBatchSize(int v) { batchSize = v; return this; }
        public Builder optLr(double v) { lr = v; return this; }
        public Builder optMinLrFactor(double v) { minLrFactor = v; return this; }
        public Builder optWarmupFraction(double v) { warmupFraction = v; return this; }
        public Builder optWeightDecay(double v) { weightDecay = v; return this; }
        public Builder optClipNorm(double v) { clipNorm = v; return this; }
        public Builder optLayerDecay(double v) { layerDecay = v; return this; }
        public Builder optSeed(long v) { seed = v; return this; }
        public Builder optEvalEvery(int v) { evalEvery = v; return this; }
        public Builder optSaveEverySteps(int v) { saveEverySteps = v; return this; }
        public Builder optResume(boolean v) { resume = v; return this; }
        public Builder optStorage(StorageType v) { storage = v; return this; }

        /** Validates and builds; an invalid setting is named in the exception. */
        public TrainConfig build() {
            return new TrainConfig(out, epochs, batchSize, lr, minLrFactor, warmupFraction, weightDecay, clipNorm,
                    layerDecay, seed, evalEvery, saveEverySteps, resume, storage);
        }
    }
}
