package io.vitstream.train.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;

import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.TrackerSettings;
import io.vitstream.analytics.sequences.SequenceGenerator;
import io.vitstream.analytics.sequences.SequenceSettings;
import io.vitstream.analytics.sequences.Sprites;
import io.vitstream.backbone.Precision;
import io.vitstream.heads.VisionModel;
import io.vitstream.train.data.FashionMnist;
import io.vitstream.train.eval.EventMetrics;
import io.vitstream.train.eval.TrackingMetrics;
import io.vitstream.train.tracking.DetectionFile;
import io.vitstream.train.tracking.Detector;
import io.vitstream.train.tracking.DuplicateSuppression;
import io.vitstream.train.tracking.EvalSequence;
import io.vitstream.train.tracking.ModelDetector;
import io.vitstream.train.tracking.NoisyTruth;
import io.vitstream.train.tracking.SequenceFiles;
import io.vitstream.train.tracking.TrackingEvaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code evaluate-tracking}: {@link io.vitstream.analytics.CameraAnalytics} on held-out sequences,
 * fed a model's detections ({@code --model}) or noisy ground truth ({@code --gt-noise}); prints
 * tracking (MOTA, IDF1) and event (precision, recall) metrics as a markdown table.
 */
final class EvaluateTracking {

    /** Sequences generated here start at this seed: no other command or test uses it by default. */
    static final int HELD_OUT_SEED = 1000;

    private EvaluateTracking() {}

    static void run(Args a, PrintStream log) {
        Path modelDir = a.path("model", null);
        Path replay = a.path("detections", null);
        Path record = a.path("detections-out", null);
        String head = a.string("head", "detection");
        boolean gtNoise = a.flag("gt-noise", false);
        double jitter = a.number("jitter", 4);
        double drop = a.number("drop", 0.05);
        double falsePerFrame = a.number("false-per-frame", 0.1);
        double nms = a.number("nms", 0);
        Path folder = a.path("sequences", null);
        int count = a.integer("count", 10);
        long seed = a.integer("seed", HELD_OUT_SEED);
        SequenceSettings generated = SequenceOptions.settings(a);
        TrackerSettings d = TrackerSettings.DEFAULT;
        TrackerSettings tracker = new TrackerSettings(a.number("high-score", d.highScore()), a.number("low-score", d.lowScore()),
                a.number("new-track-score", d.newTrackScore()), a.number("match-iou", d.matchIou()),
                a.number("low-match-iou", d.lowMatchIou()), a.integer("min-hits", d.minHits()), a.integer("max-misses", d.maxMisses()));
        AnalyticsSettings settings = SequenceOptions.analytics(a, tracker);
        TrackingEvaluation evaluation = new TrackingEvaluation(settings, a.number("min-in-frame", 0.5), a.integer("event-window", 5));
        Path configFile = a.path("config", null);
        Path json = a.path("json", null);
        a.requireAllUsed();
        if ((modelDir != null ? 1 : 0) + (gtNoise ? 1 : 0) + (replay != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException("give one of --model DIR (a detector's detections), --gt-noise (noisy ground truth)"
                    + " or --detections FILE (saved by --detections-out)");
        }
        List<EvalSequence> sequences = folder != null ? SequenceFiles.readAll(folder) : generate(a, generated, count, seed);
        if (folder != null && configFile != null) {
            sequences = sequences.stream().map(s -> new EvalSequence(s.name(), s.seed(), s.width(), s.height(), s.truth(),
                    SequenceOptions.config(a, s.width(), s.height()), s.jpeg())).toList();
        }
        long start = System.nanoTime();
        List<TrackingEvaluation.Outcome> outcomes = new ArrayList<>();
        String described;
        if (modelDir == null) {
            Detector source = gtNoise ? new NoisyTruth(jitter, drop, falsePerFrame, FashionMnist.CLASSES) : DetectionFile.read(replay);
            described = evaluateAll(source, sequences, evaluation, nms, record, outcomes);
        } else {
            try (VisionModel model = VisionModel.load(modelDir, Precision.FP32, Device.cpu())) {
                described = evaluateAll(new ModelDetector(model, head, modelDir.toString()), sequences, evaluation, nms, record, outcomes);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        TrackingEvaluation.Outcome total = TrackingEvaluation.Outcome.total(outcomes);
        String where = folder != null ? "the sequences in " + folder
                : String.format(Locale.ROOT, "%d generated sequences (seeds %d..%d, %dx%d, %d frames at %s frames/s)", count, seed,
                        seed + count - 1, generated.width(), generated.height(), generated.frames(), plain(generated.fps()));
        log.printf(Locale.ROOT, "%s on %s, %.1f s%n%n", described, where, seconds);
        log.print(table(total));
        log.printf(Locale.ROOT, "%n%s", eventTable(total));
        if (json != null) writeJson(json, described, where, settings, evaluation, outcomes, total);
    }

    /**
     * Runs every sequence through the source's detections (after {@code --nms}), the tracker and
     * the metrics, adding to {@code outcomes}; saves the source's detections to {@code record}.
     *
     * @return what the detections were, for the report
     */
    private static String evaluateAll(Detector source, List<EvalSequence> sequences, TrackingEvaluation evaluation, double nms,
            Path record, List<TrackingEvaluation.Outcome> outcomes) {
        if (nms < 0) throw new IllegalArgumentException("--nms must be 0 (off) or an IoU in (0, 1], got " + nms);
        DetectionFile.Recording recording = new DetectionFile.Recording(source);
        Detector detector = nms == 0 ? recording : new DuplicateSuppression(recording, nms);
        sequences.forEach(s -> outcomes.add(evaluation.run(s, detector)));
        if (record != null) DetectionFile.write(record, recording);
        return detector.describe();
    }

    private static List<EvalSequence> generate(Args a, SequenceSettings settings, int count, long seed) {
        if (count < 1) throw new IllegalArgumentException("--count must be >= 1, got " + count);
        Sprites sprites = Sprites.bundled();
        List<EvalSequence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(EvalSequence.of("seed-" + (seed + i), SequenceGenerator.generate(settings, sprites, seed + i),
                    SequenceOptions.config(a, settings.width(), settings.height())));
        }
        return out;
    }

    /** The main table: one row for all sequences together. */
    static String table(TrackingEvaluation.Outcome total) {
        TrackingMetrics.Counts t = total.tracking();
        EventMetrics.Counts none = EventMetrics.Counts.ZERO;
        EventMetrics.Counts line = total.events().getOrDefault("line-cross", none);
        EventMetrics.Counts enter = total.events().getOrDefault("zone-enter", none);
        EventMetrics.Counts dwell = total.events().getOrDefault("dwell", none);
        return "| MOTA | IDF1 | IDSW | FP | FN | truth boxes | line-cross P / R | zone-enter P / R | dwell P / R |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                + String.format(Locale.ROOT, "| %.3f | %.3f | %d | %d | %d | %d | %s | %s | %s |%n", t.mota(), t.idf1(), t.idSwitches(),
                        t.falsePositives(), t.misses(), t.truths(), pr(line), pr(enter), pr(dwell));
    }

    /** Every event type with its counts. */
    static String eventTable(TrackingEvaluation.Outcome total) {
        StringBuilder b = new StringBuilder("| event | true | reported | matched | precision | recall |\n|---|---:|---:|---:|---:|---:|\n");
        total.events().forEach((type, c) -> b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | %s |%n", type, c.truths(),
                c.reported(), c.matched(), num(c.precision()), num(c.recall()))));
        return b.toString();
    }

    private static String pr(EventMetrics.Counts c) {
        return num(c.precision()) + " / " + num(c.recall());
    }

    private static String num(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.3f", x);
    }

    private static String plain(double x) {
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }

    private static void writeJson(Path file, String detector, String where, AnalyticsSettings settings, TrackingEvaluation evaluation,
            List<TrackingEvaluation.Outcome> outcomes, TrackingEvaluation.Outcome total) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("detector", detector);
        root.put("sequences", where);
        root.set("tracker", mapper.valueToTree(settings.tracker()));
        root.put("anchor", settings.anchor().wire());
        root.put("dwell_ms", settings.dwell().toMillis());
        root.put("line_tolerance", settings.lineTolerance());
        root.put("min_in_frame", evaluation.minInFrame());
        root.put("event_window", evaluation.eventWindow());
        root.set("total", outcomeJson(mapper, total));
        outcomes.forEach(o -> root.withArray("per_sequence").add(outcomeJson(mapper, o)));
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            mapper.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static ObjectNode outcomeJson(ObjectMapper mapper, TrackingEvaluation.Outcome o) {
        ObjectNode n = mapper.createObjectNode();
        n.put("name", o.name());
        TrackingMetrics.Counts t = o.tracking();
        n.put("mota", t.mota());
        n.put("idf1", t.idf1());
        n.put("idp", t.idPrecision());
        n.put("idr", t.idRecall());
        n.set("counts", mapper.valueToTree(t));
        n.put("detections", o.detections());
        ObjectNode events = n.putObject("events");
        for (Map.Entry<String, EventMetrics.Counts> e : o.events().entrySet()) {
            ObjectNode en = events.putObject(e.getKey());
            en.set("counts", mapper.valueToTree(e.getValue()));
            en.put("precision", e.getValue().precision());
            en.put("recall", e.getValue().recall());
        }
        return n;
    }
}
