package io.vitstream.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.ExecutionPath;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.backbone.vit.ViTConfig;
import io.vitstream.heads.classification.ClassificationConfig;
import io.vitstream.heads.classification.ClassificationHead;
import io.vitstream.heads.detr.DetrHead;
import io.vitstream.results.HeadResult;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code precision=auto} and the fp32-onnxruntime path on a model with a classification and a DETR head. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathSelectionTest {

    static {
        Djl.ensureOffline();
    }

    @TempDir
    static Path dir;

    @BeforeAll
    void writeModel() {
        Djl.engine().setRandomSeed(7);
        try (NDManager m = NDManager.newBaseManager()) {
            ViT vit = new ViT(ViTConfig.builder().setPatchSize(8).setHiddenSize(32).setNumLayers(2).setNumHeads(4)
                    .setIntermediateSize(64).optImageSize(32, 32).optLayerNormEps(1e-6).build());
            vit.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            HeadContext ctx = HeadContext.of(vit);
            Map<String, Head> heads = new LinkedHashMap<>();
            heads.put("kind", new ClassificationHead(new ClassificationConfig(List.of("x", "y", "z"),
                    ClassificationConfig.Pooling.CLS, false, 1e-6, "classifier.", 2), ctx));
            heads.put("objects", new DetrHead(io.vitstream.heads.detr.DetrHeadTest.smallConfig(), ctx));
            heads.values().forEach(h -> h.initialize(m, DataType.FLOAT32, new Shape(1)));
            VisionModel.of(vit, heads, PreprocessorConfig.vitDefaults(32, 32), m).save(dir, StorageType.F32);
        }
    }

    @Test
    void onnxRuntimePathGivesPyTorchsResultsAndCanBeSwitchedOff() {
        try (VisionModel torch = VisionModel.load(dir, ExecutionPath.FP32, Device.cpu());
                VisionModel ort = VisionModel.load(dir, ExecutionPath.FP32_ONNXRUNTIME, Device.cpu())) {
            assertEquals(ExecutionPath.FP32_ONNXRUNTIME, ort.path());
            List<ImagePreprocessor.Prepared> golden = PathSelection.golden(torch);
            Map<String, List<VisionModel.RawOutput>> want = torch.rawOutputs(golden);
            Map<String, List<VisionModel.RawOutput>> got = ort.rawOutputs(golden);
            for (String head : want.keySet()) {
                for (int i = 0; i < want.get(head).size(); i++) {
                    double diff = PathSelection.maxDiff(want.get(head).get(i).values(), got.get(head).get(i).values());
                    assertTrue(diff < 1e-4, head + " output " + i + " differs by " + diff);
                    assertTrue(diff > 0 || i > 0, "the two runtimes cannot agree bit for bit: is ONNX Runtime used at all?");
                }
            }
            List<Map<String, HeadResult>> a = torch.infer(golden);
            List<Map<String, HeadResult>> b = ort.infer(golden);
            for (int n = 0; n < golden.size(); n++) {
                HeadResult.Classification ca = (HeadResult.Classification) a.get(n).get("kind");
                HeadResult.Classification cb = (HeadResult.Classification) b.get(n).get("kind");
                assertEquals(ca.top().get(0).id(), cb.top().get(0).id());
                assertEquals(ca.top().get(0).score(), cb.top().get(0).score(), 1e-4);
            }
            ort.runBackboneOn(ExecutionPath.FP32);
            assertEquals(ExecutionPath.FP32, ort.path());
            assertEquals(0.0, PathSelection.maxDiff(want.get("kind").get(0).values(), ort.rawOutputs(golden).get("kind").get(0).values()));
            assertThrows(IllegalArgumentException.class, () -> ort.runBackboneOn(ExecutionPath.BF16));
        }
    }

    @Test
    void autoKeepsTheFastestCandidateWithinTolerance() {
        List<ExecutionPath> paths = PathSelection.candidates(Device.cpu(), true);
        assertEquals(List.of(ExecutionPath.FP32, ExecutionPath.FP32_ONNXRUNTIME, ExecutionPath.BF16), paths);
        PathSelection.Result r = PathSelection.select(dir, Device.cpu(), paths, 4, 3, PathSelection.Tolerances.DEFAULT);
        try (VisionModel chosen = r.model()) {
            assertEquals(3, r.candidates().size());
            assertEquals(r.chosen(), chosen.path());
            PathSelection.Candidate fp32 = r.candidates().get(0);
            assertEquals(0.0, fp32.maxRelativeDiff());
            assertEquals(1.0, fp32.top1Agreement());
            PathSelection.Candidate onnx = r.candidates().get(1);
            assertTrue(onnx.withinTolerance() && onnx.maxRelativeDiff() < 1e-4, onnx.toString());
            double fastest = r.candidates().stream().filter(PathSelection.Candidate::withinTolerance)
                    .mapToDouble(PathSelection.Candidate::msPerImage).min().orElseThrow();
            PathSelection.Candidate picked = r.candidates().stream().filter(c -> c.path().equals(r.chosen().label()))
                    .findFirst().orElseThrow();
            assertEquals(fastest, picked.msPerImage());
            for (PathSelection.Candidate c : r.candidates()) {
                assertEquals(c.withinTolerance(), c.msPerImage() != null, "timed exactly when within tolerance: " + c);
            }
            // the chosen model still runs after the others were closed
            assertEquals(2, chosen.infer(PathSelection.golden(chosen)).get(0).size());
            assertTrue(r.describe().contains("precision auto chose " + r.chosen().label()), r.describe());
        }
    }

    @Test
    void autoNeverKeepsAPathOutsideTheTolerances() {
        // Tolerances only the reference itself meets: ONNX Runtime's rounding differs, bf16's much more.
        PathSelection.Tolerances exact = new PathSelection.Tolerances(1e-9, 1e-9, 1.0);
        PathSelection.Result r = PathSelection.select(dir, Device.cpu(),
                List.of(ExecutionPath.FP32, ExecutionPath.FP32_ONNXRUNTIME, ExecutionPath.BF16), 2, 1, exact);
        try (VisionModel chosen = r.model()) {
            assertEquals(ExecutionPath.FP32, r.chosen());
            assertEquals(ExecutionPath.FP32, chosen.path(), "the ONNX Runtime session was removed again");
            for (PathSelection.Candidate c : r.candidates().subList(1, 3)) {
                assertFalse(c.withinTolerance(), c.toString());
                assertNull(c.msPerImage(), "a path outside the tolerances is not even timed: " + c);
                assertNotNull(c.maxRelativeDiff());
                assertTrue(c.maxRelativeDiff() > 1e-9, c.toString());
            }
        }
    }

    @Test
    void aPathThatCannotRunIsReportedNotFatal() {
        PathSelection.Result r = PathSelection.select(dir, Device.cpu(), List.of(ExecutionPath.FP32, ExecutionPath.FP16),
                2, 1, PathSelection.Tolerances.DEFAULT);
        try (VisionModel chosen = r.model()) {
            assertEquals(ExecutionPath.FP32, r.chosen());
            PathSelection.Candidate fp16 = r.candidates().get(1);
            assertFalse(fp16.withinTolerance());
            assertTrue(fp16.note().contains("fp16 needs a GPU"), fp16.note());
        }
    }

    @Test
    void agreementAndDifferencesByHand() {
        // rows [1,2] / [0,5]: both arg-max 1; rows [3,0] / [1,0]: both 0; rows [1,2] / [2,1]: differ
        assertEquals(1.0, PathSelection.argmaxAgreement(new float[] {1, 2, 3, 0}, new float[] {0, 5, 1, 0}, 2));
        assertEquals(0.5, PathSelection.argmaxAgreement(new float[] {1, 2, 3, 0}, new float[] {2, 1, 1, 0}, 2));
        assertEquals(1.5, PathSelection.maxDiff(new float[] {1, -2}, new float[] {1, -0.5f}));
        assertEquals(2.0, PathSelection.maxAbs(new float[] {1, -2}));
    }
}
