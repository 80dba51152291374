package io.vitstream.stream.messaging;

import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.vitstream.stream.pipeline.Frame;
import io.vitstream.stream.pipeline.Headers;

import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/** Kafka records to {@link Frame}s. */
final class Frames {

    private Frames() {}

    /** Reads key, bytes, position and the optional capture-time and sequence headers. */
    static Frame of(KafkaRecord<String, byte[]> record, long arrivalNanos) {
        IncomingKafkaRecord<String, byte[]> r = (IncomingKafkaRecord<String, byte[]>) record;
        Long capture = number(r, Headers.CAPTURE_TIME);
        long timestamp = r.getTimestamp() == null ? System.currentTimeMillis() : r.getTimestamp().toEpochMilli();
        return new Frame(r.getKey() == null ? "" : r.getKey(), r.getPayload() == null ? new byte[0] : r.getPayload(),
                r.getTopic(), r.getPartition(), r.getOffset(), number(r, Headers.SEQUENCE),
                capture != null ? capture : timestamp, arrivalNanos);
    }

    /** A decimal header, or {@code null} when absent or malformed (a bad header must not lose the frame). */
    private static Long number(IncomingKafkaRecord<String, byte[]> r, String name) {
        Header h = r.getHeaders().lastHeader(name);
        if (h == null || h.value() == null) {
            return null;
        }
        try {
            return Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
