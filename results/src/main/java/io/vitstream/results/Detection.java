package io.vitstream.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One detected object.
 *
 * @param labelId class index in the model's {@code id2label}
 * @param label class name
 * @param score probability of the class in [0, 1]
 * @param box where it is, in original-frame pixels
 * @param trackId the camera's track this object belongs to (ids start at 1 per camera and are
 *     never reused); absent when analytics is off, or the object is not (yet) a confirmed track
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Detection(int labelId, String label, float score, Box box, Long trackId) {

    /** A detection before tracking. */
    public Detection(int labelId, String label, float score, Box box) {
        this(labelId, label, score, box, null);
    }

    /** This detection with a track id. */
    public Detection withTrackId(long id) {
        return new Detection(labelId, label, score, box, id);
    }
}
