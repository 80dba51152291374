package io.vitstream.stream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The frames and model a benchmark run uses, resolved from the repository when {@code demo}. */
final class BenchFrames {

    private static final Path DEMO = io.vitstream.stream.ServiceProcess.moduleDir().resolve("src/main/resources/demo");

    private BenchFrames() {}

    static List<byte[]> load(String folder) {
        Path dir = "demo".equals(folder) ? DEMO.resolve("frames/images") : Path.of(folder);
        try (Stream<Path> files = Files.list(dir)) {
            List<byte[]> out = new ArrayList<>();
            for (Path p : files.sorted().toList()) {
                String n = p.toString().toLowerCase(java.util.Locale.ROOT);
                if (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")) out.add(Files.readAllBytes(p));
            }
            if (out.isEmpty()) throw new IllegalArgumentException("no JPEG/PNG frames in " + dir.toAbsolutePath());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path model(String model) {
        return "demo".equals(model) ? DEMO.resolve("models/fashion-scenes-detr") : Path.of(model);
    }
}
