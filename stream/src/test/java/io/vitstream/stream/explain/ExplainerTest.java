package io.vitstream.stream.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.ExecutionPath;
import io.vitstream.backbone.Features;
import io.vitstream.backbone.Grid;
import io.vitstream.backbone.explain.AttentionRollout;
import io.vitstream.backbone.explain.AttentionRollout.HeadFusion;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.image.JpegEncoder;
import io.vitstream.heads.VisionModel;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vitstream.stream.TestModel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import javax.imageio.ImageIO;

/** {@link Explainer} on the bundled demo detector and a camera-sized JPEG.
 *
 * <p>A {@code @QuarkusTest} only so that it runs in the same class loader as the other service
 * tests (as {@code FrameProcessorTest}): PyTorch's native library can be loaded by one class
 * loader per JVM. Nothing here uses the running service.
 */
@QuarkusTest
@QuarkusTestResource(TestModel.class)
class ExplainerTest {

    static {
        Djl.ensureOffline();
    }

    private static VisionModel model;
    private static ImagePreprocessor preprocessor;
    private static Explainer explainer;
    private static byte[] frame;

    @BeforeAll
    static void load() {
        model = VisionModel.load(DemoInputs.DETR, ExecutionPath.FP32, Device.cpu());
        preprocessor = model.newPreprocessor(ImageLimits.DEFAULT);
        explainer = new Explainer(model, preprocessor);
        frame = DemoInputs.jpeg(3, 1280, 720);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The map is the class token's rollout row, computed here from the backbone's own attentions. */
    @Test
    void mapIsTheClassTokensRolloutOverTheGrid() {
        int layers = model.backbone().numLayers();
        Explanation e = explainer.explain(frame, layers, HeadFusion.MEAN);
        float[][] want;
        try (NDManager m = NDManager.newBaseManager()) {
            Features f = model.backbone().features(null, ImagePreprocessor.toBatch(m, List.of(preprocessor.prepare(frame))),
                    false, true);
            want = AttentionRollout.heatmap(AttentionRollout.rollout(AttentionRollout.toArrays(f.attentions(), 0),
                    HeadFusion.MEAN), 0, f.numPrefixTokens(), f.grid());
        }
        assertEquals(want.length, e.map().length);
        assertEquals(want[0].length, e.map()[0].length);
        assertTrue(maxDiff(want, e.map()) < 1e-5, "differs by " + maxDiff(want, e.map()));
        assertEquals(6, e.layers());
        assertEquals(new Grid(16, 16), e.grid());
        assertTrue(e.classToken());
        assertEquals(1280, e.imageWidth());
        assertEquals(720, e.imageHeight());
        assertEquals(new Explanation.Region(0, 0, 1280, 720), e.region(), "a plain resize covers the whole frame");
        assertTrue(e.millis() > 0);
    }

    /** A ResNet backbone (HF DETR-R50) has no attention: the explainer says so instead of failing on a layer. */
    @Test
    void aResNetBackboneIsRefusedWithItsReason() {
        try (VisionModel detr = VisionModel.load(io.vitstream.stream.HfDetrFixture.ROOT.resolve("c5/timm"), ExecutionPath.FP32,
                Device.cpu())) {
            Explainer resnet = new Explainer(detr, detr.newPreprocessor(ImageLimits.DEFAULT));
            assertEquals(0, resnet.layers());
            String why = resnet.unavailable().orElseThrow();
            assertTrue(why.contains("resnet50") && why.contains("no attention"), why);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> resnet.explain(frame, 1, HeadFusion.MEAN));
            assertEquals(why, e.getMessage());
        }
        assertTrue(explainer.unavailable().isEmpty(), "the demo ViT has attention");
    }

    @Test
    void fewerLayersGiveAnotherMap() {
        float[][] first = explainer.explain(frame, 1, HeadFusion.MEAN).map();
        float[][] all = explainer.explain(frame, explainer.layers(), HeadFusion.MEAN).map();
        assertTrue(maxDiff(first, all) > 1e-3, "layer 1 and layer L gave the same map");
        float[][] max = explainer.explain(frame, explainer.layers(), HeadFusion.MAX).map();
        assertTrue(maxDiff(max, all) > 1e-3, "max and mean fusion gave the same map");
    }

    /** The PNG is the frame at most png-max-side wide, yellowed where the map is 1 and untouched where it is low. */
    @Test
    void pngIsTheFrameWithTheMapBlendedOver() throws IOException {
        Explanation e = explainer.explain(frame, explainer.layers(), HeadFusion.MEAN);
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(explainer.png(frame, e, 640)));
        assertEquals(640, png.getWidth());
        assertEquals(360, png.getHeight());
        BufferedImage plain = JpegEncoder.scaled(ImageIO.read(new ByteArrayInputStream(frame)), 640, 360);
        int[] hot = cell(e.map(), true);
        int[] cold = cell(e.map(), false);
        int[] p = rgb(png, centreX(hot, e, 640), centreY(hot, e, 360));
        int[] q = rgb(plain, centreX(hot, e, 640), centreY(hot, e, 360));
        assertTrue(p[0] - p[2] > 60, "not yellowish where the map is 1: " + java.util.Arrays.toString(p));
        int[] yellow = {240, 249, 33};
        assertTrue(distance(p, yellow) < distance(q, yellow) - 40, "the hot cell did not move toward yellow: "
                + java.util.Arrays.toString(q) + " -> " + java.util.Arrays.toString(p));
        float low = e.map()[cold[0]][cold[1]];
        int[] pc = rgb(png, centreX(cold, e, 640), centreY(cold, e, 360));
        int[] qc = rgb(plain, centreX(cold, e, 640), centreY(cold, e, 360));
        assertTrue(distance(pc, qc) <= 0.75 * low * 255 * Math.sqrt(3) + 12, "the coldest cell changed too much: " + low);
    }

    @Test
    void badLayerAndFusionAreRefusedByName() {
        IllegalArgumentException tooDeep = assertThrows(IllegalArgumentException.class, () -> explainer.explain(frame, 7, HeadFusion.MEAN));
        assertTrue(tooDeep.getMessage().contains("layer must be in 1..6"), tooDeep.getMessage());
        assertThrows(IllegalArgumentException.class, () -> explainer.explain(frame, 0, HeadFusion.MEAN));
        assertEquals(6, Explainer.layer(null, 6));
        assertEquals(2, Explainer.layer("2", 6));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Explainer.layer("x", 6)).getMessage().startsWith("layer"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Explainer.layer("0", 6)).getMessage().startsWith("layer"));
        assertEquals(HeadFusion.MEAN, Explainer.fusion(null));
        assertEquals(HeadFusion.MIN, Explainer.fusion("min"));
        IllegalArgumentException fusion = assertThrows(IllegalArgumentException.class, () -> Explainer.fusion("avg"));
        assertTrue(fusion.getMessage().contains("fusion must be one of mean, max, min"), fusion.getMessage());
    }

    /** Without a class token: the patches' rows averaged, scaled to 1 (worked by hand). */
    @Test
    void withoutAClassTokenTheMapIsThePatchesMeanRow() {
        assertArrayEquals(new double[] {1, 0, 0}, Explainer.start(true, 1, new Grid(1, 2)), 0);
        assertArrayEquals(new double[] {0, 0.5, 0.5}, Explainer.start(false, 1, new Grid(1, 2)), 0);
        assertArrayEquals(new double[] {0.5, 0.5}, Explainer.start(false, 0, new Grid(1, 2)), 0);
        // One layer, one head: A' = (A + I) / 2 = [[1, 0, 0], [.2, .6, .2], [.2, .2, .6]].
        float[][][] layer = {{{1f, 0f, 0f}, {0.4f, 0.2f, 0.4f}, {0.4f, 0.4f, 0.2f}}};
        double[] row = AttentionRollout.rolloutRow(List.<float[][][]>of(layer), HeadFusion.MEAN,
                Explainer.start(false, 1, new Grid(1, 2)));
        // Column means over the patch rows: (0.6 + 0.2) / 2 = 0.4 both; scaled to 1.
        assertArrayEquals(new float[] {1f, 1f}, AttentionRollout.heatmap(row, 1, new Grid(1, 2))[0], 1e-6f);
        // Prefix 0, A' = [[.5, .5], [.1, .9]]: column means (0.3, 0.7), scaled by 0.7.
        float[][][] skewed = {{{0f, 1f}, {0.2f, 0.8f}}};
        double[] row2 = AttentionRollout.rolloutRow(List.<float[][][]>of(skewed), HeadFusion.MEAN,
                Explainer.start(false, 0, new Grid(1, 2)));
        assertArrayEquals(new float[] {0.3f / 0.7f, 1f}, AttentionRollout.heatmap(row2, 0, new Grid(1, 2))[0], 1e-6f);
    }

    @Test
    void aCroppedInputCoversPartOfTheFrame() {
        // A 1280x720 frame resized to 64 on its shortest side (113x64) and cut to 64x64 in the middle:
        // input x 0..64 is x 24.5..88.5 of the resized frame, 275.6..995.6 of the original; outward to whole pixels.
        double[] cover = {24.5 * 720 / 64.0, 0, (24.5 + 64) * 720 / 64.0, 720};
        assertEquals(new Explanation.Region(275, 0, 996 - 275, 720), Explainer.region(cover, 1280, 720));
        // Letterboxed: the input reaches past the frame, the region stops at it.
        assertEquals(new Explanation.Region(0, 0, 1280, 720), Explainer.region(new double[] {0, 0, 1280, 1280}, 1280, 720));
    }

    private static int[] cell(float[][] map, boolean highest) {
        int[] best = {0, 0};
        for (int i = 0; i < map.length; i++) {
            for (int j = 0; j < map[i].length; j++) {
                float v = map[i][j];
                float b = map[best[0]][best[1]];
                if (highest ? v > b : v < b) {
                    best = new int[] {i, j};
                }
            }
        }
        return best;
    }

    private static int centreX(int[] cell, Explanation e, int width) {
        return (int) ((cell[1] + 0.5) * width / e.grid().width());
    }

    private static int centreY(int[] cell, Explanation e, int height) {
        return (int) ((cell[0] + 0.5) * height / e.grid().height());
    }

    private static int[] rgb(BufferedImage img, int x, int y) {
        int v = img.getRGB(x, y);
        return new int[] {v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff};
    }

    private static double distance(int[] a, int[] b) {
        return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
    }

    private static double maxDiff(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }
}
