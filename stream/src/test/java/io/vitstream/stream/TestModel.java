package io.vitstream.stream;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vitstream.backbone.Djl;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.backbone.vit.ViTConfig;
import io.vitstream.heads.Head;
import io.vitstream.heads.HeadContext;
import io.vitstream.heads.VisionModel;
import io.vitstream.heads.classification.ClassificationConfig;
import io.vitstream.heads.classification.ClassificationHead;
import io.vitstream.heads.detr.DetrConfig;
import io.vitstream.heads.detr.DetrHead;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small random-weight checkpoint with a classification and a DETR head, written before the
 * service starts and passed to it as {@code vitstream.model.path}. The tests check plumbing
 * (every frame answered, in order, with lineage), not accuracy.
 */
public class TestModel implements QuarkusTestResourceLifecycleManager {

    public static final Path DIR = Path.of("target/test-model");

    @Override
    public Map<String, String> start() {
        write(DIR);
        return Map.of("vitstream.model.path", DIR.toString());
    }

    @Override
    public void stop() {}

    /** Writes the checkpoint (idempotent: same seed, same weights). */
    public static synchronized void write(Path dir) {
        Djl.ensureOffline();
        Engine.getEngine("PyTorch").setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            ViT vit = new ViT(ViTConfig.builder().setPatchSize(8).setHiddenSize(32).setNumLayers(1).setNumHeads(2)
                    .setIntermediateSize(64).optImageSize(32, 32).optLayerNormEps(1e-6).build());
            vit.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            HeadContext ctx = HeadContext.of(vit);
            Map<String, Head> heads = new LinkedHashMap<>();
            heads.put("classification", new ClassificationHead(new ClassificationConfig(List.of("shirt", "bag", "shoe"),
                    ClassificationConfig.Pooling.CLS, false, 1e-6, "classifier.", 2), ctx));
            heads.put("detection", new DetrHead(DetrConfig.read(new ObjectMapper().readTree(
                    "{\"id2label\": {\"0\": \"shirt\", \"1\": \"bag\"}, \"d_model\": 16, \"num_queries\": 4,"
                            + " \"encoder_layers\": 0, \"decoder_layers\": 1, \"encoder_attention_heads\": 2,"
                            + " \"decoder_attention_heads\": 2, \"encoder_ffn_dim\": 32, \"decoder_ffn_dim\": 32,"
                            + " \"score_threshold\": 0.0, \"max_detections\": 2}")), ctx));
            heads.values().forEach(h -> h.initialize(m, DataType.FLOAT32, new Shape(1)));
            VisionModel.of(vit, heads, PreprocessorConfig.vitDefaults(32, 32), m).save(dir, StorageType.F32);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
