package io.vitstream.train.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.analytics.Observation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A detector's answers saved once and replayed, so tracker settings can be compared without
 * running the model again: {@code {"detector": "...", "sequences": {name: [[[x1, y1, x2, y2,
 * score, label_id, "label"], ...] per frame]}}}.
 */
public final class DetectionFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DetectionFile() {}

    /** A detector that also keeps what it gave, by sequence name, for {@link #write}. */
    public record Recording(Detector inner, Map<String, List<List<Observation>>> recorded) implements Detector {

        public Recording(Detector inner) {
            this(inner, new LinkedHashMap<>());
        }

        @Override
        public List<List<Observation>> detect(EvalSequence sequence) {
            List<List<Observation>> out = inner.detect(sequence);
            recorded.put(sequence.name(), out);
            return out;
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }

    /** Writes the recorded detections. */
    public static void write(Path file, Recording r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("detector", r.describe());
        ObjectNode sequences = root.putObject("sequences");
        r.recorded().forEach((name, frames) -> {
            ArrayNode fs = sequences.putArray(name);
            for (List<Observation> frame : frames) {
                ArrayNode ds = fs.addArray();
                for (Observation d : frame) {
                    ds.addArray().add(d.x1()).add(d.y1()).add(d.x2()).add(d.y2()).add(d.score()).add(d.labelId()).add(d.label());
                }
            }
        });
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * A detector replaying a file: each sequence's detections by its name.
     *
     * @throws IllegalArgumentException when the file cannot be read
     */
    public static Detector read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("--detections " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (root == null || !root.has("sequences")) {
            throw new IllegalArgumentException("--detections " + file + ": not a detections file (no \"sequences\")");
        }
        Map<String, List<List<Observation>>> byName = new LinkedHashMap<>();
        root.get("sequences").fields().forEachRemaining(e -> {
            List<List<Observation>> frames = new ArrayList<>();
            for (JsonNode f : e.getValue()) {
                List<Observation> frame = new ArrayList<>();
                for (JsonNode d : f) {
                    frame.add(new Observation(d.get(0).asDouble(), d.get(1).asDouble(), d.get(2).asDouble(), d.get(3).asDouble(),
                            d.get(4).asDouble(), d.get(5).asInt(), d.get(6).asText()));
                }
                frames.add(frame);
            }
            byName.put(e.getKey(), frames);
        });
        String described = root.path("detector").asText("?") + ", replayed from " + file;
        return new Detector() {
            @Override
            public List<List<Observation>> detect(EvalSequence s) {
                List<List<Observation>> frames = byName.get(s.name());
                if (frames == null || frames.size() != s.truth().size()) {
                    throw new IllegalArgumentException("--detections " + file + " has " + (frames == null ? "no" : frames.size() + " frames of")
                            + " detections for sequence '" + s.name() + "' (" + s.truth().size() + " frames); it holds "
                            + byName.keySet() + ": pass the same sequences as when it was written");
                }
                return frames;
            }

            @Override
            public String describe() {
                return described;
            }
        };
    }
}
