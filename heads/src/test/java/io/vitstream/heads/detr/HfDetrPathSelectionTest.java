package io.vitstream.heads.detr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import io.vitstream.backbone.ExecutionPath;
import io.vitstream.heads.PathSelection;

import org.junit.jupiter.api.Test;

/**
 * {@code precision=auto} on an HF DETR-R50 folder (what the stream does with
 * {@code vitstream.model.path} alone): ONNX Runtime has no ResNet form, so that candidate fails
 * with its reason and the selection goes on with the PyTorch paths.
 */
class HfDetrPathSelectionTest {

    @Test
    void onnxRuntimeFailsOverCleanlyForResNet() {
        PathSelection.Result r = PathSelection.select(HfDetrFolderTest.root().resolve("c5/timm"), Device.cpu(),
                PathSelection.candidates(Device.cpu(), PathSelection.cpuHasBf16()), 2, 1, PathSelection.Tolerances.DEFAULT);
        try {
            System.out.println(r.describe());
            PathSelection.Candidate ort = r.candidates().stream()
                    .filter(c -> c.path().equals(ExecutionPath.FP32_ONNXRUNTIME.label())).findFirst().orElseThrow();
            assertTrue(!ort.withinTolerance() && ort.note().contains("no ONNX Runtime form for backbone resnet50"), ort.note());
            assertNotEquals(ExecutionPath.FP32_ONNXRUNTIME, r.chosen());
            assertEquals(r.chosen(), r.model().path());
            assertTrue(r.model().preprocessorConfig().padsBatch());
        } finally {
            r.model().close();
        }
    }
}
