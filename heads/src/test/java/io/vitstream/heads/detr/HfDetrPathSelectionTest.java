package io.vitstream.heads.detr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.heads.AutoPrecision;
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
        PathSelection.Result r = AutoPrecision.selectCheckingOnnxRuntime(HfDetrFolderTest.root().resolve("c5/timm"));
        try {
            assertTrue(r.model().preprocessorConfig().padsBatch());
        } finally {
            r.model().close();
        }
    }
}
