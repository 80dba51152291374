package io.vitstream.heads;

import static io.vitstream.backbone.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.Fixtures;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.checkpoint.CheckpointException;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.image.RgbImage;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.backbone.vit.ViTConfig;
import io.vitstream.heads.classification.ClassificationConfig;
import io.vitstream.heads.classification.ClassificationHead;
import io.vitstream.heads.detr.DetrHead;
import io.vitstream.results.HeadResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class VisionModelTest {

    static {
        Djl.ensureOffline();
    }

    @TempDir
    Path dir;

    /** A Hugging Face ViTForImageClassification folder loads unchanged and gives HF's logits. */
    @Test
    void loadsPlainHuggingFaceClassifier() {
        try (VisionModel model = VisionModel.load(Fixtures.fixture("vit-tiny-gelu"), Precision.FP32, Device.cpu());
                NDManager m = NDManager.newBaseManager()) {
            assertEquals(List.of("classification"), List.copyOf(model.heads().keySet()));
            assertEquals(List.of("cat", "dog", "bird", "fish", "frog"), model.heads().get("classification").labels());
            Map<String, NDArray> exp = Fixtures.expected("vit-tiny-gelu", m);
            NDList raw = model.forward(null, exp.get("pixel_values"), false).get("classification");
            assertClose(raw.head(), exp.get("logits"), 1e-4f, "logits");
            assertTrue(model.digest().startsWith("sha256:"));
        }
    }

    /**
     * A ViT folder's inference is untouched by DETR's padded batches: frames of different sizes
     * are resized to the one input size and stacked without a mask, and the logits are exactly
     * the training forward's on that stack.
     */
    @Test
    void vitInferenceStacksOneInputSizeWithoutPadding() {
        try (VisionModel model = VisionModel.load(Fixtures.fixture("vit-tiny-gelu"), Precision.FP32, Device.cpu());
                NDManager m = NDManager.newBaseManager()) {
            assertTrue(!model.preprocessorConfig().padsBatch());
            ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
            List<ImagePreprocessor.Prepared> images = List.of(pre.prepare(image(64, 48, 10)), pre.prepare(image(20, 40, 200)));
            VisionModel.RawOutput raw = model.rawOutputs(images).get("classification").get(0);
            NDArray stacked = ImagePreprocessor.toBatch(m, images);
            assertEquals(new Shape(2, 3, 32, 32), stacked.getShape());
            NDArray expected = model.forward(null, stacked, false).get("classification").head();
            assertEquals(0f, Fixtures.maxAbsDiff(m.create(raw.values(), new Shape(raw.shape())), expected), "logits");
        }
    }

    /**
     * A batch with more input pixels than {@link VisionModel#limitPassPixels} runs as several
     * backbone passes, each head still answering every frame in order.
     */
    @Test
    void aBatchOverThePixelLimitRunsAsSeveralPasses() {
        try (NDManager m = NDManager.newBaseManager()) {
            Counting backbone = countingVit(m);
            VisionModel model = VisionModel.of(backbone, twoHeads(backbone.context(), m), PreprocessorConfig.vitDefaults(16, 16), m);
            ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
            List<ImagePreprocessor.Prepared> images = new ArrayList<>();
            for (int i = 0; i < 5; i++) images.add(pre.prepare(image(32 + i, 24, 30 + i)));
            List<Map<String, HeadResult>> whole = model.infer(images);
            assertEquals(1, backbone.passes, "5 x 16x16 is under the default limit");
            model.limitPassPixels(2 * 16 * 16);
            List<Map<String, HeadResult>> split = model.infer(images);
            assertEquals(1 + 3, backbone.passes, "passes of 2, 2 and 1 frames");
            assertEquals(5, split.size());
            for (int i = 0; i < 5; i++) {
                HeadResult.Detections a = (HeadResult.Detections) whole.get(i).get("objects");
                HeadResult.Detections b = (HeadResult.Detections) split.get(i).get("objects");
                assertEquals(a.detections().size(), b.detections().size());
                assertEquals(a.detections().get(0).box().x2(), b.detections().get(0).box().x2(), 1e-3, "frame " + i + " keeps its own answer");
            }
            model.rawOutputs(images);
            assertEquals(4 + 3, backbone.passes, "raw outputs split the same way");
        }
    }

    /**
     * {@code precision=auto}'s timing keeps to its budget: with none left, one warm-up and one
     * timed batch; with time to spare, 1 to 3 warm-ups and every timed batch.
     */
    @Test
    void pathTimingStopsAtItsBudget() {
        try (NDManager m = NDManager.newBaseManager()) {
            Counting backbone = countingVit(m);
            VisionModel model = VisionModel.of(backbone, twoHeads(backbone.context(), m), PreprocessorConfig.vitDefaults(16, 16), m);
            ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
            List<ImagePreprocessor.Prepared> golden = List.of(pre.prepare(image(16, 16, 1)), pre.prepare(image(16, 16, 2)));
            assertTrue(PathSelection.time(model, golden, 2, 3, 0) > 0);
            assertEquals(2, backbone.passes, "budget 0: one warm-up and one timed batch");
            backbone.passes = 0;
            PathSelection.time(model, golden, 2, 3, 60_000);
            assertTrue(backbone.passes >= 1 + 3 && backbone.passes <= 3 + 3, "1 to 3 warm-ups and 3 timed: " + backbone.passes);
        }
    }

    /** One checkpoint, two heads: one backbone pass per batch, every head answers, boxes in original pixels. */
    @Test
    void oneBackbonePassFeedsEveryHead() {
        try (NDManager m = NDManager.newBaseManager()) {
            Counting backbone = new Counting(smallVit());
            backbone.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
            Map<String, Head> heads = twoHeads(backbone.context(), m);
            VisionModel model = VisionModel.of(backbone, heads, PreprocessorConfig.vitDefaults(16, 16), m);
            ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
            List<ImagePreprocessor.Prepared> images = List.of(pre.prepare(image(64, 48, 10)), pre.prepare(image(20, 40, 200)));
            List<Map<String, HeadResult>> out = model.infer(images);
            assertEquals(1, backbone.passes);
            assertEquals(2, out.size());
            for (int i = 0; i < 2; i++) {
                assertTrue(out.get(i).get("kind") instanceof HeadResult.Classification);
                HeadResult.Detections d = (HeadResult.Detections) out.get(i).get("objects");
                int w = i == 0 ? 64 : 20;
                int h = i == 0 ? 48 : 40;
                assertTrue(!d.detections().isEmpty(), "threshold 0 keeps every query");
                d.detections().forEach(det -> {
                    assertTrue(det.box().x1() >= 0 && det.box().x2() <= w && det.box().y1() >= 0 && det.box().y2() <= h,
                            "box inside the original " + w + "x" + h + ": " + det.box());
                    assertTrue(det.box().x2() >= det.box().x1() && det.box().y2() >= det.box().y1());
                });
            }
        }
    }

    /**
     * Closing while passes run (a shutdown during a batch) waits for the running pass and frees
     * nothing under it; later passes fail cleanly instead of touching freed native memory.
     */
    @Test
    void closingWaitsForTheRunningPassAndLaterPassesFailCleanly() throws Exception {
        NDManager m = NDManager.newBaseManager();
        ViT vit = smallVit();
        vit.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
        VisionModel model = VisionModel.of(vit, twoHeads(io.vitstream.heads.HeadContext.of(vit), m),
                PreprocessorConfig.vitDefaults(16, 16), m);
        ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
        List<ImagePreprocessor.Prepared> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) batch.add(pre.prepare(image(32, 32, i)));
        java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> unexpected = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                while (true) {
                    running.countDown();
                    List<Map<String, HeadResult>> out = model.infer(batch);
                    assertEquals(64, out.size());
                    out.forEach(r -> assertEquals(2, r.size()));
                    completed.incrementAndGet();
                }
            } catch (IllegalStateException e) {
                if (!e.getMessage().contains("closed")) unexpected.set(e);
            } catch (Throwable t) {
                unexpected.set(t);
            }
        });
        worker.start();
        running.await();
        Thread.sleep(50);
        model.close();
        worker.join(30_000);
        assertTrue(!worker.isAlive(), "the worker ends once the model is closed");
        assertEquals(null, unexpected.get(), "passes around close() either complete or fail as closed");
        assertTrue(completed.get() >= 1, "at least the pass running at close() completed: " + completed.get());
        assertThrows(IllegalStateException.class, () -> model.infer(batch));
    }

    /** Streaming must not grow native memory: batch arrays are freed when the batch ends. */
    @Test
    void inferenceDoesNotLeaveArraysBehind() {
        try (NDManager m = NDManager.newBaseManager()) {
            ViT vit = smallVit();
            vit.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
            VisionModel model = VisionModel.of(vit, twoHeads(io.vitstream.heads.HeadContext.of(vit), m),
                    PreprocessorConfig.vitDefaults(16, 16), m);
            ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
            List<ImagePreprocessor.Prepared> batch = List.of(pre.prepare(image(32, 32, 1)), pre.prepare(image(16, 16, 2)));
            model.infer(batch);
            int before = m.getManagedArrays().size();
            for (int i = 0; i < 20; i++) model.infer(batch);
            assertEquals(before, m.getManagedArrays().size(), "arrays left in the model's manager after 20 batches");
        }
    }

    @Test
    void savesAndReloadsACompositeCheckpointStrictly() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ViT vit = smallVit();
            vit.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
            VisionModel model = VisionModel.of(vit, twoHeads(io.vitstream.heads.HeadContext.of(vit), m),
                    PreprocessorConfig.vitDefaults(16, 16), m);
            model.save(dir, StorageType.F16);
            try (VisionModel loaded = VisionModel.load(dir, Precision.FP32, Device.cpu())) {
                assertEquals(List.of("kind", "objects"), List.copyOf(loaded.heads().keySet()));
            }
            // A head section that disagrees with the weights is refused, naming the key.
            ObjectNode config = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("config.json").toFile());
            ((ObjectNode) config.get("heads").get("objects")).put("num_queries", 4);
            Files.writeString(dir.resolve("config.json"), config.toString());
            CheckpointException e = assertThrows(CheckpointException.class, () -> VisionModel.load(dir, Precision.FP32, Device.cpu()));
            assertTrue(e.getMessage().contains("model.query_position_embeddings.weight") && e.getMessage().contains("(5, 8)")
                            && e.getMessage().contains("expects (4, 8)"),
                    e.getMessage());
        }
    }

    @Test
    void unknownHeadTypeListsTheKnownOnes() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ViT vit = smallVit();
            vit.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
            VisionModel.of(vit, Map.of(), PreprocessorConfig.vitDefaults(16, 16), m).save(dir, StorageType.F32);
            ObjectNode config = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("config.json").toFile());
            config.putObject("heads").putObject("seg").put("type", "segmentation");
            Files.writeString(dir.resolve("config.json"), config.toString());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VisionModel.load(dir, Precision.FP32, Device.cpu()));
            assertTrue(e.getMessage().contains("'segmentation'") && e.getMessage().contains("detr"), e.getMessage());
        }
    }

    private static ViT smallVit() {
        return new ViT(ViTConfig.builder().setPatchSize(4).setHiddenSize(16).setNumLayers(1).setNumHeads(2)
                .setIntermediateSize(32).optImageSize(16, 16).optLayerNormEps(1e-6).build());
    }

    private static Map<String, Head> twoHeads(HeadContext ctx, NDManager m) {
        Map<String, Head> heads = new LinkedHashMap<>();
        heads.put("kind", new ClassificationHead(new ClassificationConfig(List.of("x", "y", "z"),
                ClassificationConfig.Pooling.CLS, false, 1e-6, "classifier.", 2), ctx));
        heads.put("objects", new DetrHead(io.vitstream.heads.detr.DetrHeadTest.smallConfig(), ctx));
        heads.values().forEach(h -> h.initialize(m, DataType.FLOAT32, new Shape(1)));
        return heads;
    }

    private static RgbImage image(int w, int h, int seed) {
        byte[] rgb = new byte[w * h * 3];
        new java.util.Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }

    /** A small ViT for 16x16 inputs that counts its passes, initialized in {@code m}. */
    private static Counting countingVit(NDManager m) {
        Counting backbone = new Counting(smallVit());
        backbone.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
        return backbone;
    }

    /** A backbone that counts its passes. */
    private static final class Counting extends io.vitstream.backbone.nn.NamedBlock implements io.vitstream.backbone.Backbone {
        private final ViT inner;
        int passes;

        Counting(ViT inner) {
            this.inner = child("", inner);
        }

        HeadContext context() {
            return HeadContext.of(inner);
        }

        @Override
        public io.vitstream.backbone.Features features(ai.djl.training.ParameterStore ps, NDArray images, boolean training, boolean att) {
            passes++;
            return inner.features(ps, images, training, att);
        }

        @Override
        protected NDList forwardInternal(ai.djl.training.ParameterStore ps, NDList in, boolean t, ai.djl.util.PairList<String, Object> p) {
            return inner.forward(ps, in, t, p);
        }

        @Override public String architecture() { return inner.architecture(); }
        @Override public int hiddenSize() { return inner.hiddenSize(); }
        @Override public int patchSize() { return inner.patchSize(); }
        @Override public int numPrefixTokens() { return inner.numPrefixTokens(); }
        @Override public boolean hasClassToken() { return inner.hasClassToken(); }
        @Override public int numHeads() { return inner.numHeads(); }
        @Override public int numLayers() { return inner.numLayers(); }
        @Override public int[] defaultImageSize() { return inner.defaultImageSize(); }
        @Override public String describe() { return inner.describe(); }
        @Override public ObjectNode toConfigJson() { return inner.toConfigJson(); }
    }
}
