package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.results.FrameResult;
import io.vitstream.stream.kafka.EmbeddedKafka;
import io.vitstream.stream.pipeline.Retries;
import io.vitstream.stream.pipeline.Headers;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kill the packaged service in the middle of a stream (kill -9, no shutdown hooks) and start it
 * again: at-least-once gives every frame a result; exactly-once gives a {@code read_committed}
 * reader exactly one result per frame and head. The broker is a real one owned by the test, so
 * it survives the service.
 *
 * <p>Mid-stream there is also one bad frame whose dead letter the dead-letter topic refuses as
 * too large (its {@code max.message.bytes} is set below the frame): it must be dead-lettered
 * without its bytes (once, in exactly-once mode) and must not stall the frames after it.
 *
 * <p>The model-failure tests make the first model passes throw
 * ({@code vitstream-internal.fault.model-failures}) and check what each mode promises then.
 */
class RestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafka kafka;
    /** The dead-letter topic's record limit in these tests. */
    private static final int DLQ_TOPIC_LIMIT = 200_000;
    /** A bad frame under vitstream.limits.dead-letter-max-bytes but over the topic's limit. */
    private static final int REFUSED_BYTES = 400_000;
    private static final String REFUSED_CAMERA = "cam-refused";

    @BeforeAll
    static void broker() {
        TestModel.write(Path.of("target/it-model"));
        kafka = EmbeddedKafka.builder().setDataDir(Path.of("target/it-kafka")).optWipe(true).optPartitions(3).build().start();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void atLeastOnceAnswersEveryFrameAcrossACrash() throws Exception {
        Map<String, Integer> seen = crashAndRecover("at-least-once", "alo", false);
        seen.values().forEach(n -> assertTrue(n >= 1));
    }

    @Test
    void exactlyOnceGivesOneCommittedResultPerFrameAcrossACrash() throws Exception {
        Map<String, Integer> seen = crashAndRecover("exactly-once", "eos", true);
        seen.forEach((frame, n) -> assertEquals(1, n, "committed results for " + frame));
    }

    @Test
    void atLeastOnceSigtermMidStreamLosesNothing() throws Exception {
        Map<String, Integer> seen = stopAndRecover("at-least-once", "talo", false, true);
        seen.values().forEach(n -> assertTrue(n >= 1));
    }

    @Test
    void exactlyOnceSigtermMidStreamGivesOneResultPerFrame() throws Exception {
        Map<String, Integer> seen = stopAndRecover("exactly-once", "teos", true, true);
        seen.forEach((frame, n) -> assertEquals(1, n, "committed results for " + frame));
    }

    /**
     * Exactly-once: the first four model passes fail (fault injection): the first batch fails all
     * its tries, so the consumer is rewound and the frames come back; their next pass fails once
     * more and is retried in place. A {@code read_committed} reader still sees one result per
     * frame and none is skipped by a later commit.
     */
    @Test
    void exactlyOnceRetriesTheFramesAModelFailureHit() throws Exception {
        String name = "feos";
        Path log = prepare(name);
        Map<String, String> settings = settings(name, "exactly-once");
        settings.put("vitstream-internal.fault.model-failures", String.valueOf(Retries.DEFAULT.attempts() + 1));
        try (ServiceProcess service = ServiceProcess.start(settings, log)) {
            service.awaitStarted(90);
            produce(name + "-frames", 3, 8, new AtomicInteger());
            List<ConsumerRecord<String, byte[]>> results = KafkaClients.readUntil(kafka.bootstrapServers(),
                    name + "-classifications", true, Duration.ofSeconds(90), l -> distinct(l).size() >= 24);
            assertEquals(24, distinct(results).size(), "every frame answered; service log:\n" + service.tail());
            Thread.sleep(3000);
            distinct(KafkaClients.readUntil(kafka.bootstrapServers(), name + "-classifications", true, Duration.ofSeconds(5),
                    l -> false)).forEach((frame, n) -> assertEquals(1, n, "committed results for " + frame));
            String text = Files.readString(log);
            assertEquals(1, count(text, "consuming again from the last commit in"), "one batch failed every try: one rewind");
            assertEquals(Retries.DEFAULT.attempts(), count(text, "trying again in"), "tries retried in place");
        }
    }

    /**
     * Exactly-once with a model that keeps failing: the stream rewinds and retries without end,
     * so the model's own liveness check is what turns {@code /q/health/live} DOWN (and lets
     * Kubernetes restart the pod).
     */
    @Test
    void exactlyOnceWithAPersistentModelFaultIsNotLive() throws Exception {
        String name = "peos";
        Path log = prepare(name);
        Map<String, String> settings = settings(name, "exactly-once");
        settings.put("vitstream-internal.fault.model-failures", "1000000");
        try (ServiceProcess service = ServiceProcess.start(settings, log)) {
            service.awaitStarted(90);
            URI live = service.uri("/q/health/live");
            assertEquals(200, status(live), "live before any frame");
            produce(name + "-frames", 2, 2, new AtomicInteger());
            HttpResponse<String> health = awaitStatus(live, 503, Duration.ofSeconds(60));
            assertEquals(503, health.statusCode(), "liveness under a persistent model fault; log:\n" + service.tail());
            assertTrue(health.body().replaceAll("\\s", "").contains("\"name\":\"vitstream-model-passes\",\"status\":\"DOWN\""),
                    "the model check is what is down: " + health.body());
        }
    }

    /** Settings that do not parse stop start-up, and the log names each key and value. */
    @Test
    void badSettingsStopStartAndAreNamed() throws Exception {
        String name = "badcfg";
        Path log = Path.of("target/" + name + "-service.log");
        Files.deleteIfExists(log);
        Map<String, String> settings = settings(name, "twice");
        settings.put("vitstream.model.precision", "fp64");
        settings.put("vitstream.decode.mode", "slow");
        settings.put("vitstream.model.device", "tpu");
        try (ServiceProcess refused = ServiceProcess.start(settings, log)) {
            int code = refused.awaitExit(90);
            assertTrue(code > 0, "start-up must fail, exit code " + code + "; log:\n" + refused.tail());
            String text = Files.readString(log);
            for (String[] kv : new String[][] {{"vitstream.delivery.mode", "twice"}, {"vitstream.model.precision", "fp64"},
                    {"vitstream.decode.mode", "slow"}, {"vitstream.model.device", "tpu"}}) {
                assertTrue(text.contains(kv[0]) && text.contains(kv[1]), kv[0] + "=" + kv[1] + " is named:\n" + text);
            }
        }
    }

    /**
     * Output topics that do not exist at start are created (the broker's auto-creation is not
     * relied on: producers in a transaction would otherwise fail on them), or, with
     * {@code vitstream.topics.create-missing=false}, start-up stops and names them.
     */
    @Test
    void missingTopicsAreCreatedAtStartOrNamed() throws Exception {
        String name = "miss";
        kafka.createTopics(Map.of(name + "-frames", 3));
        Path log = Path.of("target/" + name + "-service.log");
        Files.deleteIfExists(log);
        Map<String, String> settings = settings(name, "exactly-once");
        settings.put("vitstream.topics.create-missing", "false");
        try (ServiceProcess refused = ServiceProcess.start(settings, log)) {
            int code = refused.awaitExit(90);
            assertTrue(code > 0, "start-up must fail, exit code " + code + "; log:\n" + refused.tail());
            String text = Files.readString(log);
            assertTrue(text.contains("vitstream.topics.create-missing is false") && text.contains(name + "-classifications")
                    && text.contains(name + "-dlq"), "the log names the missing topics:\n" + refused.tail());
        }
        settings.remove("vitstream.topics.create-missing");
        try (ServiceProcess service = ServiceProcess.start(settings, log);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            service.awaitStarted(90);
            var topics = admin.describeTopics(List.of(name + "-classifications", name + "-detections", name + "-dlq"))
                    .allTopicNames().get();
            topics.values().forEach(t -> assertEquals(3, t.partitions().size(), t.name() + ": vitstream.topics.partitions"));
            produce(name + "-frames", 2, 2, new AtomicInteger());
            assertEquals(4, distinct(KafkaClients.readUntil(kafka.bootstrapServers(), name + "-classifications", true,
                    Duration.ofSeconds(60), l -> distinct(l).size() >= 4)).size(), "answered on the created topic");
        }
    }

    /**
     * Two exactly-once instances started without {@code HOSTNAME} and without a transactional id
     * of their own: each gets an id unique to its process, so neither fences the other, both
     * consume their partitions and a {@code read_committed} reader sees every frame once.
     */
    @Test
    void twoInstancesWithoutHostnameGetTheirOwnTransactionalIds() throws Exception {
        String name = "twin";
        Path log1 = prepare(name);
        Path log2 = Path.of("target/" + name + "-2-service.log");
        Files.deleteIfExists(log2);
        Map<String, String> settings = settings(name, "exactly-once");
        settings.remove("mp.messaging.outgoing.results-tx.transactional.id");
        try (ServiceProcess one = ServiceProcess.start(settings, log1, java.util.Set.of("HOSTNAME"));
                ServiceProcess two = ServiceProcess.start(settings, log2, java.util.Set.of("HOSTNAME"))) {
            one.awaitStarted(90);
            two.awaitStarted(90);
            produce(name + "-frames", 3, 8, new AtomicInteger());
            Map<String, Integer> seen = distinct(KafkaClients.readUntil(kafka.bootstrapServers(), name + "-classifications", true,
                    Duration.ofSeconds(120), l -> distinct(l).size() >= 24));
            assertEquals(24, seen.size(), "every frame answered; logs:\n" + one.tail() + "\n---\n" + two.tail());
            Thread.sleep(3000);
            distinct(KafkaClients.readUntil(kafka.bootstrapServers(), name + "-classifications", true, Duration.ofSeconds(5),
                    l -> false)).forEach((frame, n) -> assertEquals(1, n, "committed results for " + frame));
            String id1 = transactionalId(Files.readString(log1));
            String id2 = transactionalId(Files.readString(log2));
            assertTrue(id1.startsWith("vitstream-") && !id1.equals("vitstream-local"), id1);
            assertTrue(!id1.equals(id2), "two processes, two ids: " + id1 + ", " + id2);
            for (Path log : List.of(log1, log2)) {
                assertTrue(!Files.readString(log).contains("ProducerFencedException"), "fenced:\n" + Files.readString(log));
            }
        }
    }

    private static String transactionalId(String log) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("transactional id (\\S+) \\(unique").matcher(log);
        assertTrue(m.find(), "the id is logged");
        return m.group(1);
    }

    /**
     * Exactly-once with results larger than their topic takes. Set before start, the limit is
     * read at start and each such result is dead-lettered as {@code result-too-large} at once;
     * raised, it is read again within {@code vitstream.topics.limits-refresh}; lowered while
     * running, either that read or a refused (aborted) transaction makes the retry dead-letter
     * them. Either way every frame is answered exactly once (a result or its
     * dead letter), the other head's results flow, and the service stays live.
     */
    @Test
    void exactlyOnceDeadLettersResultsTheirTopicCannotTake() throws Exception {
        String name = "big";
        Path log = prepare(name);
        String results = name + "-classifications";
        topicConfig(results, "max.message.bytes", "300");
        Map<String, String> settings = settings(name, "exactly-once");
        settings.put("vitstream.topics.limits-refresh", "1s");
        try (ServiceProcess service = ServiceProcess.start(settings, log)) {
            service.awaitStarted(90);
            try (KafkaProducer<String, byte[]> p = KafkaClients.producer(kafka.bootstrapServers())) {
                for (int i = 0; i < 4; i++) {
                    p.send(KafkaClients.frame(name + "-frames", "cam-early", i, Images.encoded(48, 48, i, "png"))).get();
                }
            }
            assertTooLarge(name, 4, service);

            // Room again (noticed within a second): results flow; then the limit drops while the
            // service runs (noticed by the next read or by a refused transaction).
            topicConfig(results, "max.message.bytes", null);
            Thread.sleep(3000);
            try (KafkaProducer<String, byte[]> p = KafkaClients.producer(kafka.bootstrapServers())) {
                for (int i = 0; i < 4; i++) {
                    p.send(KafkaClients.frame(name + "-frames", "cam-late", i, Images.encoded(48, 48, i, "png"))).get();
                    if (i == 1) {
                        KafkaClients.readUntil(kafka.bootstrapServers(), results, true, Duration.ofSeconds(60),
                                l -> distinct(l).size() >= 2);
                        topicConfig(results, "max.message.bytes", "300");
                    }
                }
            }
            Map<String, Integer> answered = distinct(KafkaClients.readUntil(kafka.bootstrapServers(), results, true,
                    Duration.ofSeconds(5), l -> false));
            List<ConsumerRecord<String, byte[]>> dead = assertTooLarge(name, 4 + 2, service);
            assertEquals(2, dead.stream().filter(d -> d.key().equals("cam-late")).count(), "the two late frames after the drop");
            assertEquals(2, answered.size(), "the two late frames before the drop have results: " + answered);
            assertEquals(200, status(service.uri("/q/health/live")), "live throughout");
            Map<String, Integer> detections = distinct(KafkaClients.readUntil(kafka.bootstrapServers(), name + "-detections",
                    true, Duration.ofSeconds(60), l -> distinct(l).size() >= 8));
            assertEquals(8, detections.size(), "the other head answers every frame");
            detections.forEach((frame, n) -> assertEquals(1, n, frame + " detections once"));
        }
    }

    /**
     * Waits for {@code n} committed {@code result-too-large} dead letters and checks them: one
     * per frame, without the frame's bytes, valid headers.
     */
    private static List<ConsumerRecord<String, byte[]>> assertTooLarge(String name, int n, ServiceProcess service)
            throws IOException {
        List<ConsumerRecord<String, byte[]>> dead = KafkaClients.readUntil(kafka.bootstrapServers(), name + "-dlq", true,
                Duration.ofSeconds(90), l -> l.size() >= n);
        assertEquals(n, dead.size(), "one dead letter per frame whose result is too large: " + dead.stream()
                .map(d -> d.key() + "@" + KafkaClients.header(d, Headers.DLQ_OFFSET)).toList() + "; log:\n" + service.tail());
        Map<String, Integer> perFrame = new HashMap<>();
        for (ConsumerRecord<String, byte[]> d : dead) {
            assertEquals("result-too-large", KafkaClients.header(d, Headers.DLQ_REASON));
            assertEquals("omitted", KafkaClients.header(d, Headers.DLQ_PAYLOAD));
            assertNull(d.value());
            MessageSchemas.assertDeadLetter(d);
            perFrame.merge(KafkaClients.header(d, Headers.DLQ_PARTITION) + "@" + KafkaClients.header(d, Headers.DLQ_OFFSET), 1,
                    Integer::sum);
        }
        perFrame.forEach((frame, k) -> assertEquals(1, k, "dead letters of " + frame));
        return dead;
    }

    /** Sets (or with {@code null} removes) a topic setting. */
    private static void topicConfig(String topic, String key, String value) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            AlterConfigOp op = value == null ? new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE)
                    : new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(op))).all().get();
        }
    }

    /**
     * At-least-once: a batch whose every model pass fails stops consumption with nothing past
     * the failed frames committed, and the liveness check says so (Kubernetes then restarts the
     * pod). The restarted service meets one more failure, which is retried in place, and answers
     * every frame.
     */
    @Test
    void atLeastOnceReportsAModelFailureAndARestartAnswersEveryFrame() throws Exception {
        String name = "falo";
        Path log = prepare(name);
        Map<String, String> settings = settings(name, "at-least-once");
        Map<String, String> faulty = new HashMap<>(settings);
        faulty.put("vitstream-internal.fault.model-failures", String.valueOf(Retries.DEFAULT.attempts()));
        try (ServiceProcess service = ServiceProcess.start(faulty, log)) {
            service.awaitStarted(90);
            URI live = service.uri("/q/health/live");
            assertEquals(200, status(live), "live before the failure");
            produce(name + "-frames", 3, 8, new AtomicInteger());
            int code = awaitStatus(live, 503, Duration.ofSeconds(60)).statusCode();
            assertEquals(503, code, "liveness after a model failure; service log:\n" + service.tail());
            assertTrue(Files.readString(log).contains("injected model failure"));
            service.stop();
        }
        Map<String, String> transient1 = new HashMap<>(settings);
        transient1.put("vitstream-internal.fault.model-failures", "1");
        try (ServiceProcess service = ServiceProcess.start(transient1, log)) {
            service.awaitStarted(90);
            List<ConsumerRecord<String, byte[]>> results = KafkaClients.readUntil(kafka.bootstrapServers(),
                    name + "-classifications", false, Duration.ofSeconds(90), l -> distinct(l).size() >= 24);
            assertEquals(24, distinct(results).size(), "every frame answered after the restart; log:\n" + service.tail());
            assertTrue(service.tail().contains("(try 1 of " + Retries.DEFAULT.attempts() + ")"), "the transient failure was retried");
            assertEquals(200, status(service.uri("/q/health/live")),
                    "a retried failure leaves the service live");
        }
    }

    private static HttpResponse<String> awaitStatus(URI uri, int wanted, Duration timeout) throws IOException, InterruptedException {
        return ServiceProcess.awaitStatus(uri, wanted, timeout);
    }

    private static int status(URI uri) throws IOException, InterruptedException {
        return get(uri).statusCode();
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return ServiceProcess.get(uri);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }

    /** Creates a scenario's topics (3 partitions each) and returns its service log, emptied. */
    private static Path prepare(String name) throws IOException {
        kafka.createTopics(ServiceProcess.scenarioTopics(name));
        return ServiceProcess.freshLog(name);
    }

    /** The service's settings for one scenario: its own topics, group and transactional id on the test's broker. */
    private static Map<String, String> settings(String name, String mode) {
        return ServiceProcess.scenario(kafka.bootstrapServers(), name, mode, name + "-tx");
    }

    /**
     * Streams frames under 4 cameras, crashes the service after some results, restarts it and
     * waits for every frame's result.
     *
     * @return results per frame ({@code camera#sequence}) on the classifications topic
     */
    private Map<String, Integer> crashAndRecover(String mode, String name, boolean readCommitted) throws Exception {
        return stopAndRecover(mode, name, readCommitted, false);
    }

    /**
     * As {@link #crashAndRecover}, the first service stopped with SIGTERM ({@code graceful}) or
     * kill -9. A SIGTERM lands while frames flow, so usually during a batch: the service must
     * finish the pass, publish, commit and close the model after it (no native crash), and exit
     * normally.
     */
    private Map<String, Integer> stopAndRecover(String mode, String name, boolean readCommitted, boolean graceful) throws Exception {
        String frames = name + "-frames";
        String out = name + "-classifications";
        String dlq = name + "-dlq";
        Path log = prepare(name);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, dlq), List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", String.valueOf(DLQ_TOPIC_LIMIT)), AlterConfigOp.OpType.SET))))
                    .all().get();
        }
        Map<String, String> settings = settings(name, mode);

        int cameras = 4;
        int perCamera = 40;
        int total = cameras * perCamera;
        try (ServiceProcess first = ServiceProcess.start(settings, log)) {
            first.awaitStarted(90);
            AtomicInteger sent = new AtomicInteger();
            Thread producer = new Thread(() -> produce(frames, cameras, perCamera, sent));
            producer.start();
            KafkaClients.readUntil(kafka.bootstrapServers(), out, readCommitted, Duration.ofSeconds(60), l -> l.size() >= 20);
            if (graceful) {
                int code = first.stop();
                String text = Files.readString(log);
                assertTrue(code == 0 || code == 143, "exit code " + code + " after SIGTERM:\n" + first.tail());
                assertTrue(text.contains("stopped in"), "graceful shutdown logged:\n" + first.tail());
                assertTrue(!text.contains("SIGSEGV") && !text.contains("A fatal error has been detected"),
                        "no native crash at shutdown:\n" + first.tail());
            } else {
                first.crash();
            }
            producer.join();
            assertEquals(total, sent.get());
            int beforeRestart = distinct(KafkaClients.readUntil(kafka.bootstrapServers(), out, readCommitted,
                    Duration.ofSeconds(3), l -> false)).size();
            assertTrue(beforeRestart < total, "the crash must happen mid-stream, but all " + total + " were answered");
        }
        try (ServiceProcess second = ServiceProcess.start(settings, log)) {
            second.awaitStarted(90);
            List<ConsumerRecord<String, byte[]>> results = KafkaClients.readUntil(kafka.bootstrapServers(), out, readCommitted,
                    Duration.ofSeconds(120), l -> distinct(l).size() >= total);
            Map<String, Integer> perFrame = distinct(results);
            assertEquals(total, perFrame.size(), "every frame answered; service log:\n" + second.tail());
            // Let stragglers arrive before counting duplicates.
            Thread.sleep(3000);
            int code = second.stop();
            // A JVM ended by SIGTERM exits with 128 + 15 even after a clean shutdown.
            assertTrue(code == 0 || code == 143, "exit code " + code);
            assertTrue(second.tail().contains("stopped in"), "graceful shutdown logged:\n" + second.tail());
            List<ConsumerRecord<String, byte[]>> dead = KafkaClients.readUntil(kafka.bootstrapServers(), dlq, readCommitted,
                    Duration.ofSeconds(5), l -> false);
            assertTrue(dead.size() >= 1, "the refused frame is dead-lettered");
            if (readCommitted) {
                assertEquals(1, dead.size(), "one committed dead letter");
            }
            for (ConsumerRecord<String, byte[]> d : dead) {
                assertEquals(REFUSED_CAMERA, d.key());
                assertEquals("omitted", KafkaClients.header(d, Headers.DLQ_PAYLOAD), "sent without the bytes the topic refused");
                assertEquals(String.valueOf(REFUSED_BYTES), KafkaClients.header(d, Headers.DLQ_PAYLOAD_BYTES));
                assertNull(d.value());
                MessageSchemas.assertDeadLetter(d);
            }
            return distinct(KafkaClients.readUntil(kafka.bootstrapServers(), out, readCommitted, Duration.ofSeconds(10),
                    l -> false));
        }
    }

    private static void produce(String topic, int cameras, int perCamera, AtomicInteger sent) {
        try (KafkaProducer<String, byte[]> p = KafkaClients.producer(kafka.bootstrapServers())) {
            for (int i = 0; i < perCamera; i++) {
                for (int c = 0; c < cameras; c++) {
                    p.send(KafkaClients.frame(topic, "cam-" + c, i, Images.encoded(48, 48, i + c, "png"))).get();
                    sent.incrementAndGet();
                }
                if (i == perCamera / 2) {
                    p.send(KafkaClients.frame(topic, REFUSED_CAMERA, 0, Images.notAnImage(REFUSED_BYTES))).get();
                }
                Thread.sleep(25);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Integer> distinct(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Integer> n = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                FrameResult fr = JSON.readValue(r.value(), FrameResult.class);
                n.merge(fr.camera() + "#" + fr.frame().sequence(), 1, Integer::sum);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return n;
    }
}
