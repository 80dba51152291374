package io.vitstream.stream.demo;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.kafka.EmbeddedKafkaLifecycle;
import io.vitstream.stream.pipeline.Headers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Publishes frames to the frames topic at a steady rate under several camera keys, with
 * capture-time and sequence headers, so a first run shows results without any camera: by
 * default Fashion-MNIST items moving across camera-sized frames, one sequence per camera, with a
 * line and a zone per camera on the camera-config topic (so tracks and events show too); or a
 * folder's files, or the bundled still scenes ({@code vitstream.demo.moving=false}). It runs
 * only against the embedded broker: it never writes demo frames into a real cluster.
 */
@ApplicationScoped
public class DemoSource {

    private static final Logger LOG = Logger.getLogger(DemoSource.class);

    @Inject
    VitstreamConfig config;

    @Inject
    Config raw;

    private ScheduledExecutorService timer;
    private KafkaProducer<String, byte[]> producer;

    void onStart(@Observes StartupEvent event) {
        VitstreamConfig.Demo demo = config.demo();
        if (!demo.enabled() || !EmbeddedKafkaLifecycle.running()) {
            return;
        }
        String bootstrap = raw.getValue("kafka.bootstrap.servers", String.class);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, "vitstream-demo-source", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
        List<String> cameras = demo.cameras();
        BiFunction<Integer, Long, byte[]> frames;
        if (demo.folder().isPresent() || !demo.moving()) {
            List<DemoFrames.Image> images = DemoFrames.load(demo.folder(), demo.frameSize());
            frames = (camera, n) -> images.get((int) (n % images.size())).bytes();
            LOG.infof("demo source: %d images (%s) to '%s' at %.1f frames/s under cameras %s", images.size(),
                    demo.folder().isPresent() ? "from " + demo.folder().get() : demo.frameSize() + " JPEG", config.topics().frames(),
                    demo.fps(), cameras);
        } else {
            int[] size = DemoFrames.size(demo.frameSize());
            DemoSequences sequences = new DemoSequences(cameras.size(), size[0], size[1], demo.fps() / cameras.size());
            frames = sequences::frame;
            if (config.analytics().enabled()) {
                configure(cameras, sequences.cameraConfigJson());
            }
            LOG.infof("demo source: Fashion-MNIST items moving across %dx%d JPEG frames to '%s' at %.1f frames/s under cameras"
                    + " %s, each with line 'middle' and zone 'centre' (topic '%s')", size[0], size[1], config.topics().frames(), demo.fps(),
                    cameras, config.topics().cameraConfig());
        }
        long periodMicros = (long) (1_000_000 / demo.fps());
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "vitstream-demo-source"));
        long[] n = {0};
        timer.scheduleAtFixedRate(() -> publish(frames, cameras, n[0]++), 1_000_000, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** The demo cameras' line and zone, on the camera-config topic as a user would send them. */
    private void configure(List<String> cameras, String json) {
        for (String camera : cameras) {
            producer.send(new ProducerRecord<>(config.topics().cameraConfig(), camera, json.getBytes(StandardCharsets.UTF_8)),
                    (meta, err) -> {
                        if (err != null) {
                            LOG.warnf("demo camera configuration of '%s' not sent: %s", camera, err.toString());
                        }
                    });
        }
    }

    private void publish(BiFunction<Integer, Long, byte[]> frames, List<String> cameras, long n) {
        int c = (int) (n % cameras.size());
        String camera = cameras.get(c);
        byte[] bytes;
        try {
            bytes = frames.apply(c, n / cameras.size());
        } catch (RuntimeException e) {
            LOG.warnf("demo frame not made: %s", e.toString());
            return;
        }
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(config.topics().frames(), camera, bytes);
        r.headers().add(Headers.CAPTURE_TIME, Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
        r.headers().add(Headers.SEQUENCE, Long.toString(n / cameras.size()).getBytes(StandardCharsets.US_ASCII));
        producer.send(r, (meta, err) -> {
            if (err != null) {
                LOG.warnf("demo frame not sent: %s", err.toString());
            }
        });
    }

    /** Stops producing first, before the consumer drains. */
    void onStop(@Observes @jakarta.annotation.Priority(jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(2, TimeUnit.SECONDS);
            producer.close(java.time.Duration.ofSeconds(2));
        }
    }
}
