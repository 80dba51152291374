package io.vitstream.train.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.sequences.FrameEvent;
import io.vitstream.analytics.sequences.Sequence;
import io.vitstream.analytics.sequences.SequenceSettings;
import io.vitstream.analytics.sequences.TruthFrame;
import io.vitstream.analytics.sequences.TruthObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A sequence on disk, as {@code make-sequences} writes it: {@code <dir>/frames/NNNNNN.jpg} and
 * {@code <dir>/truth.json} with the seed, the generator's settings, the camera config, the rules
 * the events were computed with, every frame's items and the events (docs/training.md).
 */
public final class SequenceFiles {

    public static final String TRUTH = "truth.json";
    public static final String FRAMES = "frames";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SequenceFiles() {}

    /** The file name of frame {@code index}. */
    public static String frameName(int index) {
        return String.format(Locale.ROOT, "%06d.jpg", index);
    }

    /** Writes the frames (JPEG) and {@code truth.json} into {@code dir}. */
    public static void write(Path dir, Sequence s, CameraConfig config, AnalyticsSettings rules, List<FrameEvent> events) {
        EvalSequence rendered = EvalSequence.of(dir.getFileName().toString(), s, config);
        try {
            Files.createDirectories(dir.resolve(FRAMES));
            for (int i = 0; i < s.frames().size(); i++) {
                Files.write(dir.resolve(FRAMES).resolve(frameName(i)), rendered.jpeg().apply(i));
            }
            Files.writeString(dir.resolve(TRUTH), JSON.writeValueAsString(truthJson(s, config, rules, events)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sequence " + dir, e);
        }
    }

    private static ObjectNode truthJson(Sequence s, CameraConfig config, AnalyticsSettings rules, List<FrameEvent> events)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("seed", s.seed());
        root.set("settings", JSON.valueToTree(s.settings()));
        root.set("config", JSON.readTree(config.toJson()));
        ObjectNode r = root.putObject("event_rules");
        r.put("anchor", rules.anchor().wire());
        r.put("dwell_ms", rules.dwell().toMillis());
        r.put("line_tolerance", rules.lineTolerance());
        ArrayNode frames = root.putArray("frames");
        for (TruthFrame f : s.frames()) {
            ObjectNode fn = frames.addObject();
            fn.put("index", f.index());
            fn.put("time_ms", f.timeMs());
            ArrayNode objects = fn.putArray("objects");
            for (TruthObject o : f.objects()) {
                ObjectNode on = objects.addObject();
                on.put("id", o.id());
                on.put("label_id", o.labelId());
                on.put("label", o.label());
                on.putArray("box").add(o.x1()).add(o.y1()).add(o.x2()).add(o.y2());
                on.put("visible", o.visible());
                on.put("in_frame", o.inFrame());
            }
        }
        ArrayNode ev = root.putArray("events");
        for (FrameEvent e : events) {
            ObjectNode en = ev.addObject();
            en.put("frame", e.frame());
            en.put("type", e.type());
            en.put("id", e.id());
            en.put("label", e.label());
            if (e.line() != null) en.put("line", e.line());
            if (e.zone() != null) en.put("zone", e.zone());
            if (e.direction() != null) en.put("direction", e.direction());
            if (e.dwellMs() != null) en.put("dwell_ms", e.dwellMs());
        }
        return root;
    }

    /**
     * The sequences of a {@code make-sequences} folder (its sub-folders holding a {@code truth.json},
     * in name order). The events are not read: they are computed again with the rules of the run.
     *
     * @throws IllegalArgumentException when there is none, or a file cannot be read
     */
    public static List<EvalSequence> readAll(Path root) {
        List<EvalSequence> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(TRUTH))).sorted().toList()) {
                out.add(read(dir));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--sequences " + root + ": cannot list it (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--sequences " + root + ": no sub-folder with a " + TRUTH + " (write one with make-sequences)");
        }
        return out;
    }

    static EvalSequence read(Path dir) {
        try {
            JsonNode root = JSON.readTree(dir.resolve(TRUTH).toFile());
            SequenceSettings settings = JSON.treeToValue(root.get("settings"), SequenceSettings.class);
            CameraConfig config = CameraConfig.fromJson(root.get("config").toString());
            List<TruthFrame> frames = new ArrayList<>();
            for (JsonNode fn : root.get("frames")) {
                List<TruthObject> objects = new ArrayList<>();
                for (JsonNode on : fn.get("objects")) {
                    JsonNode b = on.get("box");
                    objects.add(new TruthObject(on.get("id").asInt(), on.get("label_id").asInt(), on.get("label").asText(),
                            b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt(), b.get(3).asInt(), on.get("visible").asBoolean(),
                            on.get("in_frame").asDouble()));
                }
                frames.add(new TruthFrame(fn.get("index").asInt(), fn.get("time_ms").asLong(), objects));
            }
            Path frameDir = dir.resolve(FRAMES);
            return new EvalSequence(dir.getFileName().toString(), root.get("seed").asLong(), settings.width(), settings.height(),
                    frames, config, i -> readFrame(frameDir.resolve(frameName(i))));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(dir.resolve(TRUTH) + ": cannot read it as a make-sequences truth file ("
                    + e.getMessage() + ")", e);
        }
    }

    private static byte[] readFrame(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the frame " + file, e);
        }
    }
}
