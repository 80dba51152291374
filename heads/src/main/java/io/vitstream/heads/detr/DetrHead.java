package io.vitstream.heads.detr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.Features;
import io.vitstream.backbone.Grid;
import io.vitstream.backbone.nn.Dense;
import io.vitstream.backbone.nn.Group;
import io.vitstream.backbone.nn.Init;
import io.vitstream.backbone.nn.LayerScope;
import io.vitstream.backbone.nn.NamedBlock;
import io.vitstream.backbone.nn.Norm;
import io.vitstream.backbone.nn.Ops;
import io.vitstream.heads.Head;
import io.vitstream.heads.HeadContext;
import io.vitstream.heads.PostProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * DETR-style detection on ViT features (Carion et al. 2020): the patch tokens are projected to
 * d, optionally encoded further, and a decoder turns Q learned object queries into Q box
 * predictions by attending to them. Every decoder layer's output, through the shared final
 * LayerNorm, feeds the class and box heads (auxiliary outputs for training); the unnormalized
 * output goes on to the next layer, as in the paper.
 *
 * <p>Raw output: {@code logits [L, B, Q, K+1]} (last class "no object") and
 * {@code boxes [L, B, Q, 4]}, (cx, cy, w, h) normalized to [0, 1] of the model input, for each
 * of the L decoder layers; index L-1 is the prediction.
 *
 * <p>Checkpoint keys are HF {@code DetrForObjectDetection}'s: {@code model.input_projection},
 * {@code model.query_position_embeddings}, {@code model.encoder.layers.N}, {@code
 * model.decoder.layers.N}, {@code model.decoder.layernorm}, {@code class_labels_classifier},
 * {@code bbox_predictor.layers.0-2}. The input projection is a 1x1 convolution weight
 * {@code [d, D, 1, 1]} applied to tokens as a linear map.
 */
public final class DetrHead extends NamedBlock implements Head {

    private final DetrConfig config;
    private final Parameter projectionWeight;
    private final Parameter projectionBias;
    private final Parameter queries;
    private final List<DetrEncoderLayer> encoder = new ArrayList<>();
    private final List<DetrDecoderLayer> decoder = new ArrayList<>();
    private final Norm decoderNorm;
    private final Dense classifier;
    private final Dense[] boxMlp = new Dense[3];
    private final int hidden;

    public DetrHead(DetrConfig config, HeadContext context) {
        this.config = config;
        this.hidden = context.hiddenSize();
        int d = config.dModel();
        Init init = Init.truncatedNormal(0.02);
        Group model = child("model", new Group());
        Group projection = model.add("input_projection", new Group());
        this.projectionWeight = projection.declare("weight", Parameter.Type.WEIGHT, new Shape(d, hidden, 1, 1), init);
        this.projectionBias = projection.declare("bias", Parameter.Type.BIAS, new Shape(d), Init.ZEROS);
        this.queries = model.add("query_position_embeddings", new Group())
                .declare("weight", Parameter.Type.WEIGHT, new Shape(config.numQueries(), d), Init.truncatedNormal(1.0));
        Group encoderLayers = model.add("encoder", new Group()).add("layers", new Group());
        for (int i = 0; i < config.encoderLayers(); i++) {
            encoder.add(encoderLayers.add(Integer.toString(i), new DetrEncoderLayer(config)));
        }
        Group decoderGroup = model.add("decoder", new Group());
        Group decoderLayers = decoderGroup.add("layers", new Group());
        for (int i = 0; i < config.decoderLayers(); i++) {
            decoder.add(decoderLayers.add(Integer.toString(i), new DetrDecoderLayer(config)));
        }
        this.decoderNorm = decoderGroup.add("layernorm", new Norm(d, config.layerNormEps()));
        this.classifier = child("class_labels_classifier", new Dense(d, config.numLabels() + 1, true, init));
        Group mlp = child("bbox_predictor", new Group()).add("layers", new Group());
        for (int i = 0; i < 3; i++) {
            boxMlp[i] = mlp.add(Integer.toString(i), new Dense(d, i == 2 ? 4 : d, true, init));
        }
    }

    /** The settings. */
    public DetrConfig config() {
        return config;
    }

    @Override
    public NDList forward(ParameterStore ps, Features features, boolean training) {
        return forward(ps, features, null, training);
    }

    /**
     * The forward pass over a padded batch (HF {@code pixel_mask}): the mask, brought to the grid
     * by nearest sampling, positions the sine embeddings per image and hides the padding from the
     * encoder's and the decoder's attention, as HF's {@code DetrModel} does.
     *
     * @param pixelMask {@code [B, H, W]} of the backbone's input, 1 for image and 0 for padding;
     *     {@code null} when every image fills its input
     * @return as {@link #forward(ParameterStore, Features, boolean)}
     */
    /** Outputs are {@code [decoder layers, B, ...]}. */
    @Override
    public int batchAxis() {
        return 1;
    }

    @Override
    public NDList forward(ParameterStore ps, Features features, NDArray pixelMask, boolean training) {
        NDArray tokens = features.patchTokens();
        Grid grid = features.grid();
        NDArray w = value(ps, projectionWeight, tokens.getDevice(), training).reshape(config.dModel(), hidden);
        NDArray memory = tokens.getNDArrayInternal()
                .linear(tokens, w, value(ps, projectionBias, tokens.getDevice(), training)).singletonOrThrow();
        NDArray pos;
        NDArray keyBias = null;
        if (pixelMask == null) {
            pos = SinePositionEncoding.array(tokens.getManager(), grid.height(), grid.width(),
                    config.dModel(), config.positionTemperature());
        } else {
            float[][] masks = gridMasks(pixelMask, grid);
            float[] all = new float[masks.length * grid.size() * config.dModel()];
            float[] bias = new float[masks.length * grid.size()];
            for (int i = 0; i < masks.length; i++) {
                float[] one = SinePositionEncoding.encode(masks[i], grid.height(), grid.width(), config.dModel(),
                        config.positionTemperature());
                System.arraycopy(one, 0, all, i * one.length, one.length);
                for (int t = 0; t < grid.size(); t++) bias[i * grid.size() + t] = masks[i][t] > 0 ? 0f : -Float.MAX_VALUE;
            }
            pos = tokens.getManager().create(all, new Shape(masks.length, grid.size(), config.dModel()));
            keyBias = Ops.sameType(tokens.getManager().create(bias, new Shape(masks.length, 1, 1, grid.size()))
                    .toDevice(tokens.getDevice(), false), memory);
        }
        pos = Ops.sameType(pos.toDevice(tokens.getDevice(), false), memory);
        final NDArray posF = pos;
        final NDArray biasF = keyBias;
        for (DetrEncoderLayer layer : encoder) {
            NDArray in = memory;
            // In inference each layer's temporaries (scores [B, heads, T, T], MLP activations) are
            // freed when it returns, not held to the end of the batch.
            memory = training ? layer.apply(ps, in, posF, biasF, true)
                    : LayerScope.run(() -> new NDList(layer.apply(ps, in, posF, biasF, false)), false).get(0);
        }
        NDArray queryPos = value(ps, queries, tokens.getDevice(), training);
        // Zeros made in fp32 and cast: DJL cannot create a bf16 array directly (zerosLike on one
        // aborts the JVM in its JNI: DJL 0.35 has no data type for bf16).
        NDArray tgt = Ops.sameType(memory.getManager().zeros(
                new Shape(memory.getShape().get(0), config.numQueries(), config.dModel())), memory);
        NDList logits = new NDList();
        NDList boxes = new NDList();
        final NDArray memoryF = memory;
        for (int i = 0; i < decoder.size(); i++) {
            DetrDecoderLayer layer = decoder.get(i);
            NDArray in = tgt;
            tgt = training ? layer.apply(ps, in, queryPos, memoryF, posF, biasF, true)
                    : LayerScope.run(() -> new NDList(layer.apply(ps, in, queryPos, memoryF, posF, biasF, false)), false).get(0);
            NDArray normed = decoderNorm.apply(ps, tgt, training);
            if (config.chainNormalized()) {
                // HF with auxiliary_loss: the normalized output goes on, and its final prediction
                // reads the last output normalized a second time.
                tgt = normed;
                if (i == decoder.size() - 1) normed = decoderNorm.apply(ps, normed, training);
            }
            logits.add(classifier.apply(ps, normed, training));
            boxes.add(boxes(ps, normed, training));
        }
        return new NDList(NDArrays.stack(logits), NDArrays.stack(boxes));
    }

    /** Each image's mask on the feature grid, {@code [B][h*w]}, from pixel masks {@code [B, H, W]}. */
    private static float[][] gridMasks(NDArray pixelMask, Grid grid) {
        Shape s = pixelMask.getShape();
        int b = (int) s.get(0);
        int height = (int) s.get(1);
        int width = (int) s.get(2);
        float[] pixels = pixelMask.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
            float[] one = java.util.Arrays.copyOfRange(pixels, i * height * width, (i + 1) * height * width);
            out[i] = SinePositionEncoding.downsampleMask(one, height, width, grid.height(), grid.width());
        }
        return out;
    }

    /** The 3-layer box MLP with ReLUs and a final sigmoid: (cx, cy, w, h) in [0, 1]. */
    private NDArray boxes(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = x;
        for (int i = 0; i < 3; i++) {
            h = boxMlp[i].apply(ps, h, training);
            h = i < 2 ? h.getNDArrayInternal().relu() : h.getNDArrayInternal().sigmoid();
        }
        return h;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("call forward(ParameterStore, Features, boolean)");
    }

    @Override
    public PostProcessor postProcessor() {
        return new DetrPostProcessor(config);
    }

    @Override public String type() { return "detr"; }
    @Override public List<String> labels() { return config.labels(); }
    @Override public String checkpointPrefix() { return config.prefix(); }
    @Override public ObjectNode toConfigJson() { return config.toJson(); }
}
