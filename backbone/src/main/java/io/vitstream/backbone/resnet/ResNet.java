package io.vitstream.backbone.resnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.BackboneBlock;
import io.vitstream.backbone.Features;
import io.vitstream.backbone.Grid;
import io.vitstream.backbone.nn.Group;
import io.vitstream.backbone.nn.LayerScope;
import io.vitstream.backbone.nn.Ops;
import io.vitstream.backbone.onnx.OnnxGraph;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A bottleneck ResNet as DETR uses it: timm's module names ({@code conv1}, {@code bn1},
 * {@code layer1.0.conv1}, {@code layer1.0.downsample.0}, ...), frozen batch norm, and only the
 * last stage's map (C5) as output, flattened to tokens: {@code [B, h*w, 4 * channels[3]]}
 * (ResNet-50: D = 2048), row-major, with no prefix tokens and no attention.
 *
 * <p>Full-model checkpoints (HF {@code DetrForObjectDetection}) store these keys under
 * {@code model.backbone.conv_encoder.model.}; {@code num_batches_tracked} counters of trained
 * batch norms may be present and are ignored.
 */
public final class ResNet extends BackboneBlock {

    /** The prefix of the backbone in HF DETR checkpoints. */
    public static final String HF_DETR_PREFIX = "model.backbone.conv_encoder.model.";

    private final ResNetConfig config;
    private final Conv stem;
    private final FrozenBatchNorm stemNorm;
    private final List<Bottleneck> blocks = new ArrayList<>();
    private final Set<String> counters = new java.util.LinkedHashSet<>();

    /** Builds the blocks for a config; parameters are declared but have no arrays yet. */
    public ResNet(ResNetConfig config) {
        this.config = config;
        this.stem = child("conv1", new Conv(3, ResNetConfig.STEM_WIDTH, 7, 2, 1));
        this.stemNorm = child("bn1", new FrozenBatchNorm(ResNetConfig.STEM_WIDTH));
        counters.add("bn1.num_batches_tracked");
        int in = ResNetConfig.STEM_WIDTH;
        int dilation = 1;
        int netStride = 4;
        for (int stage = 0; stage < 4; stage++) {
            // timm's make_blocks: once the net stride reaches the output stride, later stages
            // trade their stride for dilation; the first block keeps the previous dilation.
            int stride = stage == 0 ? 1 : 2;
            int previousDilation = dilation;
            if (netStride >= config.stride()) {
                dilation *= stride;
                stride = 1;
            } else {
                netStride *= stride;
            }
            int width = config.channels()[stage];
            Group layer = child("layer" + (stage + 1), new Group());
            for (int i = 0; i < config.layers()[stage]; i++) {
                boolean first = i == 0;
                boolean downsample = first && (stride != 1 || in != width * ResNetConfig.EXPANSION);
                blocks.add(layer.add(Integer.toString(i), new Bottleneck(in, width, first ? stride : 1,
                        first ? previousDilation : dilation, downsample)));
                String p = "layer" + (stage + 1) + "." + i + ".";
                for (String bn : new String[] {"bn1", "bn2", "bn3"}) counters.add(p + bn + ".num_batches_tracked");
                if (downsample) counters.add(p + "downsample.1.num_batches_tracked");
                in = width * ResNetConfig.EXPANSION;
            }
        }
    }

    /** The config this network was built from. */
    public ResNetConfig config() {
        return config;
    }

    private NDArray stemAndPool(ParameterStore ps, NDArray images, boolean training) {
        NDArray x = (training ? stemNorm.apply(stem.apply(ps, images, true)) : stem.applyWithNorm(ps, images, stemNorm))
                .getNDArrayInternal().relu();
        return x.getNDArrayInternal().maxPool(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
    }

    @Override
    public Features features(ParameterStore ps, NDArray images, boolean training, boolean withAttentions) {
        Grid grid = checkedGrid(images, 3);
        // Channels-last from the first convolution on: every later one follows the layout.
        NDArray x = training ? stemAndPool(ps, Ops.channelsLast(images), true)
                : LayerScope.run(() -> new NDList(stemAndPool(ps, Ops.channelsLast(images), false)), false).get(0);
        for (Bottleneck block : blocks) {
            NDArray in = x;
            // In inference each block's temporaries are freed when it returns: at 800x1066 a
            // batch of 4 would otherwise hold every block's activations (several GB) to its end.
            x = training ? block.apply(ps, in, true) : LayerScope.run(() -> new NDList(block.apply(ps, in, false)), false).get(0);
        }
        NDArray tokens = x.reshape(images.getShape().get(0), config.outChannels(), grid.size()).transpose(0, 2, 1);
        return new Features(tokens, grid, 0, false, List.of());
    }

    /**
     * This network in inference as an ONNX graph for ONNX Runtime, from the weights it holds now
     * (fp32; each frozen norm folded into its convolution as {@link #features} does): input
     * {@code pixel_values [batch, 3, height, width]} of any size, output
     * {@code tokens [batch, h*w, C]}, what {@link #features} returns as tokens. Convolution,
     * ReLU, max pool and add only, so its padding and stride arithmetic is ONNX's own and gives
     * the same ceil grid.
     *
     * @param dataFile where the weights go (the caller deletes it)
     */
    public OnnxGraph onnxGraph(Path dataFile) {
        try (OnnxGraph g = new OnnxGraph("vitstream-resnet", dataFile)) {
            String in = OnnxGraph.INPUT;
            g.input(in, -1, 3, -2, -3);
            String x = g.op("Relu", List.of(stem.writeWithNorm(g, "conv1", in, stemNorm)));
            x = g.op("MaxPool", List.of(x), OnnxGraph.Attr.ints("kernel_shape", 3, 3),
                    OnnxGraph.Attr.ints("strides", 2, 2),
                    OnnxGraph.Attr.ints("pads", 1, 1, 1, 1));
            for (int i = 0; i < blocks.size(); i++) {
                x = blocks.get(i).write(g, "block" + i, x);
            }
            // [B, C, h, w] -> [B, C, h*w] -> [B, h*w, C]
            String flat = g.op("Reshape", List.of(x, g.ints(0, config.outChannels(), -1)));
            g.alias(g.op("Transpose", List.of(flat), OnnxGraph.Attr.ints("perm", 0, 2, 1)),
                    OnnxGraph.OUTPUT);
            g.output(OnnxGraph.OUTPUT, -1, -4, config.outChannels());
            return g;
        }
    }

    /**
     * The C5 grid for an input of any positive size: every stride-2 step (the 7x7 stem, the max
     * pool, the first 3x3 convolution of stages 2 to 4, or 2 to 3 when dilated) maps a side n to
     * {@code ceil(n / 2)} given its padding, so the grid is n halved with rounding up 5 times
     * (4 when dilated): 800x1066 gives 25x34; a 33-pixel side gives 2, not 1.
     *
     * @throws IllegalArgumentException when a side is not positive
     */
    @Override
    public Grid grid(int imageHeight, int imageWidth) {
        if (imageHeight <= 0 || imageWidth <= 0) {
            throw new IllegalArgumentException("input " + imageHeight + "x" + imageWidth + " must be positive");
        }
        int h = imageHeight;
        int w = imageWidth;
        for (int step = 1; step < config.stride(); step *= 2) {
            h = (h + 1) / 2;
            w = (w + 1) / 2;
        }
        return new Grid(h, w);
    }

    @Override public String architecture() { return config.name(); }
    @Override public int hiddenSize() { return config.outChannels(); }
    /** The total stride of C5 (32, or 16 dilated): one token covers this many pixels a side. */
    @Override public int patchSize() { return config.stride(); }
    @Override public int numPrefixTokens() { return 0; }
    @Override public boolean hasClassToken() { return false; }
    @Override public int numHeads() { return 0; }
    /** No attention layers: a ResNet gives no attention maps. */
    @Override public int numLayers() { return 0; }
    @Override public int[] defaultImageSize() { return new int[] {config.imageHeight(), config.imageWidth()}; }
    @Override public String describe() { return config.toString(); }
    @Override public ObjectNode toConfigJson() { return config.toJson(); }
    @Override public String checkpointPrefix() { return HF_DETR_PREFIX; }

    /** Batch-norm {@code num_batches_tracked} counters: present in trained checkpoints, unused frozen. */
    @Override
    public Set<String> ignorableKeys() {
        return Set.copyOf(counters);
    }
}
