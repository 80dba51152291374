package io.vitstream.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Map;

/**
 * One message of the {@code events} topic: something a tracked object did on one frame of one
 * camera. Keyed by camera; a camera's events come out in the order of its frames.
 *
 * @param schema always {@link #SCHEMA}
 * @param type {@code line-cross}, {@code zone-enter}, {@code zone-exit} or {@code dwell}
 * @param camera the camera (also the key)
 * @param trackId the camera's track (the {@code track_id} of its detections)
 * @param label the track's class: the score-weighted majority of its detections so far
 * @param labelId that class's index in the model's {@code id2label}
 * @param line the line's name, for {@code line-cross}
 * @param zone the zone's name, for the zone events and {@code dwell}
 * @param direction {@code in} or {@code out}, for {@code line-cross}: looking from the line's
 *     first point to its second, an object crossing from the left-hand side to the right-hand
 *     side goes {@code in}
 * @param dwellMs how long the track has been in the zone (capture times), for {@code dwell} and {@code zone-exit}
 * @param frame the frame on which it happened (lineage)
 * @param counts the line's or zone's running counts per class after this event: for a line
 *     {@code {"Bag": {"in": 3, "out": 1}}}, for a zone {@code {"Bag": {"enter": 2, "exit": 1, "dwell": 1}}}
 * @param publishedAtMs when this message was published, epoch milliseconds
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(String schema, String type, String camera, long trackId, String label, int labelId, String line,
        String zone, String direction, Long dwellMs, FrameResult.FrameRef frame, Map<String, Map<String, Long>> counts,
        long publishedAtMs) {

    /** The schema id of this version of the message. */
    public static final String SCHEMA = "vitstream.event.v1";
}
