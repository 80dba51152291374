package io.vitstream.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import io.vitstream.heads.VisionModel;

import java.util.Map;
import java.util.Random;

/** What the {@link Trainer} needs from one kind of training: data size, loss, evaluation. */
public interface Task {

    /** The model being trained (its manager holds the parameters; it is what gets saved). */
    VisionModel model();

    /** The parameters to update, by full checkpoint key; frozen ones are left out. */
    Map<String, Parameter> trainable();

    /** Number of training examples. */
    int size();

    /**
     * The training loss of one batch, computed inside the caller's gradient collector.
     *
     * @param manager the step's manager; every array made here is freed after the step
     * @param batch indices of the training examples
     * @param rng augmentation randomness of this batch
     * @return a scalar
     */
    NDArray loss(NDManager manager, int[] batch, Random rng);

    /**
     * Evaluates on held-out data.
     *
     * @return metrics by name; the first entry is the one progress lines show
     */
    Map<String, Double> evaluate();
}
