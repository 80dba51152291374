package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;
import io.vitstream.stream.pipeline.Headers;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    @TestHTTPResource("/q/health/ready")
    URL ready;

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
                MessageSchemas.assertResult(r);
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
        bad.put("too-many-pixels", Images.bomb(30_000, 30_000));
        // Over the test profile's max-bytes (1 MiB) and over dead-letter-max-bytes (1,000,000):
        // dead-lettered without its bytes.
        bad.put("too-large", Images.encodedPadded(good, 1_500_000));
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
            MessageSchemas.assertDeadLetter(r);
            assertEquals(e.getKey(), KafkaClients.header(r, Headers.DLQ_REASON));
            assertEquals(Integer.toString(e.getValue().length), KafkaClients.header(r, Headers.DLQ_PAYLOAD_BYTES));
            if (e.getKey().equals("too-large")) {
                assertEquals("omitted", KafkaClients.header(r, Headers.DLQ_PAYLOAD), "a frame over the dead-letter limit");
                assertNull(r.value());
            } else {
                assertEquals("included", KafkaClients.header(r, Headers.DLQ_PAYLOAD));
                assertTrue(Arrays.equals(e.getValue(), r.value()), "original bytes kept for " + e.getKey());
            }
            assertEquals("frames", KafkaClients.header(r, Headers.DLQ_TOPIC));
            assertNotNull(KafkaClients.header(r, Headers.DLQ_OFFSET));
            assertTrue(KafkaClients.header(r, Headers.DLQ_EXCEPTION).endsWith("BadImageException"));
        }
        List<ConsumerRecord<String, byte[]>> results = KafkaClients.readUntil(bootstrap(), "classifications", false,
                Duration.ofSeconds(60), l -> l.stream().filter(r -> "dlq-cam".equals(r.key())).count() >= bad.size() + 1);
        assertEquals(bad.size() + 1, results.stream().filter(r -> "dlq-cam".equals(r.key())).count(),
                "the good frames around the bad ones are all answered");
    }

    /**
     * A poison-pill key: 700 KB, copied into a result's key and JSON it would make every result
     * over the topics' 1 MiB limit, a publish that can never succeed. It is dead-lettered as
     * {@code bad-key} with a bounded key, and the camera's frames around it are answered.
     */
    @Test
    void aPoisonPillKeyIsDeadLetteredAndTheStreamGoesOn() throws Exception {
        byte[] good = Images.encoded(40, 40, 6, "png");
        String pill = "pill-" + "k".repeat(700_000);
        try (KafkaProducer<String, byte[]> p = KafkaClients.producer(bootstrap())) {
            p.send(KafkaClients.frame("frames", "pill-cam", 0, good)).get();
            p.send(KafkaClients.frame("frames", pill, 0, good)).get();
            p.send(KafkaClients.frame("frames", "pill-ctl\u0007", 0, good)).get();
            p.send(KafkaClients.frame("frames", "pill-cam", 1, good)).get();
        }
        List<ConsumerRecord<String, byte[]>> dead = KafkaClients.readUntil(bootstrap(), "frames-dlq", false,
                Duration.ofSeconds(60), l -> l.stream().filter(r -> r.key() != null && r.key().startsWith("pill-")).count() >= 2);
        List<ConsumerRecord<String, byte[]>> mine = dead.stream().filter(r -> r.key() != null && r.key().startsWith("pill-")).toList();
        assertEquals(2, mine.size(), "one dead letter per bad key");
        for (ConsumerRecord<String, byte[]> r : mine) {
            MessageSchemas.assertDeadLetter(r);
            assertEquals("bad-key", KafkaClients.header(r, Headers.DLQ_REASON));
            assertTrue(r.key().length() <= 67, "a bounded key, was " + r.key().length() + " characters");
            assertTrue(r.key().chars().noneMatch(Character::isISOControl), "a printable key: " + r.key());
            assertTrue(Arrays.equals(good, r.value()), "the frame's bytes are kept");
        }
        assertTrue(mine.stream().anyMatch(r -> KafkaClients.header(r, Headers.DLQ_MESSAGE).contains("700005 bytes")),
                "the message says how long the key was");
        List<ConsumerRecord<String, byte[]>> results = KafkaClients.readUntil(bootstrap(), "classifications", false,
                Duration.ofSeconds(60), l -> l.stream().filter(x -> "pill-cam".equals(x.key())).count() >= 2);
        assertEquals(2, results.stream().filter(x -> "pill-cam".equals(x.key())).count(), "the frames around the pills");
        assertTrue(results.stream().noneMatch(x -> x.key() != null && x.key().startsWith("pill-k")), "no result for a bad key");
    }

    /**
     * A dead letter the dead-letter topic refuses (its max.message.bytes is below the frame) is
     * sent again without the frame's bytes; the stream goes on and the service stays ready.
     */
    @Test
    void aDeadLetterTheTopicRefusesGoesWithoutItsBytes() throws Exception {
        ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, "frames-dlq");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.incrementalAlterConfigs(Map.of(dlq, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", "200000"), AlterConfigOp.OpType.SET)))).all().get();
            try {
                byte[] good = Images.encoded(40, 40, 5, "png");
                // Under vitstream.limits.dead-letter-max-bytes, so it is sent with its bytes first.
                byte[] big = Images.notAnImage(400_000);
                try (KafkaProducer<String, byte[]> p = KafkaClients.producer(bootstrap())) {
                    p.send(KafkaClients.frame("frames", "refused-cam", 0, good)).get();
                    p.send(KafkaClients.frame("frames", "refused-dlq", 0, big)).get();
                    p.send(KafkaClients.frame("frames", "refused-cam", 1, good)).get();
                }
                List<ConsumerRecord<String, byte[]>> dead = KafkaClients.readUntil(bootstrap(), "frames-dlq", false,
                        Duration.ofSeconds(60), l -> l.stream().anyMatch(r -> "refused-dlq".equals(r.key())));
                List<ConsumerRecord<String, byte[]>> mine = dead.stream().filter(r -> "refused-dlq".equals(r.key())).toList();
                assertEquals(1, mine.size(), "one dead letter for the refused frame");
                ConsumerRecord<String, byte[]> r = mine.get(0);
                MessageSchemas.assertDeadLetter(r);
                assertEquals("not-an-image", KafkaClients.header(r, Headers.DLQ_REASON));
                assertEquals("omitted", KafkaClients.header(r, Headers.DLQ_PAYLOAD));
                assertEquals("400000", KafkaClients.header(r, Headers.DLQ_PAYLOAD_BYTES));
                assertNull(r.value());
                List<ConsumerRecord<String, byte[]>> results = KafkaClients.readUntil(bootstrap(), "classifications", false,
                        Duration.ofSeconds(60), l -> l.stream().filter(x -> "refused-cam".equals(x.key())).count() >= 2);
                assertEquals(2, results.stream().filter(x -> "refused-cam".equals(x.key())).count(),
                        "the frames around the refused dead letter are answered");
                HttpResponse<String> health = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(ready.toURI()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), "still ready: " + health.body());
            } finally {
                admin.incrementalAlterConfigs(Map.of(dlq, List.of(new AlterConfigOp(
                        new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE)))).all().get();
            }
        }
    }
}
