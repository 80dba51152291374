package io.vitstream.train.tracking;

import io.vitstream.analytics.Observation;
import io.vitstream.backbone.image.DecodeMode;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.heads.VisionModel;
import io.vitstream.results.Detection;
import io.vitstream.results.HeadResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A detection head's answers on each JPEG frame, obtained as the service obtains them: the
 * frame decoded and prepared by {@link ImagePreprocessor} (the checkpoint's resize, here the whole
 * frame stretched to the model input, in {@code exact} decode mode, the service's default), then
 * {@link VisionModel#infer}, whose post-processing keeps the boxes above the head's configured score
 * threshold and maps them back to frame pixels.
 */
public final class ModelDetector implements Detector {

    private static final int BATCH = 16;

    private final VisionModel model;
    private final String head;
    private final String name;
    private final ImagePreprocessor preprocessor;

    /** @param model a loaded model, still owned by the caller */
    public ModelDetector(VisionModel model, String head, String name) {
        if (!model.heads().containsKey(head)) {
            throw new IllegalArgumentException("--head " + head + ": the model's heads are " + model.heads().keySet());
        }
        this.model = model;
        this.head = head;
        this.name = name;
        this.preprocessor = new ImagePreprocessor(model.preprocessorConfig(), ImageLimits.DEFAULT, DecodeMode.EXACT);
    }

    @Override
    public List<List<Observation>> detect(EvalSequence s) {
        List<List<Observation>> out = new ArrayList<>();
        for (int start = 0; start < s.truth().size(); start += BATCH) {
            List<ImagePreprocessor.Prepared> batch = new ArrayList<>();
            for (int i = start; i < Math.min(s.truth().size(), start + BATCH); i++) {
                batch.add(preprocessor.prepare(s.jpeg().apply(i)));
            }
            for (Map<String, HeadResult> answer : model.infer(batch)) {
                if (!(answer.get(head) instanceof HeadResult.Detections d)) {
                    throw new IllegalArgumentException("--head " + head + " gives " + answer.get(head).getClass().getSimpleName()
                            + ", not detections");
                }
                List<Observation> frame = new ArrayList<>();
                for (Detection x : d.detections()) {
                    frame.add(new Observation(x.box().x1(), x.box().y1(), x.box().x2(), x.box().y2(), x.score(), x.labelId(), x.label()));
                }
                out.add(frame);
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return name + " (head '" + head + "', its score threshold, exact decoding)";
    }
}
