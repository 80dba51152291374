package io.vitstream.analytics.sequences;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated sequence: its ground truth frame by frame, and the frames themselves on demand
 * ({@link #render}). Made by {@link SequenceGenerator#generate}.
 */
public final class Sequence {

    private final SequenceSettings settings;
    private final long seed;
    /** Item {@code id} is {@code paths.get(id - 1)}. */
    private final List<Trajectory> paths;
    private final List<TruthFrame> frames;

    private Sequence(SequenceSettings settings, long seed, List<Trajectory> paths, List<TruthFrame> frames) {
        this.settings = settings;
        this.seed = seed;
        this.paths = paths;
        this.frames = frames;
    }

    static Sequence of(SequenceSettings settings, long seed, List<Trajectory> paths) {
        List<TruthFrame> frames = new ArrayList<>(settings.frames());
        for (int t = 0; t < settings.frames(); t++) {
            List<TruthObject> objects = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                Trajectory p = paths.get(i);
                if (!p.alive(t)) continue;
                int[] box = p.item().visibleInk(p.left()[t - p.first()], p.top()[t - p.first()], settings.width(), settings.height());
                if (box == null) continue;
                int[] whole = p.inkBox(t);
                double inFrame = (double) area(clip(whole, settings)) / area(whole);
                Sprite sprite = p.item().sprite;
                objects.add(new TruthObject(i + 1, sprite.labelId(), sprite.label(), box[0], box[1], box[2], box[3],
                        !p.hidden()[t - p.first()], inFrame));
            }
            frames.add(new TruthFrame(t, settings.timeMs(t), objects));
        }
        return new Sequence(settings, seed, List.copyOf(paths), List.copyOf(frames));
    }

    public SequenceSettings settings() {
        return settings;
    }

    public long seed() {
        return seed;
    }

    /** The ground truth, one entry per frame. */
    public List<TruthFrame> frames() {
        return frames;
    }

    /** Number of distinct items over the whole sequence (ids run from 1 to this). */
    public int items() {
        return paths.size();
    }

    /**
     * Frame {@code index} as a grey image of the settings' size: the visible items on black,
     * the brighter pixel where two meet.
     */
    public BufferedImage render(int index) {
        if (index < 0 || index >= settings.frames()) {
            throw new IndexOutOfBoundsException("frame " + index + " of a sequence of " + settings.frames());
        }
        int w = settings.width();
        int h = settings.height();
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (Trajectory p : paths) {
            if (p.alive(index) && !p.hidden()[index - p.first()]) {
                p.item().paste(pixels, w, h, p.left()[index - p.first()], p.top()[index - p.first()]);
            }
        }
        return image;
    }

    private static int[] clip(int[] b, SequenceSettings s) {
        return new int[] {Math.max(0, b[0]), Math.max(0, b[1]), Math.min(s.width(), b[2]), Math.min(s.height(), b[3])};
    }

    private static long area(int[] b) {
        return (long) Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
    }
}
