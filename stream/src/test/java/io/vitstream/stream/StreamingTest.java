package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;
import io.vitstream.stream.pipeline.Headers;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service end to end on its embedded broker: frames under several cameras over several
 * partitions in, one result per frame and head out, in order per camera, with lineage; bad
 * frames to the dead-letter topic with their reasons while the good ones around them are
 * answered.
 */
@QuarkusTest
@QuarkusTestResource(TestModel.class)
class StreamingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    @Test
    void everyFrameGetsOneResultPerHeadInOrderPerCamera() throws Exception {
        String[] cameras = {"cam-1", "cam-2", "cam-3", "cam-4", "cam-5", "cam-6"};
        int perCamera = 8;
        Map<String, RecordMetadata> sent = new HashMap<>();
        try (KafkaProducer<String, byte[]> p = KafkaClients.producer(bootstrap())) {
            for (int i = 0; i < perCamera; i++) {
                for (String c : cameras) {
                    byte[] img = Images.encoded(64 + i, 48, i, i % 2 == 0 ? "jpg" : "png");
                    sent.put(c + "#" + i, p.send(KafkaClients.frame("frames", c, i, img)).get());
                }
            }
        }
        Set<Integer> partitions = new HashSet<>();
        sent.values().forEach(m -> partitions.add(m.partition()));
        assertTrue(partitions.size() > 1, "frames should spread over partitions, got " + partitions);

        int expected = cameras.length * perCamera;
        for (String topic : new String[] {"classifications", "detections"}) {
            List<ConsumerRecord<String, byte[]>> got = KafkaClients.readUntil(bootstrap(), topic, false,
                    Duration.ofSeconds(60), l -> l.size() >= expected);
            assertEquals(expected, got.size(), topic + ": one result per frame");
            Map<String, List<Long>> sequences = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : got) {
                FrameResult fr = JSON.readValue(r.value(), FrameResult.class);
                assertEquals(r.key(), fr.camera(), "result keyed by camera");
                assertEquals(FrameResult.Status.OK, fr.status());
                RecordMetadata src = sent.get(fr.camera() + "#" + fr.frame().sequence());
                assertNotNull(src, "lineage names a frame we sent: " + fr.frame());
                assertEquals(src.partition(), fr.frame().partition());
                assertEquals(src.offset(), fr.frame().offset());
                assertEquals("frames", fr.frame().topic());
                assertTrue(fr.model().digest().startsWith("sha256:"));
                assertEquals(48, fr.frame().height());
                assertTrue(topic.equals("detections") ? fr.result() instanceof HeadResult.Detections
                        : fr.result() instanceof HeadResult.Classification);
                sequences.computeIfAbsent(fr.camera(), c -> new ArrayList<>()).add(fr.frame().sequence());
            }
            for (String c : cameras) {
                List<Long> seq = sequences.get(c);
                List<Long> sorted = new ArrayList<>(seq);
                sorted.sort(Long::compare);
                assertEquals(sorted, seq, topic + ": results of " + c + " in frame order");
                assertEquals(perCamera, new HashSet<>(seq).size());
            }
        }
    }

    @Test
    void badFramesGoToTheDeadLetterTopicWithReasons() throws Exception {
        byte[] good = Images.encoded(40, 40, 3, "png");
        byte[] jpeg = Images.encoded(80, 60, 4, "jpg");
        Map<String, byte[]> bad = new HashMap<>();
        bad.put("empty", new byte[0]);
        bad.put("not-an-image", "<html>not a picture</html>".getBytes());
        bad.put("truncated", Arrays.copyOf(jpeg, jpeg.length / 2));
        bad.put("unsupported-format", "GIF89a\u0001\u0000\u0001\u0000".getBytes());
        try (KafkaProducer<String, byte[]> p = KafkaClients.producer(bootstrap())) {
            int seq = 0;
            for (Map.Entry<String, byte[]> e : bad.entrySet()) {
                p.send(KafkaClients.frame("frames", "dlq-cam", seq++, good)).get();
                p.send(KafkaClients.frame("frames", "dlq-" + e.getKey(), 0, e.getValue())).get();
            }
            p.send(KafkaClients.frame("frames", "dlq-cam", seq, good)).get();
        }
        List<ConsumerRecord<String, byte[]>> dead = KafkaClients.readUntil(bootstrap(), "frames-dlq", false,
                Duration.ofSeconds(60), l -> l.stream().filter(r -> r.key().startsWith("dlq-") && !r.key().equals("dlq-cam")).count() >= bad.size());
        Map<String, ConsumerRecord<String, byte[]>> byKey = new HashMap<>();
        dead.forEach(r -> byKey.put(r.key(), r));
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            ConsumerRecord<String, byte[]> r = byKey.get("dlq-" + e.getKey());
            assertNotNull(r, "dead letter for " + e.getKey());
            assertEquals(e.getKey(), KafkaClients.header(r, Headers.DLQ_REASON));
            assertTrue(Arrays.equals(e.getValue(), r.value()), "original bytes kept");
            assertEquals("frames", KafkaClients.header(r, Headers.DLQ_TOPIC));
            assertNotNull(KafkaClients.header(r, Headers.DLQ_OFFSET));
            assertTrue(KafkaClients.header(r, Headers.DLQ_EXCEPTION).endsWith("BadImageException"));
        }
        List<ConsumerRecord<String, byte[]>> results = KafkaClients.readUntil(bootstrap(), "classifications", false,
                Duration.ofSeconds(60), l -> l.stream().filter(r -> "dlq-cam".equals(r.key())).count() >= bad.size() + 1);
        assertEquals(bad.size() + 1, results.stream().filter(r -> "dlq-cam".equals(r.key())).count(),
                "the good frames around the bad ones are all answered");
    }
}
