package io.vitstream.results;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * What one head says about one frame. Plain records: serializable as JSON (the {@code type}
 * field tells the two apart) and free of any model-runtime type.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = HeadResult.Classification.class, name = "classification"),
    @JsonSubTypes.Type(value = HeadResult.Detections.class, name = "detections")
})
public sealed interface HeadResult {

    /**
     * The best classes, highest score first.
     *
     * @param top the top-k labels
     */
    record Classification(List<Label> top) implements HeadResult {
        public Classification {
            top = List.copyOf(top);
        }
    }

    /**
     * The objects found, highest score first.
     *
     * @param detections boxes with labels and scores
     */
    record Detections(List<Detection> detections) implements HeadResult {
        public Detections {
            detections = List.copyOf(detections);
        }
    }
}
