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
import io.vitstream.backbone.resnet.ResNet;
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
     * @param pooling "cls", "mean" or "cls+mean"
     */
    public static VisionModel newClassifier(ViTConfig config, List<String> labels, String pooling, long seed) {
        return newClassifier(new ViT(config), config.imageHeight(), config.imageWidth(), labels, pooling, seed);
    }

    /**
     * A new backbone of any architecture with a new classification head, initialized with the
     * engine seeded by {@code seed}; the preprocessing is ViT's (mean and std 0.5) at the given size.
     *
     * @param backbone uninitialized
     * @param pooling "cls", "mean" or "cls+mean"
     */
    public static VisionModel newClassifier(Backbone backbone, int height, int width, List<String> labels, String pooling,
            long seed) {
        NDManager manager = Djl.engine().newBaseManager();
        Engine.getInstance().setRandomSeed((int) seed);
        initialize(backbone, height, width, manager);
        Map<String, Head> heads = new LinkedHashMap<>();
        heads.put("classification", initialize(classificationHead(labels, pooling, backbone), manager));
        return VisionModel.of(backbone, heads, PreprocessorConfig.vitDefaults(height, width), manager);
    }

    /**
     * Creates a new backbone's arrays in {@code manager} (fp32, trainable). A ResNet's last
     * convolution in every bottleneck starts at zero, as timm's {@code zero_init_last} (which
     * zeroes the last batch norm's scale instead; ours are frozen, so the convolution takes its
     * place): each residual branch starts as the identity, so the deep net without trained norms
     * begins as a shallow one instead of with activations growing block after block.
     */
    public static <B extends Backbone> B initialize(B backbone, int height, int width, NDManager manager) {
        backbone.initialize(manager, DataType.FLOAT32, new Shape(1, 3, height, width));
        if (backbone instanceof ResNet) {
            backbone.namedParameters().forEach((k, p) -> {
                if (k.endsWith(".conv3.weight")) p.getArray().set(java.nio.FloatBuffer.wrap(new float[(int) p.getArray().size()]));
            });
        }
        return backbone;
    }

    /**
     * The pooling a new classification head gets when none is asked for: the class token on a
     * ViT, class token and mean patch token on DINOv2 (HF {@code Dinov2ForImageClassification}),
     * the mean of the tokens on a backbone without a class token (ResNet's C5 map).
     */
    public static String defaultPooling(Backbone backbone) {
        if (!backbone.hasClassToken()) return ClassificationConfig.Pooling.MEAN.label();
        return backbone.architecture().startsWith("dinov2") ? ClassificationConfig.Pooling.CLS_MEAN.label()
                : ClassificationConfig.Pooling.CLS.label();
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

    /**
     * A classification head on a backbone, with the head config's defaults.
     *
     * @throws IllegalArgumentException when the pooling is unknown, or reads a class token the backbone lacks
     */
    public static ClassificationHead classificationHead(List<String> labels, String pooling, Backbone backbone) {
        ClassificationConfig.Pooling p = ClassificationConfig.Pooling.parse(pooling);
        if (p != ClassificationConfig.Pooling.MEAN && !backbone.hasClassToken()) {
            throw new IllegalArgumentException("pooling '" + p.label() + "' needs a class token and " + backbone.describe()
                    + " has none (its tokens are its last feature map): use pooling 'mean'");
        }
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
