package io.vitstream.heads.box;

import java.util.Arrays;
import java.util.Random;

/** Random boxes for property tests, with degenerate ones mixed in on purpose. */
final class RandomBoxes {

    private RandomBoxes() {}

    /**
     * A random corner-form box inside roughly [0, 1]^2: about one in eight has zero width,
     * one in eight zero height, so degenerate cases are exercised, not just possible.
     */
    static float[] xyxy(Random random) {
        float x0 = random.nextFloat();
        float y0 = random.nextFloat();
        float w = random.nextInt(8) == 0 ? 0f : 0.5f * random.nextFloat();
        float h = random.nextInt(8) == 0 ? 0f : 0.5f * random.nextFloat();
        return new float[] {x0, y0, x0 + w, y0 + h};
    }

    /** {@code n} boxes from {@link #xyxy(Random)}. */
    static float[][] xyxy(Random random, int n) {
        float[][] boxes = new float[n][];
        for (int i = 0; i < n; i++) {
            boxes[i] = xyxy(random);
        }
        return boxes;
    }

    /** {@code n} boxes (cx, cy, w, h) with positive size, as a sigmoid head would predict. */
    static float[][] cxcywh(Random random, int n) {
        float[][] boxes = new float[n][];
        for (int i = 0; i < n; i++) {
            boxes[i] = new float[] {
                0.1f + 0.8f * random.nextFloat(), 0.1f + 0.8f * random.nextFloat(),
                0.05f + 0.4f * random.nextFloat(), 0.05f + 0.4f * random.nextFloat()
            };
        }
        return boxes;
    }

    static String describe(float[] a, float[] b) {
        return Arrays.toString(a) + " vs " + Arrays.toString(b);
    }
}
