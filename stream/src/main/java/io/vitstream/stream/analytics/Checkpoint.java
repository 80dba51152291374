package io.vitstream.stream.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One camera's analytics state after a frame: the frame's position and the tracker and counters
 * ({@code CameraAnalytics.snapshot()}). The value of a record on the {@code analytics-state}
 * topic (compacted, key = camera): {@code {"schema": "vitstream.analytics-state.v1", "camera",
 * "topic", "partition", "offset", "analytics": {...}}}.
 *
 * @param snapshot the {@code CameraAnalytics} snapshot, JSON text
 */
record Checkpoint(String camera, String topic, int partition, long offset, String snapshot) {

    static final String SCHEMA = "vitstream.analytics-state.v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Whether the frame at (topic, partition, offset) was already applied to this state: same
     * partition, not after it. Frames of the camera from another partition (the topic's
     * partitions changed) are never taken as applied.
     */
    boolean covers(String frameTopic, int framePartition, long frameOffset) {
        return topic.equals(frameTopic) && partition == framePartition && frameOffset <= offset;
    }

    /** Whether this state is at least as far along as {@code other} (same partition, same or later offset). */
    boolean notBehind(Checkpoint other) {
        return covers(other.topic, other.partition, other.offset);
    }

    byte[] toBytes() {
        try {
            ObjectNode n = JSON.createObjectNode();
            n.put("schema", SCHEMA).put("camera", camera).put("topic", topic).put("partition", partition).put("offset", offset);
            n.putRawValue("analytics", new RawValue(snapshot));
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the analytics checkpoint of camera '" + camera + "'", e);
        }
    }

    /**
     * @throws IllegalArgumentException when the value is not a checkpoint of this schema
     */
    static Checkpoint fromBytes(String key, byte[] value) {
        try {
            JsonNode n = JSON.readTree(value);
            if (!SCHEMA.equals(n.path("schema").asText()) || !n.path("analytics").isObject()) {
                throw new IllegalArgumentException("not a " + SCHEMA + " record: '" + preview(value) + "'");
            }
            return new Checkpoint(key, n.path("topic").asText(), n.path("partition").asInt(), n.path("offset").asLong(),
                    n.get("analytics").toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: '" + preview(value) + "'", e);
        }
    }

    private static String preview(byte[] value) {
        return new String(value, 0, Math.min(60, value.length), StandardCharsets.UTF_8);
    }
}
