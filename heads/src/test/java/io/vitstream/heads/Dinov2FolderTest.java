package io.vitstream.heads;

import static io.vitstream.backbone.Fixtures.assertClose;
import static io.vitstream.backbone.Fixtures.expected;
import static io.vitstream.backbone.Fixtures.fixture;
import static io.vitstream.backbone.Fixtures.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.backbone.Precision;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.heads.classification.ClassificationConfig;
import io.vitstream.heads.classification.ClassificationHead;
import io.vitstream.results.HeadResult;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Folders saved by HF's {@code Dinov2ForImageClassification} and
 * {@code Dinov2WithRegistersForImageClassification} (transformers 5.17,
 * {@code tools/make_dinov2_fixtures.py}) load as they are: backbone plus a classification head on
 * the class token concatenated with the mean patch token, logits within 1e-4 of HF's, from HF's
 * pixel values at two sizes and from the PNG bytes through our preprocessing; attention maps for
 * the rollout; and the composite config we save round-trips the pooling.
 */
class Dinov2FolderTest {

    private static final float TOLERANCE = 1e-4f;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"dinov2-tiny", "dinov2-registers-swiglu"})
    void hfFolderRunsAsIsAndMatchesHfLogits(String name) throws IOException {
        try (NDManager m = NDManager.newBaseManager();
                VisionModel model = VisionModel.load(fixture(name), Precision.FP32, Device.cpu())) {
            Map<String, NDArray> exp = expected(name, m);
            ClassificationHead head = (ClassificationHead) model.heads().get("classification");
            assertEquals(ClassificationConfig.Pooling.CLS_MEAN, head.config().pooling());
            for (String suffix : new String[] {"", "_other"}) {
                NDArray logits = model.forward(null, exp.get("pixel_values" + suffix), false).get("classification").head();
                System.out.printf("%s logits%s: max abs %.3g%n", name, suffix, maxAbsDiff(logits, exp.get("logits" + suffix)));
                assertClose(logits, exp.get("logits" + suffix), TOLERANCE, name + " logits" + suffix);
            }

            List<ImagePreprocessor.Prepared> images = prepared(model);
            VisionModel.RawOutput raw = model.rawOutputs(images).get("classification").get(0);
            NDArray fromBytes = m.create(raw.values(), new Shape(raw.shape()));
            System.out.printf("%s logits from the PNG bytes: max abs %.3g%n", name, maxAbsDiff(fromBytes, exp.get("logits")));
            assertClose(fromBytes, exp.get("logits"), TOLERANCE, name + " logits from the PNG bytes");
            List<Map<String, HeadResult>> results = model.infer(images);
            for (int i = 0; i < 2; i++) {
                HeadResult.Classification c = (HeadResult.Classification) results.get(i).get("classification");
                assertEquals((long) exp.get("logits").get(i).argMax().getLong(), c.top().get(0).id());
            }

            List<Attentions> maps = model.attentions(images);
            int prefix = model.backbone().numPrefixTokens();
            assertEquals(name.contains("registers") ? 4 : 1, prefix);
            assertEquals(model.backbone().numLayers(), maps.get(0).layers().size());
            for (int layer = 0; layer < model.backbone().numLayers(); layer++) {
                float[][][] got = maps.get(1).layers().get(layer);
                NDArray want = exp.get("attentions." + layer).get(1);
                assertClose(m.create(flatten(got), want.getShape()), want, TOLERANCE, name + " attentions." + layer);
            }
        }
    }

    /** Saved in our composite layout, the head keeps {@code "pooling": "cls+mean"} and the logits. */
    @ParameterizedTest
    @ValueSource(strings = {"dinov2-tiny", "dinov2-registers-swiglu"})
    void compositeSaveRoundTrips(String name) throws IOException {
        try (NDManager m = NDManager.newBaseManager();
                VisionModel model = VisionModel.load(fixture(name), Precision.FP32, Device.cpu())) {
            model.save(dir, StorageType.F32);
            var config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
            assertEquals("cls+mean", config.path("heads").path("classification").path("pooling").asText());
            var pre = new ObjectMapper().readTree(dir.resolve("preprocessor_config.json").toFile());
            var original = new ObjectMapper().readTree(fixture(name).resolve("preprocessor_config.json").toFile());
            for (String key : new String[] {"image_processor_type", "size", "crop_size", "resample", "image_mean", "image_std"}) {
                assertEquals(original.get(key), pre.get(key), "preprocessor_config.json '" + key + "' after saving");
            }
            try (VisionModel again = VisionModel.load(dir, Precision.FP32, Device.cpu())) {
                NDArray pixels = expected(name, m).get("pixel_values_other");
                assertClose(again.forward(null, pixels, false).get("classification").head(),
                        model.forward(null, pixels, false).get("classification").head(), 0f, name + " reloaded");
            }
        }
    }

    /**
     * bf16 runs (no op that DJL cannot do on bf16): logits within a bf16 tolerance of HF's fp32
     * ones, relative RMS error under 3% (8 significant bits through two layers; the ViT's bf16 test
     * measures about 1%).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dinov2-tiny", "dinov2-registers-swiglu"})
    void runsInBf16(String name) throws IOException {
        try (NDManager m = NDManager.newBaseManager();
                VisionModel model = VisionModel.load(fixture(name), Precision.BF16, Device.cpu())) {
            VisionModel.RawOutput raw = model.rawOutputs(prepared(model)).get("classification").get(0);
            NDArray got = m.create(raw.values(), new Shape(raw.shape()));
            NDArray want = expected(name, m).get("logits");
            float relRms = (float) Math.sqrt(got.sub(want).square().mean().getFloat() / want.square().mean().getFloat());
            System.out.printf("%s bf16 logits: max abs %.3g, relative RMS %.3g%n", name, maxAbsDiff(got, want), relRms);
            assertTrue(relRms < 0.03f, name + " bf16 relative RMS error " + relRms);
        }
    }

    /**
     * {@code precision=auto} on the HF folder as it is: the DINOv2 encoder also runs on ONNX
     * Runtime, its logits within 1e-4 (relative) of PyTorch fp32's and timed like the other
     * candidates; and ONNX Runtime really ran (the two runtimes round differently).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dinov2-tiny", "dinov2-registers-swiglu"})
    void precisionAutoTimesOnnxRuntimeWithinTolerance(String name) {
        PathSelection.Result r = AutoPrecision.selectCheckingOnnxRuntime(fixture(name));
        try {
            assertTrue(AutoPrecision.onnxRuntime(r).maxRelativeDiff() > 0, "is ONNX Runtime used at all?");
        } finally {
            r.model().close();
        }
    }

    private static List<ImagePreprocessor.Prepared> prepared(VisionModel model) throws IOException {
        ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
        List<ImagePreprocessor.Prepared> images = new ArrayList<>();
        for (String png : new String[] {"a.png", "b.png"}) {
            images.add(pre.prepare(Files.readAllBytes(fixture("dinov2-images").resolve(png))));
        }
        return images;
    }

    private static float[] flatten(float[][][] a) {
        int h = a.length;
        int t = a[0].length;
        float[] out = new float[h * t * t];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < t; j++) {
                System.arraycopy(a[i][j], 0, out, (i * t + j) * t, t);
            }
        }
        return out;
    }
}
