package io.vitstream.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.Features;

import java.util.List;
import java.util.Map;

/**
 * A task head on a backbone's features. Heads own pooling and projection; a head never runs
 * the backbone. The network part is a DJL block (trainable); turning its raw output into plain
 * records is the separate {@link #postProcessor()}.
 */
public interface Head extends Block {

    /** The registry name of this head type, e.g. {@code "classification"} or {@code "detr"}. */
    String type();

    /**
     * Runs the head.
     *
     * @param ps parameter store (training) or {@code null} to use the parameters' own arrays
     * @param features the backbone's output for the batch
     * @return the raw outputs, documented by each head
     */
    NDList forward(ParameterStore ps, Features features, boolean training);

    /**
     * Runs the head on a batch padded to its largest image (DETR preprocessing). Heads that do
     * not use the mask ignore it, which is the default.
     *
     * @param pixelMask {@code [B, H, W]} of the backbone's input, 1 for image and 0 for padding,
     *     or {@code null} when every image fills its input
     */
    default NDList forward(ParameterStore ps, Features features, NDArray pixelMask, boolean training) {
        return forward(ps, features, training);
    }

    /**
     * The axis of the images in every array {@link #forward} returns: 0 ({@code [B, ...]}) unless
     * a head stacks something in front of it (DETR: {@code [decoder layers, B, ...]}). Used to
     * join the outputs of a batch run as several passes.
     */
    default int batchAxis() {
        return 0;
    }

    /** Turns raw outputs into records. */
    PostProcessor postProcessor();

    /** Class names by index. */
    List<String> labels();

    /** Key prefix of this head's tensors in a checkpoint, e.g. {@code "classifier."} or {@code ""}. */
    String checkpointPrefix();

    /** Every parameter by its checkpoint key relative to {@link #checkpointPrefix()}. */
    Map<String, Parameter> namedParameters();

    /** Expected shapes of {@link #namedParameters()}. */
    Map<String, Shape> parameterShapes();

    /** The head's section of {@code config.json} (including {@code "type"}). */
    ObjectNode toConfigJson();
}
