package io.vitstream.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.Fixtures;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.ImageGeometry;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.image.RgbImage;
import io.vitstream.results.Detection;
import io.vitstream.results.HeadResult;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link VisionModel#limitPassPixels}: a batch with more input pixels than the limit runs as
 * several passes, in order, and gives the answers of one pass. How much memory that saves is
 * measured by {@code tools/bench-pass-memory.sh} (docs/benchmarks.md), not here.
 */
class VisionModelPassesTest {

    static {
        Djl.ensureOffline();
    }

    private static ImagePreprocessor.Prepared sized(int h, int w) {
        return new ImagePreprocessor.Prepared(new float[0], new ImageGeometry(w, h, w, h, 1, 1, 0, 0));
    }

    private static List<Integer> sizes(List<List<ImagePreprocessor.Prepared>> passes) {
        return passes.stream().map(List::size).toList();
    }

    @Test
    void batchesAreSplitByPaddedPixels() {
        List<ImagePreprocessor.Prepared> detr1080p = new ArrayList<>();
        for (int i = 0; i < 8; i++) detr1080p.add(sized(750, 1333));
        // two 750x1333 inputs are 1,999,500 pixels: within 2,000,000, three are not
        assertEquals(List.of(2, 2, 2, 2), sizes(VisionModel.passes(detr1080p, 2_000_000)));
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1), sizes(VisionModel.passes(detr1080p, 1_999_499)));
        assertEquals(List.of(8), sizes(VisionModel.passes(detr1080p, 0)), "0: no limit");
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1), sizes(VisionModel.passes(detr1080p, VisionModel.DEFAULT_MAX_PASS_PIXELS)),
                "the default: one DETR 1080p frame per pass");

        List<ImagePreprocessor.Prepared> vit = new ArrayList<>();
        for (int i = 0; i < 16; i++) vit.add(sized(224, 224));
        assertEquals(List.of(16), sizes(VisionModel.passes(vit, VisionModel.DEFAULT_MAX_PASS_PIXELS)));

        // an image over the limit on its own is a pass of one; order is kept
        ImagePreprocessor.Prepared big = sized(3000, 3000);
        ImagePreprocessor.Prepared a = sized(100, 100);
        ImagePreprocessor.Prepared b = sized(100, 100);
        List<List<ImagePreprocessor.Prepared>> p = VisionModel.passes(List.of(a, big, b), 2_000_000);
        assertEquals(List.of(List.of(a), List.of(big), List.of(b)), p);

        // padding counts: a portrait and a landscape frame pad each other to 1000x1000
        List<ImagePreprocessor.Prepared> mixed = List.of(sized(700, 1000), sized(1000, 700));
        assertEquals(List.of(2), sizes(VisionModel.passes(mixed, 1_000_000 * 2)));
        assertEquals(List.of(1, 1), sizes(VisionModel.passes(mixed, 1_999_999)));
    }

    /** Joining along an inner axis keeps each outer block's rows together. */
    @Test
    void rawOutputsJoinAlongTheBatchAxis() {
        // x: [2 layers, 1 image, 2], y: [2 layers, 2 images, 2]
        VisionModel.RawOutput x = new VisionModel.RawOutput(new float[] {1, 2, 3, 4}, new long[] {2, 1, 2});
        VisionModel.RawOutput y = new VisionModel.RawOutput(new float[] {5, 6, 7, 8, 9, 10, 11, 12}, new long[] {2, 2, 2});
        VisionModel.RawOutput j = VisionModel.RawOutput.join(x, y, 1);
        assertArrayEquals(new long[] {2, 3, 2}, j.shape());
        assertArrayEquals(new float[] {1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12}, j.values());
        VisionModel.RawOutput k = VisionModel.RawOutput.join(new VisionModel.RawOutput(new float[] {1, 2}, new long[] {1, 2}),
                new VisionModel.RawOutput(new float[] {3, 4}, new long[] {1, 2}), 0);
        assertArrayEquals(new float[] {1, 2, 3, 4}, k.values());
        assertThrows(IllegalArgumentException.class, () -> VisionModel.RawOutput.join(x, y, 0));
    }

    @Test
    void negativeLimitsAreRefused() {
        try (VisionModel model = VisionModel.load(Fixtures.fixture("vit-tiny-gelu"), Precision.FP32, Device.cpu())) {
            assertEquals(VisionModel.DEFAULT_MAX_PASS_PIXELS, model.maxPassPixels());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.limitPassPixels(-1));
            assertTrue(e.getMessage().contains("-1"), e.getMessage());
        }
    }

    /** A ViT batch split into passes of one frame gives the whole batch's answers. */
    @Test
    void vitAnswersDoNotDependOnTheSplit() {
        try (VisionModel model = VisionModel.load(Fixtures.fixture("vit-tiny-gelu"), Precision.FP32, Device.cpu())) {
            ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
            List<ImagePreprocessor.Prepared> images = new ArrayList<>();
            for (int i = 0; i < 5; i++) images.add(pre.prepare(image(64 + 8 * i, 48, i)));
            model.limitPassPixels(0);
            List<Map<String, HeadResult>> whole = model.infer(images);
            VisionModel.RawOutput wholeRaw = model.rawOutputs(images).get("classification").get(0);
            int side = model.preprocessorConfig().height() * model.preprocessorConfig().width();
            model.limitPassPixels(2L * side); // passes of 2, 2, 1
            assertEquals(List.of(2, 2, 1), sizes(VisionModel.passes(images, model.maxPassPixels())));
            List<Map<String, HeadResult>> split = model.infer(images);
            VisionModel.RawOutput splitRaw = model.rawOutputs(images).get("classification").get(0);
            assertArrayEquals(wholeRaw.shape(), splitRaw.shape());
            assertArrayEquals(wholeRaw.values(), splitRaw.values(), 1e-5f);
            for (int i = 0; i < images.size(); i++) {
                var w = ((HeadResult.Classification) whole.get(i).get("classification")).top();
                var s = ((HeadResult.Classification) split.get(i).get("classification")).top();
                assertEquals(w.size(), s.size());
                for (int k = 0; k < w.size(); k++) {
                    assertEquals(w.get(k).id(), s.get(k).id(), "frame " + i + " rank " + k);
                    assertEquals(w.get(k).score(), s.get(k).score(), 1e-5, "frame " + i + " rank " + k);
                }
            }
        }
    }

    /** An HF DETR-R50 batch of one size, split into passes of one frame, gives the same boxes. */
    @Test
    void detrAnswersDoNotDependOnTheSplit() {
        try (VisionModel model = VisionModel.load(detrFolder(), Precision.FP32, Device.cpu())) {
            ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
            List<ImagePreprocessor.Prepared> images = new ArrayList<>();
            for (int i = 0; i < 3; i++) images.add(pre.prepare(image(160, 120, 40 + i)));
            var g = images.get(0).geometry();
            model.limitPassPixels(0);
            List<Map<String, HeadResult>> whole = model.infer(images);
            VisionModel.RawOutput wholeBoxes = model.rawOutputs(images).get("detr").get(1);
            model.limitPassPixels((long) g.inputHeight() * g.inputWidth());
            assertEquals(List.of(1, 1, 1), sizes(VisionModel.passes(images, model.maxPassPixels())));
            List<Map<String, HeadResult>> split = model.infer(images);
            VisionModel.RawOutput splitBoxes = model.rawOutputs(images).get("detr").get(1);
            assertArrayEquals(wholeBoxes.shape(), splitBoxes.shape());
            assertEquals(3, splitBoxes.shape()[1], "[decoder layers, B, queries, 4]");
            assertArrayEquals(wholeBoxes.values(), splitBoxes.values(), 1e-5f);
            assertTrue(whole.stream().mapToInt(r -> ((HeadResult.Detections) r.get("detr")).detections().size()).sum() > 0,
                    "the fixture reports detections on these frames");
            for (int i = 0; i < images.size(); i++) {
                List<Detection> w = ((HeadResult.Detections) whole.get(i).get("detr")).detections();
                List<Detection> s = ((HeadResult.Detections) split.get(i).get("detr")).detections();
                assertEquals(w.size(), s.size(), "frame " + i);
                for (int k = 0; k < w.size(); k++) {
                    assertEquals(w.get(k).labelId(), s.get(k).labelId());
                    assertEquals(w.get(k).score(), s.get(k).score(), 1e-5);
                    assertEquals(w.get(k).box().x1(), s.get(k).box().x1(), 1e-3);
                    assertEquals(w.get(k).box().y2(), s.get(k).box().y2(), 1e-3);
                }
            }
        }
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    /**
     * transformers' own DetrForObjectDetection save (timm ResNet-50 at reduced widths) with
     * {@code score_threshold: 0}: its random weights score every class near 1/92, so at the
     * default 0.5 no detection would be compared.
     */
    private java.nio.file.Path detrFolder() {
        try {
            return io.vitstream.heads.detr.DetrFolders.withAllQueries(
                    java.nio.file.Path.of(VisionModelPassesTest.class.getResource("/detr-hf/c5/timm").toURI()), dir);
        } catch (java.net.URISyntaxException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RgbImage image(int w, int h, int seed) {
        byte[] rgb = new byte[w * h * 3];
        new java.util.Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }
}
