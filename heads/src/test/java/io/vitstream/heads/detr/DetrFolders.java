package io.vitstream.heads.detr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Test copies of DETR checkpoint folders. */
public final class DetrFolders {

    private DetrFolders() {}

    /**
     * A copy of {@code folder} with {@code score_threshold: 0} in its config.json (a key HF
     * ignores; our DETR post-processing reads it): random weights score every class near 1/92,
     * so at the default 0.5 nothing would be reported and nothing compared.
     *
     * @return {@code copy}, absolute
     */
    public static Path withAllQueries(Path folder, Path copy) throws IOException {
        Files.createDirectories(copy);
        for (String f : List.of("model.safetensors", "preprocessor_config.json")) {
            Files.copy(folder.resolve(f), copy.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(folder.resolve("config.json").toFile());
        config.put("score_threshold", 0.0);
        json.writeValue(copy.resolve("config.json").toFile(), config);
        return copy.toAbsolutePath();
    }
}
