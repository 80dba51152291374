package io.vitstream.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.heads.Head;
import io.vitstream.heads.HeadContext;
import io.vitstream.heads.VisionModel;
import io.vitstream.heads.detr.DetrConfig;
import io.vitstream.heads.detr.DetrHead;
import io.vitstream.train.data.DetectionSet;
import io.vitstream.train.model.Models;
import io.vitstream.train.model.VitSpec;
import io.vitstream.train.scenes.FashionScenes;
import io.vitstream.train.scenes.FashionScenesTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** DETR and dominant-object heads on cached features of a frozen tiny ViT: the set loss falls and evaluation reports AP. */
class DetectionTaskTest {

    @Test
    void headsTrainOnCachedFeaturesAndEvaluate(@TempDir Path dir) {
        FashionScenes scenes = new FashionScenes(32, 1, 2, 0.5, 1.0, 0.15);
        DetectionSet train = scenes.generate(FashionScenesTest.items(20), 48, 1);
        DetectionSet val = scenes.generate(FashionScenesTest.items(20), 16, 2);
        try (VisionModel model = model(train.labels())) {
            DetectionTask task = new DetectionTask(model, train, val, true, new DetectionTask.Augment(0.8, 1.2, 0.5, 2, 3));
            assertEquals(96, task.size(), "two cached views per scene");
            assertEquals(ModelParams.heads(model).keySet(), task.trainable().keySet());
            int[] batch = java.util.stream.IntStream.range(0, 48).toArray();
            double before = loss(task, batch);
            TrainConfig config = TrainConfig.builder().setOut(dir).optEpochs(30).optBatchSize(16).optLr(3e-3)
                    .optWeightDecay(1e-4).build();
            Trainer.Result r = new Trainer(config, task, new PrintStream(new ByteArrayOutputStream())).run();
            double after = loss(task, batch);
            assertTrue(after < 0.85 * before, "set loss " + before + " -> " + after);
            assertTrue(r.metrics().get("ap50") >= 0 && r.metrics().get("ap50") <= 1, r.metrics().toString());
            assertTrue(r.metrics().containsKey("dominant_top1"), r.metrics().toString());
        }
    }

    private static double loss(DetectionTask task, int[] batch) {
        try (NDManager m = task.model().manager().newSubManager()) {
            return task.loss(m, batch, new Random(0)).getFloat();
        }
    }

    private static VisionModel model(List<String> labels) {
        NDManager manager = Djl.engine().newBaseManager();
        Engine.getInstance().setRandomSeed(5);
        ViT vit = new ViT(VitSpec.parse("d=16,layers=1,heads=2,mlp=32,patch=8", 32, 32));
        vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.put("num_labels", labels.size()).put("d_model", 16).put("num_queries", 4).put("encoder_layers", 0)
                .put("decoder_layers", 2).put("encoder_attention_heads", 2).put("decoder_attention_heads", 2)
                .put("encoder_ffn_dim", 32).put("decoder_ffn_dim", 32).put("dropout", 0.0);
        Map<String, Head> heads = new LinkedHashMap<>();
        heads.put("detection", Models.initialize(new DetrHead(DetrConfig.read(c), HeadContext.of(vit)), manager));
        heads.put("dominant", Models.initialize(Models.classificationHead(labels, "mean", vit), manager));
        return VisionModel.of(vit, heads, PreprocessorConfig.vitDefaults(32, 32), manager);
    }
}
