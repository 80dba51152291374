package io.vitstream.train.cli;

import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.TrackerSettings;
import io.vitstream.analytics.sequences.FrameEvent;
import io.vitstream.analytics.sequences.Sequence;
import io.vitstream.analytics.sequences.SequenceGenerator;
import io.vitstream.analytics.sequences.SequenceSettings;
import io.vitstream.analytics.sequences.Sprites;
import io.vitstream.analytics.sequences.TruthEvents;
import io.vitstream.train.tracking.SequenceFiles;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code make-sequences}: synthetic video with ground truth, one folder per sequence
 * ({@link SequenceFiles}), sequence {@code i} generated from seed {@code --seed + i} with the
 * bundled sprites.
 */
final class MakeSequences {

    private MakeSequences() {}

    static void run(Args a, PrintStream log) {
        Path out = Path.of(a.required("out"));
        int count = a.integer("count", 10);
        long seed = a.integer("seed", 1);
        SequenceSettings settings = SequenceOptions.settings(a);
        CameraConfig config = SequenceOptions.config(a, settings.width(), settings.height());
        AnalyticsSettings rules = SequenceOptions.analytics(a, TrackerSettings.DEFAULT);
        a.requireAllUsed();
        if (count < 1) throw new IllegalArgumentException("--count must be >= 1, got " + count);
        Sprites sprites = Sprites.bundled();
        Map<String, Integer> events = new TreeMap<>();
        int items = 0;
        for (int i = 0; i < count; i++) {
            Sequence s = SequenceGenerator.generate(settings, sprites, seed + i);
            List<FrameEvent> truth = TruthEvents.of(s.frames(), config, rules);
            SequenceFiles.write(out.resolve(String.format(Locale.ROOT, "seq-%05d", i)), s, config, rules, truth);
            truth.forEach(e -> events.merge(e.type(), 1, Integer::sum));
            items += s.items();
        }
        log.printf(Locale.ROOT, "make-sequences: %d sequences of %d frames (%dx%d, %s frames/s, seeds %d..%d), %d items, events %s in %s%n",
                count, settings.frames(), settings.width(), settings.height(), plain(settings.fps()), seed, seed + count - 1, items,
                events, out);
    }

    private static String plain(double x) {
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }
}
