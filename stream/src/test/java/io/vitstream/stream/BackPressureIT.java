package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.results.FrameResult;
import io.vitstream.stream.kafka.EmbeddedKafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * At-least-once with the output broker away: frames come in on one broker, results go to
 * another, and that one is stopped mid-stream. The service holds at most
 * {@code vitstream.delivery.max-bytes-in-flight} of frames waiting for acknowledgements and
 * stops consuming there; when the broker is back every frame is answered.
 */
class BackPressureIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "bp";
    private static final int FRAME_BYTES = 200_000;
    private static final long BOUND = 1_000_000;
    private static EmbeddedKafka in;
    private static EmbeddedKafka out;
    private static int outPort;

    @BeforeAll
    static void brokers() throws IOException {
        TestModel.write(Path.of("target/it-model"));
        in = EmbeddedKafka.builder().setDataDir(Path.of("target/bp-in-kafka")).optWipe(true).optPartitions(1).build().start();
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            outPort = s.getLocalPort();
        }
        out = output(true);
        in.createTopics(Map.of(NAME + "-frames", 1));
        out.createTopics(Map.of(NAME + "-classifications", 1, NAME + "-detections", 1, NAME + "-dlq", 1));
    }

    /** The results' broker, on the same port and folder each time. */
    private static EmbeddedKafka output(boolean wipe) {
        return EmbeddedKafka.builder().setDataDir(Path.of("target/bp-out-kafka")).optPort(outPort).optWipe(wipe)
                .optPartitions(1).build().start();
    }

    @AfterAll
    static void close() {
        if (out != null) {
            out.close();
        }
        in.close();
    }

    @Test
    void atLeastOnceHoldsTheBoundWhileTheOutputBrokerIsAwayAndLosesNothing() throws Exception {
        Path log = Path.of("target/" + NAME + "-service.log");
        Files.deleteIfExists(log);
        Map<String, String> settings = ServiceProcess.scenario(in.bootstrapServers(), NAME, "at-least-once", NAME + "-tx");
        settings.put("mp.messaging.outgoing.results.bootstrap.servers", out.bootstrapServers());
        settings.put("vitstream.delivery.max-bytes-in-flight", String.valueOf(BOUND));
        String results = out.bootstrapServers();
        int before = 4;
        int during = 40;
        try (ServiceProcess service = ServiceProcess.start(settings, log);
                KafkaProducer<String, byte[]> camera = KafkaClients.producer(in.bootstrapServers())) {
            service.awaitStarted(90);
            for (int i = 0; i < before; i++) {
                camera.send(frame(i)).get();
            }
            assertEquals(before, answered(results, before, Duration.ofSeconds(60)).size(), "answered before the outage");
            double consumedBefore = metric(service, "vitstream_frames_consumed_total");

            out.close();
            out = null;
            for (int i = before; i < before + during; i++) {
                camera.send(frame(i)).get();
            }
            // 40 frames of 200 kB are 8 MB; the bound is 1 MB. Watch for 15 s.
            long most = 0;
            for (int t = 0; t < 30; t++) {
                Thread.sleep(500);
                most = Math.max(most, (long) metric(service, "vitstream_in_flight_bytes"));
            }
            double consumed = metric(service, "vitstream_frames_consumed_total") - consumedBefore;
            assertTrue(most > 0 && most <= BOUND, "bytes in flight while the broker is away: " + most);
            // In flight: at most one 4-frame poll batch (800 kB, a second one would pass 1 MB),
            // plus one more batch being processed when the bound is hit.
            assertTrue(consumed <= 8, consumed + " of " + during + " frames taken while results could not be delivered;"
                    + " log:\n" + service.tail());
            assertTrue(Files.readString(log).contains("consumption paused"), "the pause is logged");

            out = output(false);
            Set<String> all = answered(results, before + during, Duration.ofSeconds(180));
            assertEquals(before + during, all.size(), "every frame answered once the broker is back; log:\n" + service.tail());
            assertEquals(200, ServiceProcess.get(service.uri("/q/health/live")).statusCode(), "live throughout");
        }
    }

    /** A 256x256 PNG of random pixels: about 197 kB, as noise does not compress. */
    private static org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> frame(int i) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(256, 256, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(i);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                img.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        try (java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream()) {
            javax.imageio.ImageIO.write(img, "png", bytes);
            assertTrue(bytes.size() > FRAME_BYTES * 9 / 10 && bytes.size() < FRAME_BYTES, "frame size " + bytes.size());
            return KafkaClients.frame(NAME + "-frames", "cam-" + (i % 2), i, bytes.toByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Distinct frames ({@code camera#sequence}) with a classification result, read until {@code n} or the timeout. */
    private static Set<String> answered(String bootstrap, int n, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> got = KafkaClients.readUntil(bootstrap, NAME + "-classifications", false, timeout,
                l -> distinct(l).size() >= n);
        return distinct(got);
    }

    private static Set<String> distinct(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> frames = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                FrameResult fr = JSON.readValue(r.value(), FrameResult.class);
                frames.add(fr.camera() + "#" + fr.frame().sequence());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return frames;
    }

    /** One value from {@code /q/metrics}: the series without tags or with {@code source="kafka"}. */
    private static double metric(ServiceProcess service, String name) throws IOException, InterruptedException {
        String body = ServiceProcess.get(service.uri("/q/metrics")).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? ([0-9.eE+-]+)$").matcher(body);
        while (m.find()) {
            if (m.group(1) == null || m.group(1).contains("source=\"kafka\"")) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError(name + " not in /q/metrics");
    }
}
