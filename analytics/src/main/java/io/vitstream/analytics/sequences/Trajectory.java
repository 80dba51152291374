package io.vitstream.analytics.sequences;

/**
 * Where one item is on each frame of its life: the top-left corner of its resized sprite in frame
 * pixels, and whether it is hidden (occluded).
 *
 * @param first the frame of {@code left[0]}; negative while a generator runs its lead-in
 */
record Trajectory(Item item, int first, int[] left, int[] top, boolean[] hidden) {

    int last() {
        return first + left.length - 1;
    }

    boolean alive(int frame) {
        return frame >= first && frame <= last();
    }

    /** The whole ink box on a frame of its life, ignoring the frame's edges. */
    int[] inkBox(int frame) {
        return item.inkBox(left[frame - first], top[frame - first]);
    }
}
