package io.vitstream.heads.detr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import io.vitstream.backbone.ExecutionPath;
import io.vitstream.heads.PathSelection;

import org.junit.jupiter.api.Test;

/**
 * {@code precision=auto} on an HF DETR-R50 folder (what the stream does with
 * {@code vitstream.model.path} alone): the ResNet backbone runs on ONNX Runtime too, within the
 * tolerances of PyTorch fp32 and timed like the other candidates.
 */
class HfDetrPathSelectionTest {

    @Test
    void onnxRuntimeRunsTheResNetWithinTolerance() {
        PathSelection.Result r = PathSelection.select(HfDetrFolderTest.root().resolve("c5/timm"), Device.cpu(),
                PathSelection.candidates(Device.cpu(), PathSelection.cpuHasBf16()), 2, 1, PathSelection.Tolerances.DEFAULT);
        try {
            System.out.println(r.describe());
            PathSelection.Candidate ort = r.candidates().stream()
                    .filter(c -> c.path().equals(ExecutionPath.FP32_ONNXRUNTIME.label())).findFirst().orElseThrow();
            assertTrue(ort.withinTolerance(), ort.toString());
            assertTrue(ort.maxRelativeDiff() < 1e-4 && ort.maxBoxDiff() < 1e-4, "fp32 on both runtimes: " + ort);
            assertEquals(1.0, ort.top1Agreement());
            assertTrue(ort.msPerImage() > 0, "timed");
            assertEquals(r.chosen(), r.model().path());
            assertTrue(r.model().preprocessorConfig().padsBatch());
        } finally {
            r.model().close();
        }
    }
}
