package io.vitstream.stream.demo;

import io.vitstream.backbone.image.JpegEncoder;

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

    /**
     * The images to publish: a folder's files as they are, or the bundled scenes scaled to
     * {@code frameSize} ({@code WIDTHxHEIGHT}, or {@code original}) and encoded as JPEG, the way a
     * camera would send them.
     */
    static List<Image> load(Optional<Path> folder, String frameSize) {
        List<Image> images = folder.isPresent() ? fromFolder(folder.get()) : scaled(bundled(), frameSize);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("vitstream.demo.folder: no .jpg, .jpeg or .png files in "
                    + folder.map(Path::toString).orElse("the bundled demo frames"));
        }
        return images;
    }

    private static List<Image> scaled(List<Image> images, String frameSize) {
        if (frameSize.strip().equalsIgnoreCase("original")) {
            return images;
        }
        int[] size = size(frameSize);
        int w = size[0];
        int h = size[1];
        List<Image> out = new ArrayList<>();
        for (Image img : images) {
            try {
                java.awt.image.BufferedImage src = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(img.bytes()));
                byte[] jpeg = JpegEncoder.encode(JpegEncoder.scaled(src, w, h), 0.9f);
                out.add(new Image(img.name().replaceAll("\\.[a-z]+$", "") + "-" + w + "x" + h + ".jpg", jpeg));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot scale the bundled demo frame " + img.name(), e);
            }
        }
        return out;
    }

    /**
     * {@code WIDTHxHEIGHT}; {@code original} is 1280x720 for the moving demo.
     *
     * @throws IllegalArgumentException naming vitstream.demo.frame-size
     */
    static int[] size(String frameSize) {
        if (frameSize.strip().equalsIgnoreCase("original")) {
            return new int[] {1280, 720};
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})x(\\d{1,6})").matcher(frameSize.strip());
        if (!m.matches() || Integer.parseInt(m.group(1)) < 16 || Integer.parseInt(m.group(2)) < 16
                || Long.parseLong(m.group(1)) * Long.parseLong(m.group(2)) > 40_000_000L) {
            throw new IllegalArgumentException("vitstream.demo.frame-size: expected WIDTHxHEIGHT (16x16 to 40 megapixels)"
                    + " or original, got '" + frameSize + "'");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
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
