package io.vitstream.stream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Rewrites one marked section of a markdown file, keeping the rest. */
final class BenchDoc {

    private BenchDoc() {}

    static void replaceSection(Path file, String name, String body) throws IOException {
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        String doc = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
        String section = begin + "\n" + body.strip() + "\n" + end;
        int b = doc.indexOf(begin);
        int e = doc.indexOf(end);
        doc = b >= 0 && e > b ? doc.substring(0, b) + section + doc.substring(e + end.length()) : doc.strip() + "\n\n" + section + "\n";
        Files.writeString(file, doc);
    }
}
