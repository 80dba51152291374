package io.vitstream.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.backbone.checkpoint.CheckpointException;
import io.vitstream.backbone.checkpoint.SafeTensors;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.heads.VisionModel;
import io.vitstream.train.optim.AdamW;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The resumable state of a run in {@code <out>/checkpoint-last/}: the model in the Hugging Face
 * layout (fp32, loadable by the service as it is), {@code optimizer.safetensors} (AdamW moments)
 * and {@code trainer_state.json} (epoch, step, last metrics). It is written to a temporary
 * folder and renamed, so an interruption while saving leaves the previous checkpoint intact.
 */
final class Checkpoints {

    static final String LAST = "checkpoint-last";
    private static final String OPTIMIZER = "optimizer.safetensors";
    private static final String STATE = "trainer_state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path out;
    private final VisionModel model;

    /**
     * Where a run stands.
     *
     * @param epoch epochs completed, or the epoch in progress when saved mid-epoch
     * @param step optimization steps taken
     * @param metrics the last evaluation
     */
    record State(int epoch, int step, Map<String, Double> metrics) {
        static State fresh() {
            return new State(0, 0, Map.of());
        }
    }

    Checkpoints(Path out, VisionModel model) {
        this.out = out;
        this.model = model;
    }

    Path dir() {
        return out.resolve(LAST);
    }

    void save(AdamW optimizer, State state) {
        Path tmp = out.resolve(LAST + ".tmp");
        try {
            deleteTree(tmp);
            model.save(tmp, StorageType.F32);
            SafeTensors.write(tmp.resolve(OPTIMIZER), optimizer.state(), StorageType.F32, Map.of("writer", "vitstream-train"));
            ObjectNode json = JSON.createObjectNode();
            json.put("epoch", state.epoch());
            json.put("step", state.step());
            json.put("optimizer_steps", optimizer.steps());
            ObjectNode m = json.putObject("metrics");
            state.metrics().forEach(m::put);
            JSON.writeValue(tmp.resolve(STATE).toFile(), json);
            deleteTree(dir());
            Files.move(tmp, dir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + dir(), e);
        }
    }

    /** Loads {@code checkpoint-last} into the model and optimizer if there is one. */
    State resume(AdamW optimizer) {
        Path dir = dir();
        if (!Files.isRegularFile(dir.resolve(STATE))) {
            return State.fresh();
        }
        try (NDManager staging = model.manager().newSubManager()) {
            copyInto(ModelParams.all(model), SafeTensors.read(dir.resolve("model.safetensors"), staging), dir);
            JsonNode json = JSON.readTree(dir.resolve(STATE).toFile());
            optimizer.restore(SafeTensors.read(dir.resolve(OPTIMIZER), staging), json.path("optimizer_steps").asInt());
            Map<String, Double> metrics = new LinkedHashMap<>();
            json.path("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
            return new State(json.path("epoch").asInt(), json.path("step").asInt(), metrics);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + dir, e);
        }
    }

    private static void copyInto(Map<String, Parameter> params, Map<String, NDArray> saved, Path dir) {
        params.forEach((key, p) -> {
            NDArray t = saved.get(key);
            if (t == null || !t.getShape().equals(p.getArray().getShape())) {
                throw new CheckpointException(dir + ": cannot resume, key '" + key + "' is "
                        + (t == null ? "missing" : "shaped " + t.getShape()) + " but the model has " + p.getArray().getShape()
                        + " (was the run started with other model settings?)");
            }
            p.getArray().set(t.toFloatArray());
        });
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
