package io.vitstream.backbone;

import ai.djl.ndarray.NDArray;

/**
 * Another runtime running a backbone's inference forward pass on the same weights (for example
 * ONNX Runtime, whose fp32 kernels are faster on some CPUs than PyTorch's). Its tokens land in
 * the input's manager, so heads read them as if the backbone had made them.
 */
public interface EncoderSession extends AutoCloseable {

    /** A short name for logs and results, e.g. {@code "onnxruntime"}. */
    String runtime();

    /** Whether this session takes inputs of {@code height x width} (it may be built for one size). */
    boolean accepts(int height, int width);

    /**
     * Runs the encoder.
     *
     * @param images {@code [B, C, H, W]} fp32 normalized pixels of an accepted size
     * @return tokens in {@code images}' manager, as {@link Backbone#features} returns them
     */
    Features features(NDArray images);

    /** Frees the runtime's memory; no call may be running. */
    @Override
    void close();
}
