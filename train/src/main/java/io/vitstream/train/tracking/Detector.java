package io.vitstream.train.tracking;

import io.vitstream.analytics.Observation;

import java.util.List;

/** Where a tracker's input comes from: every frame's detections of one sequence. */
public interface Detector {

    /** @return per frame in order, the detections in frame pixels */
    List<List<Observation>> detect(EvalSequence sequence);

    /** For reports, e.g. the model folder or the noise settings. */
    String describe();
}
