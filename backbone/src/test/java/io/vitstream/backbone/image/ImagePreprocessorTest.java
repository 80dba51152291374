package io.vitstream.backbone.image;

import static io.vitstream.backbone.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.backbone.Fixtures;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Preprocessing against Hugging Face's ViTImageProcessor as computed with PIL by
 * {@code tools/make_vit_fixtures.py}: decoded pixels and PIL's bilinear resize match byte for
 * byte, the normalized tensor to float rounding.
 */
class ImagePreprocessorTest {

    private static final Path DIR = Fixtures.fixture("preprocess");

    private static PreprocessorConfig config() throws IOException {
        return PreprocessorConfig.read(new ObjectMapper().readTree(DIR.resolve("preprocessor_config.json").toFile()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gradient_shapes.png", "photo.jpg", "gray.png", "rgba.png"})
    void matchesHuggingFaceWithPil(String file) throws IOException {
        String key = file.replace('.', '_');
        byte[] bytes = Files.readAllBytes(DIR.resolve(file));
        PreprocessorConfig cfg = config();
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> exp = Fixtures.expected("preprocess", m);
            RgbImage decoded = new ImageDecoder(ImageLimits.DEFAULT).decode(bytes);
            assertClose(rgb(m, decoded), exp.get(key + "_decoded_rgb"), 0f, file + " decoded");
            RgbImage resized = Resampler.resize(decoded, cfg.width(), cfg.height(), cfg.resample());
            assertClose(rgb(m, resized), exp.get(key + "_resized_rgb"), 0f, file + " resized");
            ImagePreprocessor.Prepared p = new ImagePreprocessor(cfg, ImageLimits.DEFAULT).prepare(bytes);
            assertClose(m.create(p.chw(), new Shape(3, 32, 32)), exp.get(key), 1e-5f, file + " pixel values");
            assertEquals(decoded.width(), p.geometry().originalWidth());
        }
    }

    private static NDArray rgb(NDManager m, RgbImage img) {
        float[] v = new float[img.rgb().length];
        for (int i = 0; i < v.length; i++) v[i] = img.rgb()[i] & 0xff;
        return m.create(v, new Shape(img.height(), img.width(), 3));
    }

    /** Letterboxing keeps the aspect ratio, pads with zeros and maps input pixels back to the original. */
    @Test
    void letterboxKeepsAspectRatioAndMapsBack() {
        PreprocessorConfig cfg = PreprocessorConfig.vitDefaults(32, 32).withLetterbox(true);
        byte[] rgb = new byte[64 * 16 * 3];
        java.util.Arrays.fill(rgb, (byte) 255);
        ImagePreprocessor.Prepared p = new ImagePreprocessor(cfg, ImageLimits.DEFAULT).prepare(new RgbImage(64, 16, rgb));
        ImageGeometry g = p.geometry();
        assertEquals(0.5, g.scaleX(), 1e-12);
        assertEquals(0.5, g.scaleY(), 1e-12);
        // Content fills rows 0..7 (white -> +1 after (1 - 0.5) / 0.5), rows 8.. are padding (0).
        assertEquals(1f, p.chw()[7 * 32 + 31], 1e-6f);
        assertEquals(0f, p.chw()[8 * 32], 0f);
        assertEquals(64.0, g.toOriginalX(32), 1e-9);
        assertEquals(16.0, g.toOriginalY(8), 1e-9);
    }

    @Test
    void batchesStackInOrder() {
        PreprocessorConfig cfg = PreprocessorConfig.vitDefaults(2, 2);
        ImagePreprocessor pre = new ImagePreprocessor(cfg, ImageLimits.DEFAULT);
        ImagePreprocessor.Prepared black = pre.prepare(new RgbImage(2, 2, new byte[12]));
        byte[] white = new byte[12];
        java.util.Arrays.fill(white, (byte) 255);
        ImagePreprocessor.Prepared w = pre.prepare(new RgbImage(2, 2, white));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray batch = ImagePreprocessor.toBatch(m, List.of(black, w));
            assertEquals(new Shape(2, 3, 2, 2), batch.getShape());
            assertEquals(-1f, batch.get(0).max().getFloat(), 1e-6f);
            assertEquals(1f, batch.get(1).min().getFloat(), 1e-6f);
        }
    }
}
