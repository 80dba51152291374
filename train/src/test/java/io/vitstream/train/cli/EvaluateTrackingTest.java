package io.vitstream.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

class EvaluateTrackingTest {

    private static final List<String> SMALL = List.of("--size", "320x180", "--frames", "60", "--count", "2");

    private static void run(List<String> options) {
        Main.run("evaluate-tracking", options);
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> out = new java.util.ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    @Test
    void replayedDetectionsScoreAsTheRunThatSavedThem(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        run(with(SMALL, "--gt-noise", "--detections-out", dir.resolve("d.json").toString(), "--json", dir.resolve("a.json").toString()));
        run(with(SMALL, "--detections", dir.resolve("d.json").toString(), "--json", dir.resolve("b.json").toString()));
        JsonNode a = json.readTree(dir.resolve("a.json").toFile()).get("total");
        JsonNode b = json.readTree(dir.resolve("b.json").toFile()).get("total");
        assertTrue(a.get("counts").get("truths").asLong() > 0, a.toString());
        assertEquals(a.get("counts"), b.get("counts"));
        assertEquals(a.get("events"), b.get("events"));
    }

    @Test
    void makeSequencesFolderEvaluatesLikeTheSameSequencesGenerated(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Main.run("make-sequences", List.of("--out", dir.resolve("seqs").toString(), "--size", "320x180", "--frames", "60",
                "--count", "2", "--seed", "1000"));
        run(with(SMALL, "--gt-noise", "--json", dir.resolve("generated.json").toString()));
        run(List.of("--gt-noise", "--sequences", dir.resolve("seqs").toString(), "--json", dir.resolve("folder.json").toString()));
        JsonNode generated = json.readTree(dir.resolve("generated.json").toFile()).get("total");
        JsonNode folder = json.readTree(dir.resolve("folder.json").toFile()).get("total");
        // Same seeds (1000, 1001), same truth, same noise: the same scores.
        assertEquals(generated.get("counts"), folder.get("counts"));
        assertEquals(generated.get("events"), folder.get("events"));
    }

    @Test
    void exactlyOneDetectionSourceIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> run(SMALL));
        assertThrows(IllegalArgumentException.class, () -> run(with(SMALL, "--gt-noise", "--model", "somewhere")));
    }
}
