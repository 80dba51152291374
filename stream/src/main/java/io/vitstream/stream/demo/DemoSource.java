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

/**
 * Publishes image files to the frames topic at a steady rate under several camera keys, with
 * capture-time and sequence headers, so a first run shows results without any camera. It runs
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
        List<DemoFrames.Image> images = DemoFrames.load(demo.folder(), demo.frameSize());
        String bootstrap = raw.getValue("kafka.bootstrap.servers", String.class);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, "vitstream-demo-source", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
        long periodMicros = (long) (1_000_000 / demo.fps());
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "vitstream-demo-source"));
        long[] n = {0};
        timer.scheduleAtFixedRate(() -> publish(images, demo.cameras(), n[0]++), 1_000_000, periodMicros, TimeUnit.MICROSECONDS);
        LOG.infof("demo source: %d images (%s) to '%s' at %.1f frames/s under cameras %s", images.size(),
                demo.folder().isPresent() ? "from " + demo.folder().get() : demo.frameSize() + " JPEG", config.topics().frames(),
                demo.fps(), demo.cameras());
    }

    private void publish(List<DemoFrames.Image> images, List<String> cameras, long n) {
        String camera = cameras.get((int) (n % cameras.size()));
        DemoFrames.Image img = images.get((int) ((n / cameras.size()) % images.size()));
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(config.topics().frames(), camera, img.bytes());
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
