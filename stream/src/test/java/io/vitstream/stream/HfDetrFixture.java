package io.vitstream.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The Hugging Face DETR-R50 fixture of the heads module ({@code heads/src/test/resources/detr-hf}). */
public final class HfDetrFixture {

    /** The fixture's folder: test images, HF outputs, and one model folder per variant and config form. */
    public static final Path ROOT = ServiceProcess.moduleDir().toAbsolutePath().normalize().getParent()
            .resolve("heads/src/test/resources/detr-hf");

    private HfDetrFixture() {}

    /**
     * The C5 folder as transformers saved it, plus {@code score_threshold: 0} in its config.json
     * (a key HF ignores; our DETR head's post-processing reads it): random weights score every
     * class near 1/92, so at the default 0.5 nothing would be reported and nothing compared.
     *
     * @param copy where to write it (under the module's target/)
     */
    public static Path withAllQueries(Path copy) throws IOException {
        Path fixture = ROOT.resolve("c5/timm");
        Files.createDirectories(copy);
        for (String f : List.of("model.safetensors", "preprocessor_config.json")) {
            Files.copy(fixture.resolve(f), copy.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(fixture.resolve("config.json").toFile());
        config.put("score_threshold", 0.0);
        json.writeValue(copy.resolve("config.json").toFile(), config);
        return copy.toAbsolutePath();
    }
}
