package io.vitstream.analytics.sequences;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Synthetic video with ground truth: sprites that enter the frame from an edge, cross it on a
 * straight path at constant speed with a little jitter, and leave; sometimes they vanish for a few
 * frames (occlusion) and come back where the path has taken them. Paths are aimed at the central
 * half of the frame, so they cross; an item is only admitted when on every frame of its path its
 * box overlaps no other item's by more than {@link SequenceSettings#maxOverlap()} of the smaller
 * box, so the one drawn on top never hides the other (brighter pixels win where they meet).
 *
 * <p>Everything follows the seed. The scene runs for 5 s before frame 0, so the first frame is
 * already as busy as the rest.
 */
public final class SequenceGenerator {

    /** Pixels above this grey value are an item's ink, as in fashion scenes' boxes. */
    public static final int INK = 16;

    /** Candidate paths tried for a new item before it waits for the next frame. */
    private static final int TRIES = 20;
    private static final double LEAD_IN_SECONDS = 5;

    private final SequenceSettings s;
    private final Sprites sprites;
    private final Random rng;
    private final List<Trajectory> paths = new ArrayList<>();

    private SequenceGenerator(SequenceSettings settings, Sprites sprites, long seed) {
        this.s = settings;
        this.sprites = sprites;
        this.rng = new Random(seed);
    }

    /** A sequence; the same arguments give the same sequence. */
    public static Sequence generate(SequenceSettings settings, Sprites sprites, long seed) {
        SequenceGenerator g = new SequenceGenerator(settings, sprites, seed);
        int leadIn = (int) Math.round(LEAD_IN_SECONDS * settings.fps());
        for (int t = -leadIn; t < settings.frames(); t++) {
            g.maybeAdd(t);
        }
        return Sequence.of(settings, seed, g.visibleIn(settings.frames()));
    }

    /** Below the target count, an item arrives with probability 1/fps per frame: about one a second. */
    private void maybeAdd(int t) {
        long present = paths.stream().filter(p -> p.alive(t)).count();
        if (present >= s.objects() || rng.nextDouble() >= 1 / s.fps()) return;
        Sprite sprite = sprites.get(rng.nextInt(sprites.size()));
        double scale = s.minScale() + rng.nextDouble() * (s.maxScale() - s.minScale());
        int w = Math.max(1, (int) Math.round(scale * Sprite.SIDE * s.width() / 64));
        int h = Math.max(1, (int) Math.round(scale * Sprite.SIDE * s.height() / 64));
        Item item = Item.of(sprite, w, h);
        if (item == null) return;
        for (int attempt = 0; attempt < TRIES; attempt++) {
            Trajectory candidate = path(item, t);
            if (candidate != null && fits(candidate)) {
                paths.add(candidate);
                return;
            }
        }
    }

    /**
     * A straight path from just outside a random edge through a random point of the frame's central
     * half, until the item has left (or the sequence ends); null if it never enters.
     */
    private Trajectory path(Item item, int first) {
        int[] ink = item.ink;
        int edge = rng.nextInt(4);
        double x;
        double y;
        switch (edge) {
            case 0 -> { x = -ink[2]; y = uniform(-ink[1], s.height() - ink[3]); }
            case 1 -> { x = s.width() - ink[0]; y = uniform(-ink[1], s.height() - ink[3]); }
            case 2 -> { x = uniform(-ink[0], s.width() - ink[2]); y = -ink[3]; }
            default -> { x = uniform(-ink[0], s.width() - ink[2]); y = s.height() - ink[1]; }
        }
        // Direction in fractions of the frame, so a speed means the same share of the frame either way.
        double dx = (0.25 + 0.5 * rng.nextDouble()) - (x + (ink[0] + ink[2]) / 2.0) / s.width();
        double dy = (0.25 + 0.5 * rng.nextDouble()) - (y + (ink[1] + ink[3]) / 2.0) / s.height();
        double perFrame = (s.minSpeed() + rng.nextDouble() * (s.maxSpeed() - s.minSpeed())) / s.fps();
        double norm = Math.hypot(dx, dy);
        double vx = dx / norm * perFrame * s.width();
        double vy = dy / norm * perFrame * s.height();
        List<int[]> corners = new ArrayList<>();
        boolean entered = false;
        for (int k = 0; first + k < s.frames(); k++) {
            double cx = x + k * vx;
            double cy = y + k * vy;
            boolean inside = overlapsFrame(item.inkBox((int) Math.round(cx), (int) Math.round(cy)));
            if (entered && !inside) break;
            entered |= inside;
            corners.add(new int[] {(int) Math.round(cx + rng.nextGaussian() * s.noise() * s.width()),
                (int) Math.round(cy + rng.nextGaussian() * s.noise() * s.height())});
        }
        if (!entered) return null;
        int n = corners.size();
        int[] left = new int[n];
        int[] top = new int[n];
        for (int k = 0; k < n; k++) {
            left[k] = corners.get(k)[0];
            top[k] = corners.get(k)[1];
        }
        return new Trajectory(item, first, left, top, occlusions(n));
    }

    /** Per frame of a life of {@code n} frames: hidden or not. */
    private boolean[] occlusions(int n) {
        boolean[] hidden = new boolean[n];
        for (int k = 0; k < n; k++) {
            if (rng.nextDouble() < s.occlusionProbability()) {
                int length = 1 + rng.nextInt(s.maxOcclusion());
                for (int j = k; j < Math.min(n, k + length); j++) hidden[j] = true;
                // The next occlusion can start only after the item has been seen again.
                k += length;
            }
        }
        return hidden;
    }

    private double uniform(double from, double to) {
        return from + rng.nextDouble() * Math.max(0, to - from);
    }

    private boolean overlapsFrame(int[] box) {
        return box[2] > 0 && box[3] > 0 && box[0] < s.width() && box[1] < s.height();
    }

    /** Whether the candidate's box stays clear of every other item's on every shared frame. */
    private boolean fits(Trajectory candidate) {
        for (Trajectory other : paths) {
            int from = Math.max(candidate.first(), other.first());
            int to = Math.min(candidate.last(), other.last());
            for (int t = from; t <= to; t++) {
                if (overlap(clip(candidate.inkBox(t)), clip(other.inkBox(t))) > s.maxOverlap()) return false;
            }
        }
        return true;
    }

    private int[] clip(int[] b) {
        return new int[] {Math.max(0, b[0]), Math.max(0, b[1]), Math.min(s.width(), b[2]), Math.min(s.height(), b[3])};
    }

    /** Intersection over the smaller box's area; 0 when either is empty. */
    static double overlap(int[] a, int[] b) {
        long areaA = (long) Math.max(0, a[2] - a[0]) * Math.max(0, a[3] - a[1]);
        long areaB = (long) Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
        if (areaA == 0 || areaB == 0) return 0;
        long iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        long ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) return 0;
        return (double) (iw * ih) / Math.min(areaA, areaB);
    }

    /** The paths with ink inside the frame on some frame in {@code [0, frames)}, by first such frame. */
    private List<Trajectory> visibleIn(int frames) {
        List<Trajectory> out = new ArrayList<>();
        List<Integer> firstSeen = new ArrayList<>();
        for (Trajectory p : paths) {
            for (int t = Math.max(0, p.first()); t <= p.last() && t < frames; t++) {
                if (p.item().visibleInk(p.left()[t - p.first()], p.top()[t - p.first()], s.width(), s.height()) != null) {
                    out.add(p);
                    firstSeen.add(t);
                    break;
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) order.add(i);
        order.sort(Comparator.comparing(firstSeen::get));
        return order.stream().map(out::get).toList();
    }
}
