package io.vitstream.stream.pipeline;

import io.vitstream.results.FrameResult;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record to publish: a result, a skip notice, a dead letter, an analytics event or checkpoint,
 * an explanation or an annotated frame.
 *
 * @param topic destination topic
 * @param key the frame's key (camera)
 * @param value serialized payload (JSON for results, the original bytes or {@code null} for dead letters,
 *     JPEG for annotated frames)
 * @param headers string headers
 * @param source the frame this record answers
 * @param kind what it is, for metrics
 * @param result the serialized result or skip notice ({@code null} for dead letters)
 */
public record OutputRecord(String topic, String key, byte[] value, Map<String, String> headers, Frame source, Kind kind,
        FrameResult result) {

    /**
     * The three outcomes of a frame, what analytics adds to a frame with detections (its events
     * and its camera's state checkpoint), and the side topics' records of a processed frame: its
     * attention map ({@code vitstream.explain.every}) and the frame annotated as JPEG
     * ({@code vitstream.topics.annotated}).
     */
    public enum Kind { RESULT, SKIPPED, DEAD_LETTER, EVENT, STATE, EXPLANATION, ANNOTATED }

    /** Whether this is a dead letter that still carries the frame's bytes. */
    public boolean carriesFrame() {
        return kind == Kind.DEAD_LETTER && value != null;
    }

    /**
     * This dead letter without the frame's bytes (value {@code null}), marked as such; the
     * headers still name the source position, where the bytes stay until retention removes them.
     */
    public OutputRecord withoutPayload() {
        if (kind != Kind.DEAD_LETTER) {
            throw new IllegalStateException("only a dead letter can drop its payload, not a " + kind);
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Headers.DLQ_PAYLOAD, Headers.DLQ_PAYLOAD_OMITTED);
        return new OutputRecord(topic, key, null, h, source, kind, null);
    }
}
