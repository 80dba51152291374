package io.vitstream.stream.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The bundled demo model: a checkpoint folder shipped as class-path resources under
 * {@code demo/models/fashion-scenes/}, copied to a temporary folder so it loads like any other.
 */
final class DemoModel {

    static final String NAME = "fashion-scenes-detr";
    private static final String[] FILES = {"config.json", "model.safetensors", "preprocessor_config.json"};

    private DemoModel() {}

    /**
     * The checkpoint folder for a {@code vitstream.model.path} value.
     *
     * @throws IllegalArgumentException naming the setting when the folder does not exist
     */
    static Path resolve(String path) {
        if ("demo".equals(path)) {
            return extract();
        }
        Path folder = Path.of(path);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("vitstream.model.path: " + folder.toAbsolutePath()
                    + " is not a folder (expected config.json, model.safetensors, preprocessor_config.json)");
        }
        return folder;
    }

    private static Path extract() {
        try {
            Path dir = Files.createTempDirectory("vitstream-demo-model").resolve(NAME);
            Files.createDirectories(dir);
            for (String f : FILES) {
                try (InputStream in = DemoModel.class.getResourceAsStream("/demo/models/" + NAME + "/" + f)) {
                    if (in == null) {
                        throw new IllegalStateException("the demo model is missing " + f + " from the class path");
                    }
                    Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the demo model", e);
        }
    }
}
