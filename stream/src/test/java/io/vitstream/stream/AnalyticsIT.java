package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.analytics.AnalyticsEvent;
import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.Anchor;
import io.vitstream.analytics.CameraAnalytics;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.Duplicates;
import io.vitstream.analytics.Observation;
import io.vitstream.analytics.TrackerSettings;
import io.vitstream.analytics.sequences.Sequence;
import io.vitstream.analytics.sequences.SequenceGenerator;
import io.vitstream.analytics.sequences.SequenceSettings;
import io.vitstream.analytics.sequences.Sprites;
import io.vitstream.backbone.image.JpegEncoder;
import io.vitstream.results.Detection;
import io.vitstream.results.Event;
import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;
import io.vitstream.results.ResultsJson;
import io.vitstream.stream.kafka.EmbeddedKafka;
import io.vitstream.stream.pipeline.Headers;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Analytics in the packaged service on a real broker, with the demo detector on camera-sized
 * JPEG frames of generated sequences (Fashion-MNIST items crossing the frame):
 *
 * <ul>
 *   <li>exactly-once across a kill -9 mid-sequence: a {@code read_committed} reader sees exactly
 *       the events an uninterrupted tracker gives on the committed detections (none missing, none
 *       twice), with track ids continuing across the restart;</li>
 *   <li>at-least-once across a kill -9: events repeat only for frames of the last batches in flight;</li>
 *   <li>a malformed camera configuration on the topic is dead-lettered and the camera keeps its
 *       lines; {@code GET /analytics/counts}; a malformed line setting stops start-up naming it.</li>
 * </ul>
 */
class AnalyticsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;
    private static final String CONFIG = "{\"lines\": {\"door\": [640, 719, 640, 0]},"
            + " \"zones\": {\"shelf\": [794, 144, 1216, 144, 1216, 612, 794, 612]}}";
    private static final long BASE_TIME = 1_795_300_000_000L;
    /** Two cameras of 90 frames each in the restart tests: a kill a third of the way through. */
    private static final int CAMERAS = 2;
    private static final int PER_CAMERA = 90;
    /** vitstream.analytics.duplicate-iou's default. */
    private static final double DUPLICATE_IOU = 0.3;
    private static EmbeddedKafka kafka;
    private static final Map<Integer, List<byte[]>> FRAMES = new HashMap<>();

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.builder().setDataDir(Path.of("target/analytics-kafka")).optWipe(true).optPartitions(3).build().start();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    /** The JPEG frames of camera {@code c}'s sequence (seed 500 + c), 10 frames/s. */
    private static synchronized List<byte[]> frames(int c, int count) {
        return FRAMES.computeIfAbsent(c * 100_000 + count, k -> {
            SequenceSettings d = SequenceSettings.DEFAULT;
            SequenceSettings s = new SequenceSettings(WIDTH, HEIGHT, count, 10, 3, 0.8, 1.2, 0.15, 0.4, d.noise(),
                    d.occlusionProbability(), d.maxOcclusion(), d.maxOverlap());
            Sequence seq = SequenceGenerator.generate(s, Sprites.bundled(), 500 + c);
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                BufferedImage rgb = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
                rgb.getGraphics().drawImage(seq.render(i), 0, 0, null);
                out.add(JpegEncoder.encode(rgb, 0.9f));
            }
            return out;
        });
    }

    private static Map<String, String> settings(String name, String mode) {
        Map<String, String> s = ServiceProcess.scenario(kafka.bootstrapServers(), name, mode, name + "-tx");
        s.put("vitstream.model.path", "demo");
        s.put("vitstream.model.precision", "fp32");
        s.put("vitstream.topics.heads.dominant", name + "-classifications");
        s.put("vitstream.analytics.dwell", "2s");
        // The killed instance's partitions go to its successor once its session expires: 6 s, not 45.
        s.put("mp.messaging.incoming.frames.session.timeout.ms", "6000");
        s.put("mp.messaging.incoming.frames.heartbeat.interval.ms", "1000");
        return s;
    }

    private static void prepare(String name, int cameras) throws Exception {
        Map<String, Integer> topics = new HashMap<>(ServiceProcess.scenarioTopics(name));
        topics.put(name + "-events", 3);
        kafka.createTopics(topics);
        try (KafkaProducer<String, byte[]> p = KafkaClients.producer(kafka.bootstrapServers())) {
            for (int c = 0; c < cameras; c++) {
                p.send(new ProducerRecord<>(name + "-camera-config", "cam-" + c, CONFIG.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    /** Sends the cameras' frames interleaved, capture time 100 ms apart per camera. */
    private static void produce(String topic, int cameras, int perCamera) {
        try (KafkaProducer<String, byte[]> p = KafkaClients.producer(kafka.bootstrapServers())) {
            for (int i = 0; i < perCamera; i++) {
                for (int c = 0; c < cameras; c++) {
                    ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, "cam-" + c, frames(c, perCamera).get(i));
                    r.headers().add(Headers.CAPTURE_TIME, Long.toString(BASE_TIME + 100L * i).getBytes(StandardCharsets.US_ASCII));
                    r.headers().add(Headers.SEQUENCE, Long.toString(i).getBytes(StandardCharsets.US_ASCII));
                    p.send(r).get();
                }
                Thread.sleep(15);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void exactlyOnceEventsSurviveAKillMidSequence() throws Exception {
        String name = "aeos";
        Map<String, List<String>> published = crashAndRecover(name, "exactly-once", CAMERAS, PER_CAMERA);
        List<ConsumerRecord<String, byte[]>> results = committedResults(name, CAMERAS * PER_CAMERA);
        Map<String, List<String>> expected = replay(results);
        assertTrue(expected.values().stream().mapToLong(List::size).sum() >= 4,
                "the sequences must give events to check: " + expected);
        assertTrue(expected.values().stream().flatMap(List::stream).anyMatch(e -> e.contains("line-cross")), expected.toString());
        assertEquals(expected, published, "committed events = an uninterrupted tracker's on the committed detections");
        System.out.printf("ANALYTICS %s frames=%d events=%d %s%n", name, CAMERAS * PER_CAMERA,
                published.values().stream().mapToLong(List::size).sum(), published.values().stream().flatMap(List::stream)
                        .collect(Collectors.groupingBy(x -> x.split(" ")[1], TreeMap::new, Collectors.counting())));
    }

    @Test
    void atLeastOnceRepeatsEventsOnlyOfTheBatchesInFlight() throws Exception {
        String name = "aalo";
        Map<String, List<String>> published = crashAndRecover(name, "at-least-once", CAMERAS, PER_CAMERA);
        long all = published.values().stream().mapToLong(List::size).sum();
        long distinct = published.values().stream().mapToLong(l -> l.stream().distinct().count()).sum();
        System.out.printf("ANALYTICS %s frames=%d events=%d repeated=%d%n", name, CAMERAS * PER_CAMERA, all, all - distinct);
        // What was repeated: events of the frames after the last checkpoint that reached Kafka,
        // at most vitstream.batch.queued + 1 batches of 4 in flight; nothing more than twice.
        for (Map.Entry<String, List<String>> e : published.entrySet()) {
            Map<String, Long> times = e.getValue().stream().collect(Collectors.groupingBy(x -> x, TreeMap::new, Collectors.counting()));
            List<Long> repeatedFrames = new ArrayList<>();
            times.forEach((event, n) -> {
                assertTrue(n <= 2, "event published " + n + " times: " + event);
                if (n == 2) {
                    repeatedFrames.add(Long.parseLong(event.split(" ")[0]));
                }
            });
            if (!repeatedFrames.isEmpty()) {
                long span = repeatedFrames.stream().max(Long::compare).get() - repeatedFrames.stream().min(Long::compare).get();
                assertTrue(span < 4 * 4 * CAMERAS, "repeated events span " + span + " offsets of camera " + e.getKey());
            }
        }
    }

    /**
     * Runs the service, kills it (kill -9) once about a third of the frames are answered,
     * restarts it and waits for every frame.
     *
     * @return per camera, the events a read_committed reader sees, each as "offset type track label name direction counts"
     */
    private Map<String, List<String>> crashAndRecover(String name, String mode, int cameras, int perCamera) throws Exception {
        prepare(name, cameras);
        frames(0, perCamera);
        frames(1, perCamera);
        Path log = ServiceProcess.freshLog(name);
        int total = CAMERAS * PER_CAMERA;
        boolean committed = mode.equals("exactly-once");
        try (ServiceProcess first = ServiceProcess.start(settings(name, mode), log)) {
            first.awaitStarted(90);
            Thread producer = new Thread(() -> produce(name + "-frames", cameras, perCamera));
            producer.start();
            KafkaClients.readUntil(kafka.bootstrapServers(), name + "-detections", committed, Duration.ofSeconds(120),
                    l -> l.size() >= total / 3);
            first.crash();
            producer.join();
            int before = distinctFrames(KafkaClients.readAll(kafka.bootstrapServers(), name + "-detections", committed,
                    Duration.ofSeconds(10)));
            assertTrue(before < total, "the kill must come mid-sequence: all " + total + " answered before it");
        }
        try (ServiceProcess second = ServiceProcess.start(settings(name, mode), log)) {
            second.awaitStarted(90);
            List<ConsumerRecord<String, byte[]>> all = KafkaClients.readUntil(kafka.bootstrapServers(), name + "-detections",
                    committed, Duration.ofSeconds(180), l -> distinctFrames(l) >= total);
            assertEquals(total, distinctFrames(all), "every frame answered; log:\n" + second.tail());
            Thread.sleep(2000);
            assertTrue(Files.readString(log).contains("continued from their checkpoint"), "state read back at the restart");
        }
        Map<String, List<String>> events = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : KafkaClients.readAll(kafka.bootstrapServers(), name + "-events", committed,
                Duration.ofSeconds(20))) {
            Event e = ResultsJson.readEvent(r.value());
            MessageSchemas.assertEvent(r);
            assertEquals(r.key(), e.camera());
            events.computeIfAbsent(e.camera(), k -> new ArrayList<>()).add(describe(e.frame().offset(), e.type(), e.trackId(),
                    e.label(), e.line() != null ? e.line() : e.zone(), e.direction(), e.counts()));
        }
        return events;
    }

    private static List<ConsumerRecord<String, byte[]>> committedResults(String name, int total) {
        List<ConsumerRecord<String, byte[]>> results = KafkaClients.readAll(kafka.bootstrapServers(), name + "-detections", true,
                Duration.ofSeconds(20));
        assertEquals(total, results.size(), "one committed result per frame");
        return results;
    }

    /** The events an uninterrupted tracker gives on the committed detections, camera by camera in frame order. */
    private static Map<String, List<String>> replay(List<ConsumerRecord<String, byte[]>> results) {
        AnalyticsSettings settings = new AnalyticsSettings(TrackerSettings.DEFAULT, Duration.ofSeconds(2), Anchor.BOTTOM_CENTER,
                AnalyticsSettings.DEFAULT.lineTolerance());
        Map<String, List<FrameResult>> byCamera = new TreeMap<>();
        results.stream().map(r -> ResultsJson.read(r.value())).forEach(r -> byCamera.computeIfAbsent(r.camera(), k -> new ArrayList<>()).add(r));
        Map<String, List<String>> out = new TreeMap<>();
        byCamera.forEach((camera, frames) -> {
            frames.sort(Comparator.comparingLong(f -> f.frame().offset()));
            CameraAnalytics a = new CameraAnalytics(CameraConfig.fromJson(CONFIG), settings);
            for (FrameResult f : frames) {
                List<Detection> dets = ((HeadResult.Detections) f.result()).detections();
                List<Observation> all = dets.stream().map(d -> new Observation(d.box().x1(), d.box().y1(), d.box().x2(),
                        d.box().y2(), d.score(), d.labelId(), d.label())).toList();
                List<Integer> kept = Duplicates.kept(all, DUPLICATE_IOU);
                CameraAnalytics.Outcome o = a.update(kept.stream().map(all::get).toList(), f.frame().captureTimeMs());
                long[] mine = new long[dets.size()];
                for (int k = 0; k < kept.size(); k++) {
                    mine[kept.get(k)] = o.trackIds()[k];
                }
                for (int i = 0; i < dets.size(); i++) {
                    assertEquals(mine[i] == 0 ? null : mine[i], dets.get(i).trackId(), "track id of detection " + i + " at " + f.frame().offset());
                }
                for (AnalyticsEvent e : o.events()) {
                    out.computeIfAbsent(camera, k -> new ArrayList<>()).add(describe(f.frame().offset(), e.type(), e.trackId(), e.label(),
                            e.line() != null ? e.line() : e.zone(), e.direction(), e.counts()));
                }
            }
        });
        return out;
    }

    private static String describe(long offset, String type, long track, String label, String name, String direction,
            Map<String, Map<String, Long>> counts) {
        return offset + " " + type + " " + track + " " + label + " " + name + " " + direction + " " + new TreeMap<>(counts);
    }

    private static int distinctFrames(List<ConsumerRecord<String, byte[]>> records) {
        return (int) records.stream().map(r -> r.partition() + "@" + ResultsJson.read(r.value()).frame().offset()).distinct().count();
    }

    @Test
    void aBadCameraConfigIsDeadLetteredAndTheCameraKeepsItsLines() throws Exception {
        String name = "acfg";
        prepare(name, 1);
        try (KafkaProducer<String, byte[]> p = KafkaClients.producer(kafka.bootstrapServers())) {
            // a bow tie: its edges (0,0)-(100,100) and (100,0)-(0,100) cross
            p.send(new ProducerRecord<>(name + "-camera-config", "cam-0",
                    "{\"zones\": {\"tie\": [0, 0, 100, 100, 100, 0, 0, 100]}}".getBytes(StandardCharsets.UTF_8))).get();
            p.send(new ProducerRecord<>(name + "-camera-config", "cam-0", "not json".getBytes(StandardCharsets.UTF_8))).get();
        }
        Path log = ServiceProcess.freshLog(name);
        try (ServiceProcess service = ServiceProcess.start(settings(name, "at-least-once"), log)) {
            service.awaitStarted(90);
            List<ConsumerRecord<String, byte[]>> dead = KafkaClients.readUntil(kafka.bootstrapServers(), name + "-dlq", false,
                    Duration.ofSeconds(30), l -> l.size() >= 2);
            assertEquals(2, dead.size(), "both bad values dead-lettered; log:\n" + service.tail());
            for (ConsumerRecord<String, byte[]> d : dead) {
                assertEquals("cam-0", d.key());
                assertEquals("bad-camera-config", KafkaClients.header(d, Headers.DLQ_REASON));
                assertEquals(name + "-camera-config", KafkaClients.header(d, Headers.DLQ_TOPIC));
                MessageSchemas.assertDeadLetter(d);
            }
            String messages = dead.stream().map(d -> KafkaClients.header(d, Headers.DLQ_MESSAGE)).collect(Collectors.joining("\n"));
            assertTrue(messages.contains("zone 'tie'") && messages.contains("crosses itself"), messages);
            assertTrue(messages.contains("JSON"), messages);
            assertTrue(messages.contains("keeps its previous configuration"), messages);

            produce(name + "-frames", 1, 40);
            KafkaClients.readUntil(kafka.bootstrapServers(), name + "-detections", false, Duration.ofSeconds(60), l -> l.size() >= 40);
            HttpResponse<String> counts = ServiceProcess.get(service.uri("/analytics/counts?camera=cam-0"));
            assertEquals(200, counts.statusCode(), counts.body());
            JsonNode json = JSON.readTree(counts.body());
            assertEquals("cam-0", json.get("camera").asText());
            assertTrue(json.at("/config/lines/door").isArray(), "the lines of the good configuration: " + counts.body());
            assertFalse(json.at("/config/zones").has("tie"), counts.body());
            assertTrue(json.at("/counts/lines").has("door"), counts.body());
            HttpResponse<String> unknown = ServiceProcess.get(service.uri("/analytics/counts?camera=nobody"));
            assertEquals(404, unknown.statusCode());
            assertTrue(unknown.body().contains("nobody") && unknown.body().contains("cam-0"), unknown.body());

            // fixed on the topic: taken without a restart
            try (KafkaProducer<String, byte[]> p = KafkaClients.producer(kafka.bootstrapServers())) {
                p.send(new ProducerRecord<>(name + "-camera-config", "cam-0",
                        "{\"lines\": {\"exit\": [0, 360, 1280, 360]}}".getBytes(StandardCharsets.UTF_8))).get();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String body = "";
            while (System.nanoTime() < deadline && !body.contains("\"exit\"")) {
                produce(name + "-frames", 1, 4);
                Thread.sleep(500);
                body = ServiceProcess.get(service.uri("/analytics/counts?camera=cam-0")).body();
            }
            assertTrue(body.contains("\"exit\"") && !JSON.readTree(body).at("/config/lines").has("door"), body);
        }
        // the dead letters are not written again by a restart, which reads the topic from its start
        try (ServiceProcess again = ServiceProcess.start(settings(name, "at-least-once"), log)) {
            again.awaitStarted(90);
            Thread.sleep(3000);
            assertEquals(2, KafkaClients.readAll(kafka.bootstrapServers(), name + "-dlq", false, Duration.ofSeconds(10)).size());
        }
    }

    @Test
    void aMalformedLineSettingStopsStartUpNamingIt() throws Exception {
        String name = "abad";
        prepare(name, 0);
        Path log = ServiceProcess.freshLog(name);
        Map<String, String> s = settings(name, "at-least-once");
        s.put("vitstream.analytics.cameras.cam-7.lines.door", "10,20,30");
        try (ServiceProcess refused = ServiceProcess.start(s, log)) {
            int code = refused.awaitExit(90);
            assertTrue(code > 0, "start-up must fail, exit code " + code + "; log:\n" + refused.tail());
            String text = Files.readString(log);
            assertTrue(text.contains("vitstream.analytics.cameras.cam-7.lines.door"), "names the setting:\n" + refused.tail());
        }
    }
}
