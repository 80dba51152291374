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

    /**
     * This pass run once per input size among the inputs, results back in input order. With
     * fixed-size preprocessing (ViT, DINOv2) every frame has one size and this is one pass; a
     * DETR processor resizes each frame by its aspect ratio and pads a batch to its largest
     * frame, and padding changes a frame's answer (Hugging Face's padded batches behave the same
     * way): passes of one size each keep a frame's answer independent of the frames it happened
     * to be batched with, so a replay after a failure publishes what the first try computed.
     */
    default ModelPass bySize() {
        ModelPass whole = this;
        return inputs -> {
            java.util.Map<List<Integer>, List<Integer>> groups = new java.util.LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                var g = inputs.get(i).geometry();
                groups.computeIfAbsent(List.of(g.inputHeight(), g.inputWidth()), k -> new java.util.ArrayList<>()).add(i);
            }
            if (groups.size() <= 1) {
                return whole.infer(inputs);
            }
            java.util.List<Map<String, HeadResult>> out = new java.util.ArrayList<>(java.util.Collections.nCopies(inputs.size(), null));
            for (List<Integer> idx : groups.values()) {
                List<Map<String, HeadResult>> answers = whole.infer(idx.stream().map(inputs::get).toList());
                for (int k = 0; k < idx.size(); k++) out.set(idx.get(k), answers.get(k));
            }
            return out;
        };
    }
}
