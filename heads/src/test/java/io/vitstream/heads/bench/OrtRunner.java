package io.vitstream.heads.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * One ONNX graph on ONNX Runtime's Java API (no DJL engine, so no conflict with DJL's
 * OrtEngine), 2 intra-op threads and 1 inter-op thread, all graph optimizations, CPU provider.
 */
final class OrtRunner implements AutoCloseable {

    static final int INTRA_OP_THREADS = 2;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final OnnxTensor input;

    /**
     * @param pixels the input {@code [B, 3, H, W]} fp32, row-major, kept for every run
     */
    OrtRunner(Path onnx, float[] pixels, long[] shape) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(INTRA_OP_THREADS);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(onnx.toString(), options);
        }
        input = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), shape);
    }

    /** One forward; the outputs are dropped (what the timed runs do). */
    void run() {
        try (OrtSession.Result r = session.run(Map.of("pixel_values", input))) {
            r.get(0);
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first output (logits or last_hidden_state), flattened row-major. */
    float[] firstOutput() throws OrtException {
        try (OrtSession.Result r = session.run(Map.of("pixel_values", input))) {
            FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        }
    }

    @Override
    public void close() throws OrtException {
        input.close();
        session.close();
    }
}
