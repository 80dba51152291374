package io.vitstream.train.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Djl;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.heads.Head;
import io.vitstream.heads.HeadContext;
import io.vitstream.heads.Labels;
import io.vitstream.heads.VisionModel;
import io.vitstream.heads.detr.DetrConfig;
import io.vitstream.heads.detr.DetrHead;
import io.vitstream.train.data.DetectionSet;
import io.vitstream.train.eval.DetectionEval;
import io.vitstream.train.loop.DetectionTask;
import io.vitstream.train.loop.TrainConfig;
import io.vitstream.train.loop.Trainer;
import io.vitstream.train.model.Models;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code train-detector}: a DETR head (and optionally a "dominant object" classification head)
 * on a pretrained backbone ({@code --init}: ViT, DINOv2 or ResNet-50, HF DETR folders included)
 * or a new one ({@code --backbone vit|dinov2|resnet50} with its size option), on COCO-format
 * data. A ViT backbone is re-based to the detection input size; {@code --freeze-backbone true} trains the
 * heads on cached features. Writes the composite model and {@code metrics.json} to {@code --out}.
 */
final class TrainDetector {

    private TrainDetector() {}

    static Trainer.Result run(Args a, PrintStream log) {
        Path trainDir = Path.of(a.required("train"));
        Path valDir = Path.of(a.required("val"));
        int image = a.integer("image", 64);
        DetectionSet train = DetectionSet.loadCoco(trainDir.resolve("instances.json"), trainDir, image, image);
        DetectionSet val = DetectionSet.loadCoco(valDir.resolve("instances.json"), valDir, image, image);
        boolean frozen = a.flag("freeze-backbone", true);
        long seed = a.integer("seed", 42);
        VisionModel model = model(a, train.labels(), image, seed);
        DetectionTask.Augment augment = new DetectionTask.Augment(a.number("scale-min", 0.75), a.number("scale-max", 1.25),
                a.number("flip", 0.5), a.integer("views", 1), seed);
        TrainConfig config = TrainOptions.read(a, TrainOptions.DETECTOR);
        a.requireAllUsed();
        log.printf("train-detector: %s, heads %s, backbone %s; %d training / %d validation images%n",
                model.backbone().describe(), model.heads().keySet(), frozen ? "frozen (cached features)" : "trained",
                train.size(), val.size());
        long start = System.nanoTime();
        DetectionTask task = new DetectionTask(model, train, val, frozen, augment);
        double cacheSeconds = (System.nanoTime() - start) / 1e9;
        Trainer.Result result = new Trainer(config, task, log).run();
        writeReport(config.out(), result, task, train, cacheSeconds);
        log.printf("done: %s in %.0f s (+%.0f s caching features); model in %s%n", Trainer.format(result.metrics()),
                result.seconds(), cacheSeconds, config.out());
        model.close();
        return result;
    }

    private static VisionModel model(Args a, List<String> labels, int image, long seed) {
        Path init = a.path("init", null);
        BackboneOptions options = BackboneOptions.read(a, init);
        NDManager manager;
        Backbone backbone;
        PreprocessorConfig pre;
        if (init != null) {
            VisionModel loaded = VisionModel.load(init, Precision.FP32, Device.cpu());
            options.check(loaded.backbone(), init);
            manager = loaded.manager();
            backbone = rebased(loaded.backbone(), image, manager);
            PreprocessorConfig p = loaded.preprocessorConfig();
            pre = new PreprocessorConfig(true, image, image, 0, false, p.resample(), p.doRescale(), p.rescaleFactor(),
                    p.doNormalize(), p.mean(), p.std());
        } else {
            manager = Djl.engine().newBaseManager();
            Engine.getInstance().setRandomSeed((int) seed);
            backbone = Models.initialize(options.create(image, image), image, image, manager);
            pre = PreprocessorConfig.vitDefaults(image, image);
        }
        Engine.getInstance().setRandomSeed((int) seed);
        Map<String, Head> heads = new LinkedHashMap<>();
        heads.put("detection", Models.initialize(new DetrHead(DetrConfig.read(detrJson(a, labels)), HeadContext.of(backbone)), manager));
        if (a.flag("dominant", true)) {
            heads.put("dominant", Models.initialize(Models.classificationHead(labels, "mean", backbone), manager));
        }
        return VisionModel.of(backbone, heads, pre, manager);
    }

    /**
     * A loaded backbone for inputs of {@code image x image}: a ViT gets its position embeddings
     * resampled once and saved at that size; DINOv2 interpolates them at every forward as HF does,
     * and a ResNet takes any size, so both are used as they are.
     */
    private static Backbone rebased(Backbone loaded, int image, NDManager manager) {
        return loaded instanceof ViT vit ? Models.resized(vit, image, image, manager) : loaded;
    }

    /** The DETR head section from the options (HF DetrConfig names). */
    private static ObjectNode detrJson(Args a, List<String> labels) {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.put("type", "detr");
        c.put("num_labels", labels.size());
        c.set("id2label", Labels.write(labels));
        c.put("d_model", a.integer("d-model", 64));
        c.put("num_queries", a.integer("queries", 10));
        c.put("encoder_layers", a.integer("encoder-layers", 1));
        c.put("decoder_layers", a.integer("decoder-layers", 3));
        c.put("encoder_attention_heads", a.integer("heads", 4));
        c.put("decoder_attention_heads", a.integer("heads", 4));
        c.put("encoder_ffn_dim", a.integer("ffn", 128));
        c.put("decoder_ffn_dim", a.integer("ffn", 128));
        c.put("dropout", a.number("dropout", 0.0));
        c.put("auxiliary_loss", a.flag("aux-loss", true));
        c.put("score_threshold", a.number("score-threshold", 0.5));
        c.put("max_detections", a.integer("queries", 10));
        return c;
    }

    private static void writeReport(Path out, Trainer.Result r, DetectionTask task, DetectionSet train, double cacheSeconds) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = json.createObjectNode();
        o.put("train_images", train.size());
        r.metrics().forEach(o::put);
        DetectionEval.Result res = task.lastResult();
        if (res != null) {
            ObjectNode pc = o.putObject("per_class");
            for (int c = 0; c < res.perClass().length; c++) {
                pc.putObject(train.labels().get(c)).put("ap", res.perClass()[c][0]).put("ap50", res.perClass()[c][1]);
            }
        }
        o.put("final_train_loss", r.finalLoss());
        o.put("seconds", Math.round(r.seconds()));
        o.put("cache_seconds", Math.round(cacheSeconds));
        o.put("train_images_per_second", Math.round(r.imagesPerSecond()));
        o.put("steps", r.steps());
        try {
            json.writeValue(out.resolve("metrics.json").toFile(), o);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve("metrics.json"), e);
        }
    }
}
