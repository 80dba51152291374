package io.vitstream.stream.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The largest record each output topic takes: its {@code max.message.bytes} (read from the
 * broker at start and again after a refusal), capped by the producer's own
 * {@code max.request.size}. A topic not read yet is held to the producer's limit alone.
 *
 * <p>Sizes are estimated as Kafka lays a record out in a batch of its own (uncompressed): the
 * batch header, the record's length fields, key, value and headers. The estimate errs high
 * ({@link #OVERHEAD_BYTES}), so a record judged to fit does fit.
 */
public final class TopicLimits {

    /** Batch header (61 bytes) and a record's own varint fields, rounded up. */
    static final int OVERHEAD_BYTES = 128;
    /** Per header: two length varints at most. */
    private static final int HEADER_OVERHEAD_BYTES = 10;

    private final long clientLimit;
    private final Map<String, Long> topics = new ConcurrentHashMap<>();

    /** @param clientLimit the producer's {@code max.request.size} */
    public TopicLimits(long clientLimit) {
        if (clientLimit < OVERHEAD_BYTES) {
            throw new IllegalArgumentException("producer max.request.size must be >= " + OVERHEAD_BYTES + ", got " + clientLimit);
        }
        this.clientLimit = clientLimit;
    }

    /** Records a topic's {@code max.message.bytes}. */
    public void set(String topic, long maxMessageBytes) {
        topics.put(topic, maxMessageBytes);
    }

    /** The largest record {@code topic} takes, in bytes. */
    public long limit(String topic) {
        Long t = topics.get(topic);
        return t == null ? clientLimit : Math.min(t, clientLimit);
    }

    /** Whether the topic's limit was read from the broker. */
    public boolean known(String topic) {
        return topics.containsKey(topic);
    }

    /** Whether {@code r} fits its topic. */
    public boolean fits(OutputRecord r) {
        return size(r) <= limit(r.topic());
    }

    /** The estimated size of {@code r} on the broker, in bytes (at least its true size). */
    public static long size(OutputRecord r) {
        long n = OVERHEAD_BYTES + utf8(r.key()) + (r.value() == null ? 0 : r.value().length);
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            n += HEADER_OVERHEAD_BYTES + utf8(h.getKey()) + utf8(h.getValue());
        }
        return n;
    }

    private static long utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
