package io.vitstream.analytics.sequences;

import java.util.List;

/**
 * The ground truth of one frame.
 *
 * @param index frame number from 0
 * @param timeMs capture time in milliseconds from the sequence's start
 * @param objects the items with some pixels inside the frame, drawn or occluded, by id
 */
public record TruthFrame(int index, long timeMs, List<TruthObject> objects) {

    public TruthFrame {
        objects = List.copyOf(objects);
    }
}
