package io.vitstream.train.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Djl;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.nn.NamedBlock;
import io.vitstream.backbone.vit.PositionEmbeddings;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.backbone.vit.ViTConfig;
import io.vitstream.heads.Head;
import io.vitstream.heads.HeadContext;
import io.vitstream.heads.VisionModel;
import io.vitstream.heads.classification.ClassificationConfig;
import io.vitstream.heads.classification.ClassificationHead;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the models training starts from: new, pretrained with a new head, or resized. */
public final class Models {

    private Models() {}

    /**
     * A new ViT with a new classification head, initialized with the engine seeded by {@code seed}.
     *
     * @param pooling "cls" or "mean"
     */
    public static VisionModel newClassifier(ViTConfig config, List<String> labels, String pooling, long seed) {
        NDManager manager = Djl.engine().newBaseManager();
        Engine.getInstance().setRandomSeed((int) seed);
        ViT vit = new ViT(config);
        vit.initialize(manager, DataType.FLOAT32, new Shape(1, config.numChannels(), config.imageHeight(), config.imageWidth()));
        Map<String, Head> heads = new LinkedHashMap<>();
        heads.put("classification", initialize(classificationHead(labels, pooling, vit), manager));
        return VisionModel.of(vit, heads, PreprocessorConfig.vitDefaults(config.imageHeight(), config.imageWidth()), manager);
    }

    /**
     * A pretrained checkpoint's backbone (its heads dropped) with new heads, e.g. a new
     * classification head for other classes.
     *
     * @param heads makes the new heads for the loaded backbone
     */
    public static VisionModel withNewHeads(Path pretrained, java.util.function.Function<Backbone, Map<String, Head>> heads,
            long seed) {
        VisionModel loaded = VisionModel.load(pretrained, Precision.FP32, Device.cpu());
        Engine.getInstance().setRandomSeed((int) seed);
        Map<String, Head> made = heads.apply(loaded.backbone());
        made.values().forEach(h -> initialize(h, loaded.manager()));
        return VisionModel.of(loaded.backbone(), made, loaded.preprocessorConfig(), loaded.manager());
    }

    /**
     * A saved classifier as it is, backbone and head, to train further (a second stage at a
     * lower learning rate, or more epochs).
     *
     * @throws IllegalArgumentException when it has no "classification" head for these classes
     */
    public static VisionModel continued(Path folder, List<String> labels) {
        VisionModel model = VisionModel.load(folder, Precision.FP32, Device.cpu());
        Head head = model.heads().get("classification");
        if (head == null || !head.labels().equals(labels)) {
            model.close();
            throw new IllegalArgumentException(folder + " has no 'classification' head for the classes " + labels
                    + "; use --mode finetune to put a new head on its backbone");
        }
        return model;
    }

    /** A classification head on a backbone, with the head config's defaults. */
    public static ClassificationHead classificationHead(List<String> labels, String pooling, Backbone backbone) {
        ClassificationConfig.Pooling p = ClassificationConfig.Pooling.valueOf(pooling.toUpperCase(java.util.Locale.ROOT));
        ClassificationConfig c = new ClassificationConfig(labels, p, p == ClassificationConfig.Pooling.MEAN, 1e-6,
                "classifier.", Math.min(5, labels.size()));
        return new ClassificationHead(c, HeadContext.of(backbone));
    }

    /** Creates the arrays of a head's parameters in {@code manager} (fp32, trainable). */
    public static <H extends Head> H initialize(H head, NDManager manager) {
        ((NamedBlock) head).initialize(manager, DataType.FLOAT32, new Shape(1));
        return head;
    }

    /**
     * A copy of a ViT trained at one input size, re-based to another: the position embeddings
     * are resampled once (bicubic, as every forward at the new size would) and the config says
     * the new size, so the saved checkpoint is self-consistent and runs without resampling.
     *
     * @param source an initialized ViT
     * @param manager where the new ViT's arrays live
     */
    public static ViT resized(ViT source, int height, int width, NDManager manager) {
        ViTConfig c = source.config();
        ViT out = new ViT(c.toBuilder().optImageSize(height, width).build());
        Map<String, Parameter> from = source.namedParameters();
        for (Map.Entry<String, Parameter> e : out.namedParameters().entrySet()) {
            NDArray value = from.get(e.getKey()).getArray();
            if (e.getKey().equals("embeddings.position_embeddings")) {
                value = PositionEmbeddings.resample(value, c.useClassToken() ? 1 : 0, c.gridHeight(), c.gridWidth(),
                        height / c.patchSize(), width / c.patchSize());
            }
            NDArray copy = value.duplicate();
            copy.attach(manager);
            e.getValue().setArray(copy);
        }
        return out;
    }
}
