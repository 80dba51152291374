package io.vitstream.train.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.sequences.DemoCamera;
import io.vitstream.analytics.sequences.Sequence;
import io.vitstream.analytics.sequences.SequenceGenerator;
import io.vitstream.analytics.sequences.SequenceSettings;
import io.vitstream.analytics.sequences.Sprites;
import io.vitstream.analytics.sequences.TruthEvents;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

class SequenceFilesTest {

    @Test
    void writtenSequencesReadBackWithTheirTruthConfigAndFrames(@TempDir Path dir) {
        SequenceSettings settings = new SequenceSettings(320, 180, 30, 10, 3, 0.6, 1.2, 0.05, 0.25, 0.002, 0.05, 4, 0.15);
        CameraConfig config = DemoCamera.config(320, 180);
        Sequence s = SequenceGenerator.generate(settings, Sprites.bundled(), 9);
        SequenceFiles.write(dir.resolve("seq-00000"), s, config, AnalyticsSettings.DEFAULT,
                TruthEvents.of(s.frames(), config, AnalyticsSettings.DEFAULT));
        List<EvalSequence> back = SequenceFiles.readAll(dir);
        assertEquals(1, back.size());
        EvalSequence e = back.get(0);
        assertEquals(s.frames(), e.truth());
        assertEquals(config, e.config());
        assertEquals(9, e.seed());
        assertEquals(320, e.width());
        EvalSequence rendered = EvalSequence.of("again", s, config);
        assertArrayEquals(rendered.jpeg().apply(17), e.jpeg().apply(17));
    }
}
