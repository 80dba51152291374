package io.vitstream.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.checkpoint.CheckpointFolder;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.backbone.vit.ViTConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real-size checkpoints made at test time (random weights, never committed), in the layout of
 * a Hugging Face {@code ViTForImageClassification} folder such as
 * {@code google/vit-base-patch16-224}: {@code vit.}-prefixed encoder keys, {@code classifier.*},
 * a plain HF config with {@code architectures} and {@code id2label}, and the HF ViT processor
 * settings (224x224 bilinear, mean and std 0.5).
 */
public final class RandomCheckpoints {

    private RandomCheckpoints() {}

    /**
     * Writes (once: an existing folder with the same config is reused) a classifier checkpoint.
     *
     * @param preset a {@link ViTConfig#preset} name such as {@code "B/16"}
     * @param labels number of classes
     * @param storage how floats are stored (F32 as most hub checkpoints, or F16/BF16)
     * @return the folder
     */
    public static Path classifier(Path dir, String preset, int labels, StorageType storage, int seed) {
        ViTConfig cfg = ViTConfig.preset(preset);
        ObjectNode config = hfConfig(cfg, labels);
        if (Files.isRegularFile(dir.resolve(CheckpointFolder.WEIGHTS))
                && config.equals(CheckpointFolder.open(dir).config())) {
            return dir;
        }
        Djl.ensureOffline();
        Djl.engine().setRandomSeed(seed);
        int side = cfg.imageHeight();
        try (NDManager m = Djl.engine().newBaseManager()) {
            ViT vit = new ViT(cfg);
            vit.initialize(m, DataType.FLOAT32, new Shape(1, 3, side, side));
            Map<String, NDArray> tensors = new LinkedHashMap<>(Backbones.checkpointTensors(vit));
            // Weights of a trained classifier's scale, so that logits are spread, not all ~0.
            tensors.put("classifier.weight", m.randomNormal(0f, 0.05f, new Shape(labels, cfg.hiddenSize()), DataType.FLOAT32));
            tensors.put("classifier.bias", m.randomNormal(0f, 0.01f, new Shape(labels), DataType.FLOAT32));
            CheckpointFolder.write(dir, config, tensors, storage, PreprocessorConfig.vitDefaults(side, side));
        }
        return dir;
    }

    private static ObjectNode hfConfig(ViTConfig cfg, int labels) {
        ObjectNode config = new ViT(cfg).toConfigJson();
        ArrayNode arch = config.putArray("architectures");
        arch.add("ViTForImageClassification");
        ObjectNode id2label = config.putObject("id2label");
        for (int i = 0; i < labels; i++) {
            id2label.put(Integer.toString(i), "class_" + i);
        }
        return config;
    }
}
