package io.vitstream.train.cli;

import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.train.loop.TrainConfig;

import java.nio.file.Path;
import java.util.Locale;

/** The optimization options every training subcommand shares. */
final class TrainOptions {

    private TrainOptions() {}

    /** A subcommand's defaults of the options that differ between subcommands (also printed by {@code --help}). */
    record Defaults(int epochs, int batch, double lr, double wd, double clip) {}

    /** ViT classification. */
    static final Defaults CLASSIFIER = new Defaults(20, 128, 1e-3, 0.05, 1.0);
    /** DETR heads (clipping at 0.1 as in the DETR paper). */
    static final Defaults DETECTOR = new Defaults(30, 32, 2e-4, 1e-4, 0.1);

    /**
     * Reads the options with the subcommand's defaults (DETR clips at 0.1 as in its paper, ViT at 1.0): {@code --out --epochs --batch --lr --min-lr --warmup --wd --clip --layer-decay --seed
     * --eval-every --save-every --resume --storage}.
     */
    static TrainConfig read(Args a, Defaults d) {
        return TrainConfig.builder()
                .setOut(Path.of(a.required("out")))
                .optEpochs(a.integer("epochs", d.epochs()))
                .optBatchSize(a.integer("batch", d.batch()))
                .optLr(a.number("lr", d.lr()))
                .optMinLrFactor(a.number("min-lr", 0.01))
                .optWarmupFraction(a.number("warmup", 0.05))
                .optWeightDecay(a.number("wd", d.wd()))
                .optClipNorm(a.number("clip", d.clip()))
                .optLayerDecay(a.number("layer-decay", 1.0))
                .optSeed(a.integer("seed", 42))
                .optEvalEvery(a.integer("eval-every", 1))
                .optSaveEverySteps(a.integer("save-every", 0))
                .optResume(a.flag("resume", true))
                .optStorage(StorageType.valueOf(a.string("storage", "f32").toUpperCase(Locale.ROOT)))
                .build();
    }
}
