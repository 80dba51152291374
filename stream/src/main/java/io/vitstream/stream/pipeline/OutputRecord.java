package io.vitstream.stream.pipeline;

import io.vitstream.results.FrameResult;

import java.util.Map;

/**
 * A record to publish: a result, a skip notice or a dead letter.
 *
 * @param topic destination topic
 * @param key the frame's key (camera)
 * @param value serialized payload (JSON for results, the original bytes for dead letters)
 * @param headers string headers
 * @param source the frame this record answers
 * @param kind what it is, for metrics
 * @param result the serialized result or skip notice ({@code null} for dead letters)
 */
public record OutputRecord(String topic, String key, byte[] value, Map<String, String> headers, Frame source, Kind kind,
        FrameResult result) {

    /** The three outcomes of a frame. */
    public enum Kind { RESULT, SKIPPED, DEAD_LETTER }
}
