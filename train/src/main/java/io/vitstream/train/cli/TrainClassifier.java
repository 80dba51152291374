package io.vitstream.train.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.heads.Head;
import io.vitstream.heads.VisionModel;
import io.vitstream.train.data.ClassificationBatches;
import io.vitstream.train.data.FashionMnist;
import io.vitstream.train.data.ImageFolder;
import io.vitstream.train.data.ImageSet;
import io.vitstream.train.loop.ClassificationTask;
import io.vitstream.train.loop.TrainConfig;
import io.vitstream.train.loop.Trainer;
import io.vitstream.train.model.Models;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code train-classifier}: from scratch ({@code --backbone vit|dinov2|resnet50} with its size
 * option {@code --vit}, {@code --dinov2} or {@code --resnet50}), as a linear probe or by full
 * fine-tuning of a checkpoint with a new head ({@code --init FOLDER --mode probe|finetune}), or
 * further training of a classifier as it is ({@code --mode continue}), on Fashion-MNIST or
 * an image folder. Writes the model to {@code --out} with {@code metrics.json} and
 * {@code confusion.md}.
 */
final class TrainClassifier {

    private TrainClassifier() {}

    static Trainer.Result run(Args a, PrintStream log) {
        String mode = a.string("mode", "scratch");
        if (!List.of("scratch", "probe", "finetune", "continue").contains(mode)) {
            throw new IllegalArgumentException("--mode must be scratch, probe, finetune or continue, got '" + mode + "'");
        }
        ImageSet[] data = data(a);
        String pooling = a.string("pooling", null);
        long seed = a.integer("seed", 42);
        Path init = a.path("init", null);
        BackboneOptions backbone = BackboneOptions.read(a, mode.equals("scratch") ? null : init);
        VisionModel model;
        if (mode.equals("scratch")) {
            if (init != null) throw new IllegalArgumentException("--init is for --mode probe, finetune or continue, not scratch");
            int image = a.integer("image", data[0].height());
            Backbone bb = backbone.create(image, image);
            model = Models.newClassifier(bb, image, image, data[0].classes(), pooling == null ? Models.defaultPooling(bb) : pooling,
                    seed);
        } else {
            if (init == null) throw new IllegalArgumentException("--mode " + mode + " needs --init FOLDER (a pretrained checkpoint)");
            model = mode.equals("continue") ? Models.continued(init, data[0].classes()) : Models.withNewHeads(init, bb -> {
                Map<String, Head> heads = new LinkedHashMap<>();
                heads.put("classification", Models.classificationHead(data[0].classes(),
                        pooling == null ? Models.defaultPooling(bb) : pooling, bb));
                return heads;
            }, seed);
            try {
                backbone.check(model.backbone(), init);
            } catch (IllegalArgumentException e) {
                model.close();
                throw e;
            }
        }
        PreprocessorConfig pre = model.preprocessorConfig();
        double crop = a.number("crop-scale", 0.7);
        double flip = a.number("flip", 0.5);
        ClassificationBatches train = new ClassificationBatches(data[0], pre.height(), pre.width(), pre.mean(), pre.std(),
                crop >= 1 && flip == 0 ? null : new ClassificationBatches.Augment(crop, 1.0, flip));
        ClassificationBatches eval = new ClassificationBatches(data[1], pre.height(), pre.width(), pre.mean(), pre.std(), null);
        double smoothing = a.number("label-smoothing", 0.1);
        TrainConfig config = TrainOptions.read(a, TrainOptions.CLASSIFIER);
        a.requireAllUsed();
        log.printf("train-classifier: %s, %s; %d training / %d evaluation images, %d classes%n", mode,
                model.backbone().describe(), data[0].size(), data[1].size(), data[0].classes().size());
        ClassificationTask task = new ClassificationTask(model, "classification", train, eval, mode.equals("probe"), smoothing);
        Trainer.Result result = new Trainer(config, task, log).run();
        writeReport(config.out(), mode, result, task, data[0]);
        log.printf("done: %s in %.0f s (%.0f img/s); model in %s%n", Trainer.format(result.metrics()),
                result.seconds(), result.imagesPerSecond(), config.out());
        model.close();
        return result;
    }

    /** {training set, evaluation set}. */
    private static ImageSet[] data(Args a) {
        String dataset = a.string("dataset", "fashion-mnist");
        ImageSet train;
        ImageSet eval;
        if (dataset.equals("fashion-mnist")) {
            Path dir = a.path("data", FashionMnist.DEFAULT_DIR.toString());
            train = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
            eval = FashionMnist.load(dir, FashionMnist.Split.TEST);
        } else if (dataset.equals("folder")) {
            int size = a.integer("load-size", 224);
            train = ImageFolder.load(a.path("train", null) == null ? missing("train") : a.path("train", null), size, size, null);
            Path val = a.path("val", null);
            eval = ImageFolder.load(val == null ? missing("val") : val, size, size, train.classes());
        } else {
            throw new IllegalArgumentException("--dataset must be fashion-mnist or folder, got '" + dataset + "'");
        }
        int[] classes = a.integers("classes", null);
        int perClass = a.integer("per-class", Integer.MAX_VALUE);
        long dataSeed = a.integer("data-seed", 0);
        if (classes != null || perClass != Integer.MAX_VALUE) {
            int[] keep = classes != null ? classes : java.util.stream.IntStream.range(0, train.classes().size()).toArray();
            train = train.classes(keep, perClass, dataSeed);
            eval = eval.classes(keep, Integer.MAX_VALUE, dataSeed);
        }
        return new ImageSet[] {train, eval};
    }

    private static Path missing(String option) {
        throw new IllegalArgumentException("--dataset folder needs --" + option + " DIR (one sub-folder per class)");
    }

    private static void writeReport(Path out, String mode, Trainer.Result r, ClassificationTask task, ImageSet train) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = json.createObjectNode();
        o.put("mode", mode);
        o.put("train_images", train.size());
        r.metrics().forEach(o::put);
        o.put("final_train_loss", r.finalLoss());
        o.put("seconds", Math.round(r.seconds()));
        o.put("train_images_per_second", Math.round(r.imagesPerSecond()));
        o.put("steps", r.steps());
        try {
            json.writeValue(out.resolve("metrics.json").toFile(), o);
            if (task.lastAccuracy() != null) {
                Files.writeString(out.resolve("confusion.md"), task.lastAccuracy().confusionMarkdown(train.classes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + out, e);
        }
    }
}
