package io.vitstream.analytics.sequences;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * The items a sequence generator draws from, with the class names they use.
 *
 * <p>Sheet form (what {@link #bundled()} reads and {@link #write} writes): a grey PNG of
 * {@link #COLUMNS} sprites per row, 28x28 each, row-major, and a tab-separated text file with a
 * header line and then one line per sprite in the same order: {@code labelId, label, source}.
 */
public final class Sprites {

    /** Sprites per row of a sheet. */
    public static final int COLUMNS = 20;

    /** The bundled sheet's image, a resource beside this class: 20 items per class from the Fashion-MNIST test split. */
    public static final String BUNDLED_PNG = "fashion-sprites.png";
    /** The bundled sheet's labels file. */
    public static final String BUNDLED_LABELS = "fashion-sprites.tsv";

    private static final String HEADER = "label_id\tlabel\tsource";

    private final List<Sprite> sprites;
    private final List<String> sources;

    private Sprites(List<Sprite> sprites, List<String> sources) {
        if (sprites.isEmpty()) throw new IllegalArgumentException("a sprite set needs at least one sprite");
        this.sprites = List.copyOf(sprites);
        this.sources = List.copyOf(sources);
    }

    /**
     * The sheet committed with this module: Fashion-MNIST test items, the first 20 of each class
     * in the file's order (written by {@code vitstream-train make-sprites}, docs/training.md).
     */
    public static Sprites bundled() {
        try (InputStream png = Sprites.class.getResourceAsStream(BUNDLED_PNG);
                InputStream labels = Sprites.class.getResourceAsStream(BUNDLED_LABELS)) {
            if (png == null || labels == null) {
                throw new IllegalStateException("the bundled sprite sheet " + BUNDLED_PNG + " / " + BUNDLED_LABELS
                        + " is missing from the class path (package io/vitstream/analytics/sequences)");
            }
            return read(png, labels);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled sprite sheet", e);
        }
    }

    /**
     * Sprites from an image set: the first {@code perClass} images of every class, in the set's
     * order, grouped by class (class 0 first).
     *
     * @param classes class names by label
     * @param labels one label per image
     * @param grey the images back to back, 28x28 grey each
     * @param sourceName names each sprite's origin as {@code <sourceName> #<index>}
     * @throws IllegalArgumentException when the sizes disagree or a class has fewer images
     */
    public static Sprites firstPerClass(List<String> classes, int[] labels, byte[] grey, int perClass, String sourceName) {
        int n = Sprite.SIDE * Sprite.SIDE;
        if ((long) labels.length * n != grey.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + grey.length + " bytes of 28x28 grey images");
        }
        if (perClass < 1) throw new IllegalArgumentException("perClass must be >= 1, got " + perClass);
        List<Sprite> out = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            int taken = 0;
            for (int i = 0; i < labels.length && taken < perClass; i++) {
                if (labels[i] == c) {
                    out.add(new Sprite(c, classes.get(c), Arrays.copyOfRange(grey, i * n, (i + 1) * n)));
                    sources.add(sourceName + " #" + i);
                    taken++;
                }
            }
            if (taken < perClass) {
                throw new IllegalArgumentException("class " + c + " '" + classes.get(c) + "' has " + taken
                        + " images, fewer than " + perClass);
            }
        }
        return new Sprites(out, sources);
    }

    /** Sprites as they are (sources unnamed). */
    public static Sprites of(List<Sprite> sprites) {
        return new Sprites(sprites, java.util.Collections.nCopies(sprites.size(), "-"));
    }

    /** All sprites, in sheet order. */
    public List<Sprite> all() {
        return sprites;
    }

    public int size() {
        return sprites.size();
    }

    public Sprite get(int index) {
        return sprites.get(index);
    }

    /** Reads a sheet (see the class comment). */
    public static Sprites read(InputStream png, InputStream labels) throws IOException {
        BufferedImage sheet = ImageIO.read(png);
        if (sheet == null) throw new IOException("the sprite sheet is not an image ImageIO can read");
        List<String> lines = new BufferedReader(new InputStreamReader(labels, StandardCharsets.UTF_8)).lines()
                .filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException("sprite labels: the first line must be '" + HEADER.replace("\t", "\\t") + "'");
        }
        int count = lines.size() - 1;
        int rows = (count + COLUMNS - 1) / COLUMNS;
        int side = Sprite.SIDE;
        if (sheet.getWidth() != COLUMNS * side || sheet.getHeight() != rows * side) {
            throw new IOException("sprite sheet is " + sheet.getWidth() + "x" + sheet.getHeight() + " but " + count
                    + " sprites need " + COLUMNS * side + "x" + rows * side);
        }
        List<Sprite> out = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            String[] f = lines.get(k + 1).split("\t", -1);
            if (f.length != 3) throw new IOException("sprite labels line " + (k + 2) + ": expected 3 tab-separated fields");
            byte[] grey = new byte[side * side];
            int left = k % COLUMNS * side;
            int top = k / COLUMNS * side;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    // Grey PNGs read as TYPE_BYTE_GRAY; getRGB would apply a gamma conversion, the raster does not.
                    grey[y * side + x] = (byte) sheet.getRaster().getSample(left + x, top + y, 0);
                }
            }
            out.add(new Sprite(Integer.parseInt(f[0]), f[1], grey));
            sources.add(f[2]);
        }
        return new Sprites(out, sources);
    }

    /** Writes the sheet: a grey PNG and the labels file (see the class comment); same sprites, same bytes. */
    public void write(Path png, Path labels) {
        int side = Sprite.SIDE;
        int rows = (sprites.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage sheet = new BufferedImage(COLUMNS * side, rows * side, BufferedImage.TYPE_BYTE_GRAY);
        byte[] raster = ((DataBufferByte) sheet.getRaster().getDataBuffer()).getData();
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (int k = 0; k < sprites.size(); k++) {
            Sprite s = sprites.get(k);
            byte[] grey = s.grey();
            for (int y = 0; y < side; y++) {
                System.arraycopy(grey, y * side, raster, (k / COLUMNS * side + y) * COLUMNS * side + k % COLUMNS * side, side);
            }
            text.append(s.labelId()).append('\t').append(s.label()).append('\t').append(sources.get(k)).append('\n');
        }
        try {
            if (png.getParent() != null) Files.createDirectories(png.getParent());
            if (labels.getParent() != null) Files.createDirectories(labels.getParent());
            if (!ImageIO.write(sheet, "png", png.toFile())) throw new IOException("no PNG writer");
            Files.writeString(labels, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sprite sheet " + png, e);
        }
    }
}
