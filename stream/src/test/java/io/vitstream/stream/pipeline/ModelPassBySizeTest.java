package io.vitstream.stream.pipeline;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vitstream.backbone.Djl;
import io.vitstream.backbone.ExecutionPath;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.heads.VisionModel;
import io.vitstream.results.Detection;
import io.vitstream.results.HeadResult;
import io.vitstream.stream.HfDetrFixture;
import io.vitstream.stream.ServiceProcess;
import io.vitstream.stream.TestModel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@link ModelPass#bySize()} on a DETR folder saved by Hugging Face (a DETR processor resizes
 * each frame by its aspect ratio and pads a batch to its largest frame): a frame's answer in a
 * batch with a frame of another size is its answer alone, while the plain padded pass changes it.
 *
 * <p>A {@code @QuarkusTest} only so that it runs in the same class loader as the other service
 * tests: PyTorch's native library can be loaded by one class loader per JVM.
 */
@QuarkusTest
@QuarkusTestResource(TestModel.class)
class ModelPassBySizeTest {

    static {
        Djl.ensureOffline();
    }

    private static final Path FIXTURE = HfDetrFixture.ROOT;

    /** Largest difference of score or box corner between two answers; infinite if labels or counts differ. */
    private static double diff(Map<String, HeadResult> x, Map<String, HeadResult> y) {
        List<Detection> dx = ((HeadResult.Detections) x.get("detr")).detections();
        List<Detection> dy = ((HeadResult.Detections) y.get("detr")).detections();
        if (dx.size() != dy.size()) {
            return Double.POSITIVE_INFINITY;
        }
        double d = 0;
        for (int i = 0; i < dx.size(); i++) {
            Detection p = dx.get(i);
            Detection q = dy.get(i);
            if (p.labelId() != q.labelId()) {
                return Double.POSITIVE_INFINITY;
            }
            d = Math.max(d, Math.abs(p.score() - q.score()));
            d = Math.max(d, Math.max(Math.abs(p.box().x1() - q.box().x1()), Math.abs(p.box().y1() - q.box().y1())));
            d = Math.max(d, Math.max(Math.abs(p.box().x2() - q.box().x2()), Math.abs(p.box().y2() - q.box().y2())));
        }
        return d;
    }

    @Test
    void aFramesAnswerDoesNotDependOnItsBatchMates() throws IOException {
        try (VisionModel model = VisionModel.load(HfDetrFixture.withAllQueries(ServiceProcess.moduleDir().resolve("target/detr-hf-all-queries")),
                ExecutionPath.FP32, Device.cpu())) {
            ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
            ImagePreprocessor.Prepared a = pre.prepare(Files.readAllBytes(FIXTURE.resolve("image-a.png")));
            ImagePreprocessor.Prepared b = pre.prepare(Files.readAllBytes(FIXTURE.resolve("image-b.png")));
            assertNotEquals(List.of(a.geometry().inputHeight(), a.geometry().inputWidth()),
                    List.of(b.geometry().inputHeight(), b.geometry().inputWidth()), "the two images must resize to different sizes");
            ModelPass plain = model::infer;
            Map<String, HeadResult> aAlone = plain.infer(List.of(a)).get(0);
            Map<String, HeadResult> bAlone = plain.infer(List.of(b)).get(0);
            double padded = diff(aAlone, plain.infer(List.of(a, b)).get(0));
            assertTrue(padded > 1e-2, "padding next to b changes a's answer (else this test shows nothing): " + padded);

            // Alone or batched with frames of its size: the same up to the kernels' batch blocking (~1e-6).
            List<Map<String, HeadResult>> mixed = plain.bySize().infer(List.of(a, b, a));
            assertTrue(diff(aAlone, mixed.get(0)) < 1e-4, "a: " + diff(aAlone, mixed.get(0)));
            assertTrue(diff(bAlone, mixed.get(1)) < 1e-4, "b: " + diff(bAlone, mixed.get(1)));
            assertTrue(diff(aAlone, mixed.get(2)) < 1e-4, "a again: " + diff(aAlone, mixed.get(2)));
        }
    }
}
