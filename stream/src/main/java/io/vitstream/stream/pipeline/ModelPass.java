package io.vitstream.stream.pipeline;

import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.results.HeadResult;

import java.util.List;
import java.util.Map;

/** One backbone pass and every head over prepared frames ({@code VisionModel::infer}). */
@FunctionalInterface
public interface ModelPass {

    /** @return per input, the heads' answers by head name, in input order */
    List<Map<String, HeadResult>> infer(List<ImagePreprocessor.Prepared> inputs);
}
