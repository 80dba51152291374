package io.vitstream.backbone.resnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.vitstream.backbone.nn.Group;
import io.vitstream.backbone.nn.NamedBlock;
import io.vitstream.backbone.onnx.OnnxGraph;

/**
 * One bottleneck block (timm names): {@code conv1} 1x1 / {@code bn1} / ReLU, {@code conv2} 3x3
 * (the stride and dilation) / {@code bn2} / ReLU, {@code conv3} 1x1 to 4x width / {@code bn3},
 * plus the shortcut ({@code downsample.0} 1x1 conv and {@code downsample.1} norm when the shape
 * changes), then ReLU.
 */
final class Bottleneck extends NamedBlock {

    private final Conv conv1;
    private final FrozenBatchNorm bn1;
    private final Conv conv2;
    private final FrozenBatchNorm bn2;
    private final Conv conv3;
    private final FrozenBatchNorm bn3;
    private final Conv downsampleConv;
    private final FrozenBatchNorm downsampleNorm;

    /**
     * @param firstDilation dilation of this block's 3x3 conv (timm: the previous block's dilation)
     */
    Bottleneck(int in, int width, int stride, int firstDilation, boolean downsample) {
        int out = width * ResNetConfig.EXPANSION;
        this.conv1 = child("conv1", new Conv(in, width, 1, 1, 1));
        this.bn1 = child("bn1", new FrozenBatchNorm(width));
        this.conv2 = child("conv2", new Conv(width, width, 3, stride, firstDilation));
        this.bn2 = child("bn2", new FrozenBatchNorm(width));
        this.conv3 = child("conv3", new Conv(width, out, 1, 1, 1));
        this.bn3 = child("bn3", new FrozenBatchNorm(out));
        if (downsample) {
            Group d = child("downsample", new Group());
            this.downsampleConv = d.add("0", new Conv(in, out, 1, stride, 1));
            this.downsampleNorm = d.add("1", new FrozenBatchNorm(out));
        } else {
            this.downsampleConv = null;
            this.downsampleNorm = null;
        }
    }

    /**
     * @param x {@code [B, in, H, W]}
     * @return {@code [B, 4 * width, H / stride, W / stride]} (ceil)
     */
    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        if (!training) {
            // The same block with each frozen norm folded into its convolution.
            NDArray h = conv1.applyWithNorm(ps, x, bn1).getNDArrayInternal().relu();
            h = conv2.applyWithNorm(ps, h, bn2).getNDArrayInternal().relu();
            h = conv3.applyWithNorm(ps, h, bn3);
            NDArray shortcut = downsampleConv == null ? x : downsampleConv.applyWithNorm(ps, x, downsampleNorm);
            return h.add(shortcut).getNDArrayInternal().relu();
        }
        NDArray h = bn1.apply(conv1.apply(ps, x, training)).getNDArrayInternal().relu();
        h = bn2.apply(conv2.apply(ps, h, training)).getNDArrayInternal().relu();
        h = bn3.apply(conv3.apply(ps, h, training));
        NDArray shortcut = downsampleConv == null ? x : downsampleNorm.apply(downsampleConv.apply(ps, x, training));
        return h.add(shortcut).getNDArrayInternal().relu();
    }

    /** This block in inference (norms folded) as ONNX nodes on {@code x}; returns the output's name. */
    String write(OnnxGraph g, String name, String x) {
        String h = g.op("Relu", java.util.List.of(conv1.writeWithNorm(g, name + ".conv1", x, bn1)));
        h = g.op("Relu", java.util.List.of(conv2.writeWithNorm(g, name + ".conv2", h, bn2)));
        h = conv3.writeWithNorm(g, name + ".conv3", h, bn3);
        String shortcut = downsampleConv == null ? x : downsampleConv.writeWithNorm(g, name + ".downsample", x, downsampleNorm);
        return g.op("Relu", java.util.List.of(g.op("Add", java.util.List.of(h, shortcut))));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.head(), training));
    }
}
