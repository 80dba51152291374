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
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)x(\\d+)").matcher(frameSize.strip());
        if (!m.matches() || Integer.parseInt(m.group(1)) < 16 || Integer.parseInt(m.group(2)) < 16
                || Long.parseLong(m.group(1)) * Long.parseLong(m.group(2)) > 40_000_000L) {
            throw new IllegalArgumentException("vitstream.demo.frame-size: expected WIDTHxHEIGHT (16x16 to 40 megapixels)"
                    + " or original, got '" + frameSize + "'");
        }
        int w = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(2));
        List<Image> out = new ArrayList<>();
        for (Image img : images) {
            try {
                java.awt.image.BufferedImage src = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(img.bytes()));
                java.awt.image.BufferedImage dst = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
                java.awt.Graphics2D g = dst.createGraphics();
                g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(src, 0, 0, w, h, null);
                g.dispose();
                out.add(new Image(img.name().replaceAll("\\.[a-z]+$", "") + "-" + w + "x" + h + ".jpg", jpeg(dst)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot scale the bundled demo frame " + img.name(), e);
            }
        }
        return out;
    }

    private static byte[] jpeg(java.awt.image.BufferedImage img) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        try (javax.imageio.stream.ImageOutputStream out = javax.imageio.ImageIO.createImageOutputStream(bytes)) {
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
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
