package io.vitstream.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.ExecutionPath;
import io.vitstream.backbone.Fixtures;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/** {@link VisionModel#attentions} on a Hugging Face ViT checkpoint, on PyTorch and with the ONNX Runtime encoder on. */
class VisionModelAttentionsTest {

    static {
        Djl.ensureOffline();
    }

    private static final Path CHECKPOINT = Fixtures.fixture("vit-tiny-gelu");

    @Test
    void everyLayerIsAHeadsByTokensByTokensMapOfProbabilities() throws IOException {
        JsonNode config = new ObjectMapper().readTree(CHECKPOINT.resolve("config.json").toFile());
        int side = config.get("image_size").asInt() / config.get("patch_size").asInt();
        int tokens = 1 + side * side;
        try (VisionModel model = VisionModel.load(CHECKPOINT, ExecutionPath.FP32, Device.cpu())) {
            List<Attentions> all = model.attentions(twoImages(model));
            assertEquals(2, all.size());
            for (Attentions a : all) {
                assertEquals(1, a.numPrefixTokens());
                assertTrue(a.hasClassToken());
                assertEquals(side, a.grid().height());
                assertEquals(side, a.grid().width());
                assertEquals(config.get("num_hidden_layers").asInt(), a.layers().size());
                for (float[][][] layer : a.layers()) {
                    assertEquals(config.get("num_attention_heads").asInt(), layer.length);
                    for (float[][] head : layer) {
                        assertEquals(tokens, head.length);
                        for (float[] row : head) {
                            assertEquals(tokens, row.length);
                            double sum = 0;
                            for (float v : row) {
                                assertTrue(v >= 0, "a probability below 0: " + v);
                                sum += v;
                            }
                            assertEquals(1.0, sum, 1e-5);
                        }
                    }
                }
            }
            assertTrue(maxDiff(all.get(0), all.get(1)) > 1e-3, "two different images gave the same attention");
            List<Attentions> one = model.attentions(List.of(twoImages(model).get(1)));
            assertEquals(0, maxDiff(all.get(1), one.get(0)), 1e-5, "batched and alone differ");
        }
    }

    @Test
    void theOnnxRuntimeEncoderDoesNotChangeTheAttentions() {
        try (VisionModel torch = VisionModel.load(CHECKPOINT, ExecutionPath.FP32, Device.cpu());
                VisionModel ort = VisionModel.load(CHECKPOINT, ExecutionPath.FP32_ONNXRUNTIME, Device.cpu())) {
            assertEquals(ExecutionPath.FP32_ONNXRUNTIME, ort.path());
            List<ImagePreprocessor.Prepared> images = twoImages(torch);
            List<Attentions> want = torch.attentions(images);
            List<Attentions> got = ort.attentions(images);
            for (int i = 0; i < want.size(); i++) {
                assertEquals(0, maxDiff(want.get(i), got.get(i)), 1e-6, "image " + i);
            }
            assertEquals(ExecutionPath.FP32_ONNXRUNTIME, ort.path(), "asking for attentions switched the runtime off");
        }
    }

    private static double maxDiff(Attentions a, Attentions b) {
        double max = 0;
        for (int l = 0; l < a.layers().size(); l++) {
            float[][][] x = a.layers().get(l);
            float[][][] y = b.layers().get(l);
            for (int h = 0; h < x.length; h++) {
                for (int i = 0; i < x[h].length; i++) {
                    for (int j = 0; j < x[h][i].length; j++) {
                        max = Math.max(max, Math.abs(x[h][i][j] - y[h][i][j]));
                    }
                }
            }
        }
        return max;
    }

    /** Two real PNGs of different content and size, prepared as the model says. */
    private static List<ImagePreprocessor.Prepared> twoImages(VisionModel model) {
        ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
        return List.of(pre.prepare(png(120, 80, Color.ORANGE, 10)), pre.prepare(png(64, 96, Color.BLUE, 40)));
    }

    private static byte[] png(int w, int h, Color spot, int at) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, w, h);
        g.setColor(spot);
        g.fillOval(at, at, w / 3, h / 3);
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
