package io.vitstream.backbone.dinov2;

import static io.vitstream.backbone.Fixtures.assertClose;
import static io.vitstream.backbone.Fixtures.expected;
import static io.vitstream.backbone.Fixtures.fixture;
import static io.vitstream.backbone.Fixtures.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.image.Resampler;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * HF's {@code BitImageProcessor} settings as DINOv2 folders carry them (shortest-edge bicubic
 * resize, centre crop, ImageNet mean/std), against the processor's own {@code pixel_values} for
 * the committed PNGs (97x61 and 64x80), within 1e-5: at the folder's crop size and at another,
 * non-square one.
 */
class Dinov2PreprocessingTest {

    @ParameterizedTest
    @CsvSource({"dinov2-tiny,,0,0,0", "dinov2-tiny,_other,84,56,84", "dinov2-registers-swiglu,,0,0,0",
            "dinov2-registers-swiglu,_other,70,70,42"})
    void matchesTheProcessorsPixelValues(String name, String suffix, int shortest, int cropH, int cropW) throws IOException {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(fixture(name).resolve("preprocessor_config.json").toFile());
        if (shortest > 0) {
            json.putObject("size").put("shortest_edge", shortest);
            json.putObject("crop_size").put("height", cropH).put("width", cropW);
        }
        PreprocessorConfig config = PreprocessorConfig.read(json);
        assertEquals(Resampler.Filter.BICUBIC, config.resample());
        ImagePreprocessor pre = new ImagePreprocessor(config, ImageLimits.DEFAULT);
        try (NDManager m = NDManager.newBaseManager()) {
            List<ImagePreprocessor.Prepared> images = new ArrayList<>();
            for (String png : new String[] {"a.png", "b.png"}) {
                images.add(pre.prepare(Files.readAllBytes(fixture("dinov2-images").resolve(png))));
            }
            NDArray got = ImagePreprocessor.toBatch(m, images);
            NDArray want = expected(name, m).get("pixel_values" + (suffix == null ? "" : suffix));
            System.out.printf("%s pixel_values%s: max abs %.3g%n", name, suffix == null ? "" : suffix, maxAbsDiff(got, want));
            assertClose(got, want, 1e-5f, name + " pixel_values" + suffix);
        }
    }
}
