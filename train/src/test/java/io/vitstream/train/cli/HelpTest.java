package io.vitstream.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The help of each subcommand lists exactly the options its code reads: an option added to a
 * subcommand without help, or help for an option that no longer exists, fails here.
 */
class HelpTest {

    private static final Path CLI = Path.of("src/main/java/io/vitstream/train/cli");
    /** Every {@code a.<accessor>("name"} call of the Args API. */
    private static final Pattern READ = Pattern.compile("\\ba\\.(?:required|string|path|integer|number|flag|integers)\\(\"([a-z0-9-]+)\"");
    private static final Pattern LISTED = Pattern.compile("(?m)(?:^\\s+|\\s)--([a-z0-9-]+)");

    private static final Map<String, List<String>> SOURCES = Map.of(
            "train-classifier", List.of("TrainClassifier.java", "TrainOptions.java", "BackboneOptions.java"),
            "train-detector", List.of("TrainDetector.java", "TrainOptions.java", "BackboneOptions.java"),
            "make-scenes", List.of("MakeScenes.java"),
            "make-sprites", List.of("MakeSprites.java"),
            "make-sequences", List.of("MakeSequences.java", "SequenceOptions.java"),
            "evaluate", List.of("Evaluate.java"),
            "evaluate-tracking", List.of("EvaluateTracking.java", "SequenceOptions.java"));

    @Test
    void everySubcommandHasHelp() {
        assertEquals(new TreeSet<>(SOURCES.keySet()), new TreeSet<>(Help.SUBCOMMANDS.keySet()));
        for (String name : SOURCES.keySet()) {
            assertTrue(Help.overview().contains(name), name + " in the overview");
        }
    }

    @Test
    void helpListsExactlyTheOptionsTheCodeReads() throws IOException {
        for (Map.Entry<String, List<String>> e : SOURCES.entrySet()) {
            Set<String> read = new TreeSet<>();
            for (String file : e.getValue()) {
                Matcher m = READ.matcher(Files.readString(CLI.resolve(file)));
                while (m.find()) read.add(m.group(1));
            }
            assertTrue(read.size() >= 4, "the scan found the options of " + e.getKey() + ": " + read);
            Set<String> listed = new TreeSet<>();
            Matcher m = LISTED.matcher(Help.of(e.getKey()));
            while (m.find()) listed.add(m.group(1));
            assertEquals(read, listed, e.getKey() + ": options read by the code vs options in its help");
        }
    }
}
