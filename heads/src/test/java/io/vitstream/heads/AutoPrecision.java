package io.vitstream.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import io.vitstream.backbone.ExecutionPath;

import java.nio.file.Path;

/**
 * {@code precision=auto} on a saved folder as the stream runs it with {@code vitstream.model.path}
 * alone, and the checks the {@code fp32-onnxruntime} candidate must pass on any backbone with an
 * ONNX Runtime form: the same fp32 model on another runtime, so within 1e-4 of PyTorch fp32,
 * never an argmax apart, and timed like the other candidates.
 */
public final class AutoPrecision {

    private AutoPrecision() {}

    /**
     * Selects a path for {@code folder} among this CPU's candidates (batch 2, one timed batch) and
     * checks the ONNX Runtime candidate and that the model kept runs the chosen path.
     *
     * @return the selection; the caller closes its model (closed here when a check fails)
     */
    public static PathSelection.Result selectCheckingOnnxRuntime(Path folder) {
        PathSelection.Result r = PathSelection.select(folder, Device.cpu(),
                PathSelection.candidates(Device.cpu(), PathSelection.cpuHasBf16()), 2, 1, PathSelection.Tolerances.DEFAULT);
        try {
            System.out.println(r.describe());
            PathSelection.Candidate ort = onnxRuntime(r);
            assertTrue(ort.withinTolerance(), ort.toString());
            assertTrue(ort.maxRelativeDiff() < 1e-4 && ort.maxBoxDiff() < 1e-4, "fp32 on both runtimes: " + ort);
            assertEquals(1.0, ort.top1Agreement());
            assertTrue(ort.msPerImage() > 0, "timed");
            assertEquals(r.chosen(), r.model().path());
            return r;
        } catch (RuntimeException | AssertionError e) {
            r.model().close();
            throw e;
        }
    }

    /** The {@code fp32-onnxruntime} candidate of a selection. */
    public static PathSelection.Candidate onnxRuntime(PathSelection.Result r) {
        return r.candidates().stream().filter(c -> c.path().equals(ExecutionPath.FP32_ONNXRUNTIME.label())).findFirst()
                .orElseThrow();
    }
}
