package io.vitstream.backbone.checkpoint;

import ai.djl.ndarray.NDArray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.image.PreprocessorConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * A checkpoint in the Hugging Face layout: a folder with {@code config.json},
 * {@code model.safetensors} and (optionally) {@code preprocessor_config.json}.
 */
public final class CheckpointFolder {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String PREPROCESSOR = "preprocessor_config.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final JsonNode config;
    private final JsonNode preprocessor;

    private CheckpointFolder(Path dir, JsonNode config, JsonNode preprocessor) {
        this.dir = dir;
        this.config = config;
        this.preprocessor = preprocessor;
    }

    /**
     * Opens a folder and reads its JSON files (weights are read through {@link #openWeights}).
     *
     * @throws CheckpointException naming the missing or malformed file
     */
    public static CheckpointFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("checkpoint folder " + dir + " does not exist or is not a folder");
        }
        if (!Files.isRegularFile(dir.resolve(WEIGHTS))) {
            String hint = Files.exists(dir.resolve("pytorch_model.bin"))
                    ? " (it has pytorch_model.bin: convert it to safetensors, vitstream does not read pickles)" : "";
            throw new CheckpointException("checkpoint folder " + dir + " has no " + WEIGHTS + hint);
        }
        JsonNode config = readJson(dir.resolve(CONFIG), true);
        JsonNode pre = readJson(dir.resolve(PREPROCESSOR), false);
        return new CheckpointFolder(dir, config, pre);
    }

    private static JsonNode readJson(Path file, boolean required) {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new CheckpointException("checkpoint folder " + file.getParent() + " has no " + file.getFileName());
            }
            return null;
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new CheckpointException(file + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new CheckpointException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The parsed {@code config.json}. */
    public JsonNode config() {
        return config;
    }

    /** The parsed {@code preprocessor_config.json}, if the folder has one. */
    public Optional<PreprocessorConfig> preprocessor() {
        if (preprocessor == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(PreprocessorConfig.read(preprocessor));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(dir.resolve(PREPROCESSOR) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens {@code model.safetensors}: its header is checked now, each tensor is read when a
     * model part claims it. Close the weights when loading is done.
     */
    public Weights openWeights() {
        return Weights.open(dir.resolve(WEIGHTS));
    }

    /** {@code sha256:<hex>} of {@code model.safetensors}: identifies the weights in result lineage. */
    public String digest() {
        try (InputStream in = Files.newInputStream(dir.resolve(WEIGHTS))) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a checkpoint folder (created if needed; the three files replaced).
     *
     * @param tensors arrays by checkpoint key
     * @param storage F32, F16 or BF16 for floating tensors
     */
    public static void write(Path dir, ObjectNode config, Map<String, NDArray> tensors, StorageType storage,
            PreprocessorConfig preprocessor) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve(CONFIG).toFile(), config);
            JSON.writeValue(dir.resolve(PREPROCESSOR).toFile(), preprocessor.toJson());
            Path tmp = dir.resolve(WEIGHTS + ".tmp");
            SafeTensors.write(tmp, tensors, storage, Map.of("writer", "vitstream"));
            Files.move(tmp, dir.resolve(WEIGHTS), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint to " + dir, e);
        }
    }
}
