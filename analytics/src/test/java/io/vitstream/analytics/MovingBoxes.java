package io.vitstream.analytics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seeded, scripted scene for the snapshot test and the benchmark: people and cars moving at
 * constant velocity across a 1280 x 720 frame, bouncing off its edges, now and then leaving and
 * being replaced elsewhere. Their detections have pixel noise, sometimes a low score (partly
 * hidden) or none at all (hidden), sometimes the wrong class, with a few false detections, in a
 * shuffled order; frames come about 40 ms apart. The same seed gives the same frames.
 */
final class MovingBoxes {

    static final double WIDTH = 1280;
    static final double HEIGHT = 720;
    private static final String[] LABELS = {"person", "car"};

    private final Random random;
    private final double[][] objects;
    private long timeMs = 1_700_000_000_000L;

    /** @param count how many objects are in the scene at any time */
    MovingBoxes(long seed, int count) {
        random = new Random(seed);
        objects = new double[count][];
        for (int i = 0; i < count; i++) {
            objects[i] = spawn();
        }
    }

    /** An object: cx, cy, vx, vy, w, h, class index. */
    private double[] spawn() {
        int label = random.nextInt(LABELS.length);
        double w = 30 + 40 * random.nextDouble();
        double h = label == 0 ? 2.2 * w : 0.7 * w;
        double speed = 1 + 5 * random.nextDouble();
        double angle = 2 * Math.PI * random.nextDouble();
        return new double[] {w + (WIDTH - 2 * w) * random.nextDouble(), h + (HEIGHT - 2 * h) * random.nextDouble(),
            speed * Math.cos(angle), speed * Math.sin(angle), w, h, label};
    }

    /** The capture time of the frame {@link #next()} returned last. */
    long timeMs() {
        return timeMs;
    }

    /** Moves everything one frame on and returns its detections. */
    List<Observation> next() {
        timeMs += 35 + random.nextInt(11);
        List<Observation> detections = new ArrayList<>();
        for (int i = 0; i < objects.length; i++) {
            if (random.nextDouble() < 0.003) {
                objects[i] = spawn();
            }
            move(objects[i]);
            double roll = random.nextDouble();
            if (roll < 0.05) {
                continue;
            }
            double score = roll < 0.15 ? 0.15 + 0.35 * random.nextDouble() : 0.6 + 0.38 * random.nextDouble();
            int label = random.nextDouble() < 0.05 ? 1 - (int) objects[i][6] : (int) objects[i][6];
            detections.add(detection(objects[i], score, label));
        }
        if (random.nextDouble() < 0.1) {
            detections.add(detection(spawn(), 0.2 + 0.5 * random.nextDouble(), random.nextInt(LABELS.length)));
        }
        Collections.shuffle(detections, random);
        return detections;
    }

    private void move(double[] o) {
        for (int axis = 0; axis < 2; axis++) {
            double half = o[4 + axis] / 2;
            double limit = axis == 0 ? WIDTH : HEIGHT;
            o[axis] += o[2 + axis];
            if (o[axis] - half < 0 || o[axis] + half > limit) {
                o[2 + axis] = -o[2 + axis];
                o[axis] = Math.max(half, Math.min(limit - half, o[axis]));
            }
        }
    }

    private Observation detection(double[] o, double score, int label) {
        double x1 = o[0] - o[4] / 2 + 1.5 * random.nextGaussian();
        double y1 = o[1] - o[5] / 2 + 1.5 * random.nextGaussian();
        double x2 = o[0] + o[4] / 2 + 1.5 * random.nextGaussian();
        double y2 = o[1] + o[5] / 2 + 1.5 * random.nextGaussian();
        return new Observation(x1, y1, Math.max(x1, x2), Math.max(y1, y2), score, label, LABELS[label]);
    }

    /** Two lines and two zones over the middle of the frame. */
    static CameraConfig config() {
        return new CameraConfig(
                List.of(new LineSpec("door", new Point(100, 360), new Point(1180, 360)),
                        new LineSpec("aisle", new Point(640, 50), new Point(640, 670))),
                List.of(new ZoneSpec("till", List.of(new Point(100, 100), new Point(500, 100), new Point(500, 300),
                                new Point(100, 300))),
                        new ZoneSpec("exit", List.of(new Point(700, 400), new Point(1200, 420), new Point(1100, 700),
                                new Point(900, 550), new Point(750, 690)))));
    }
}
