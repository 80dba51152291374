package io.vitstream.stream.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** The demo's images: a configured folder, or the bundled fashion scenes listed in {@code demo/frames/index.txt}. */
final class DemoFrames {

    /** One image file. */
    record Image(String name, byte[] bytes) {}

    private DemoFrames() {}

    static List<Image> load(Optional<Path> folder) {
        List<Image> images = folder.isPresent() ? fromFolder(folder.get()) : bundled();
        if (images.isEmpty()) {
            throw new IllegalArgumentException("vitstream.demo.folder: no .jpg, .jpeg or .png files in "
                    + folder.map(Path::toString).orElse("the bundled demo frames"));
        }
        return images;
    }

    private static List<Image> fromFolder(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Image> out = new ArrayList<>();
            for (Path p : files.sorted().toList()) {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png")) {
                    out.add(new Image(p.getFileName().toString(), Files.readAllBytes(p)));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("vitstream.demo.folder: cannot read " + dir, e);
        }
    }

    private static List<Image> bundled() {
        List<Image> out = new ArrayList<>();
        try (InputStream index = DemoFrames.class.getResourceAsStream("/demo/frames/index.txt")) {
            if (index == null) {
                return out;
            }
            for (String name : new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8)).lines()
                    .map(String::trim).filter(s -> !s.isEmpty()).toList()) {
                try (InputStream in = DemoFrames.class.getResourceAsStream("/demo/frames/" + name)) {
                    if (in != null) {
                        out.add(new Image(name, in.readAllBytes()));
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled demo frames", e);
        }
    }
}
