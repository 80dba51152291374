package io.vitstream.stream.analytics;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads a compacted topic from its beginning to its end as it is now (with
 * {@code read_committed}: to the last stable offset, so a transaction still open blocks until it
 * commits or aborts, which is what makes the read consistent with the consumed offsets).
 */
final class StateReader {

    private static final Logger LOG = Logger.getLogger(StateReader.class);

    private StateReader() {}

    /**
     * Hands every record of {@code topic} to {@code sink}, oldest first per partition.
     *
     * @param clientProps consumer settings (bootstrap, security)
     * @throws IllegalStateException when the end is not reached within {@code timeout}
     */
    static void readAll(Map<String, Object> clientProps, String topic, Duration timeout,
            BiConsumer<ConsumerRecord<String, byte[]>, TopicPartition> sink) {
        Map<String, Object> props = new HashMap<>(clientProps);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vitstream-read-" + topic);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
            int records = 0;
            while (parts.stream().anyMatch(p -> c.position(p, timeout) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic '" + topic + "' not read to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    sink.accept(r, new TopicPartition(r.topic(), r.partition()));
                    records++;
                }
            }
            LOG.debugf("read %d records of '%s' to its end %s", records, topic, end);
        }
    }
}
