package io.vitstream.stream.analytics;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.kafka.ClientProps;
import io.vitstream.stream.pipeline.OutputFactory;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The lines and zones of every camera: the {@code vitstream.analytics.cameras.*} settings
 * (checked at start, which stops naming a malformed one), overridden per camera by the latest
 * value of the compacted {@code camera-config} topic, which a background reader follows from
 * its beginning. A malformed value there is dead-lettered with the reason and the camera keeps
 * its previous configuration; a tombstone goes back to the settings.
 *
 * <p>Dead letters of bad configurations are reported once per record: the reader's consumer
 * group ({@code <frames group>-camera-config}) remembers how far it has reported, so a restart,
 * which reads the topic from its beginning again, does not report the same record again.
 */
@ApplicationScoped
public class CameraConfigs {

    private static final Logger LOG = Logger.getLogger(CameraConfigs.class);
    static final String REASON = "bad-camera-config";

    @Inject
    VitstreamConfig config;

    @Inject
    Config mp;

    private volatile Map<String, CameraConfig> fromSettings = Map.of();
    private final Map<String, CameraConfig> fromTopic = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean stopping;
    private Thread reader;

    /** After the topics exist (priority 20), before the channels connect. */
    void onStart(@Observes @Priority(30) StartupEvent event) throws InterruptedException {
        if (!config.analytics().enabled()) {
            return;
        }
        fromSettings = Map.copyOf(AnalyticsSetup.cameras(config.analytics()));
        fromSettings.forEach((camera, c) -> LOG.infof("camera '%s': %s (settings)", camera, describe(c)));
        reader = new Thread(this::follow, "vitstream-camera-config");
        reader.setDaemon(true);
        reader.start();
        if (!caughtUp.await(config.analytics().configWait().toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warnf("topic '%s' not read to its end within %s (vitstream.analytics.config-wait): frames are tracked with"
                    + " the settings' lines and zones until it is", config.topics().cameraConfig(), config.analytics().configWait());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** The camera's lines and zones now; {@link CameraConfig#EMPTY} for a camera configured nowhere. */
    public CameraConfig current(String camera) {
        CameraConfig c = fromTopic.get(camera);
        return c != null ? c : fromSettings.getOrDefault(camera, CameraConfig.EMPTY);
    }

    private void follow() {
        while (!stopping) {
            try (KafkaConsumer<String, byte[]> consumer = consumer();
                    KafkaProducer<String, byte[]> deadLetters = producer()) {
                String topic = config.topics().cameraConfig();
                List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                Map<TopicPartition, Long> end = consumer.endOffsets(parts);
                Map<TopicPartition, OffsetAndMetadata> reported = consumer.committed(new java.util.HashSet<>(parts));
                while (!stopping) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        apply(r, reported, consumer, deadLetters);
                    }
                    if (caughtUp.getCount() > 0 && parts.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                        LOG.infof("camera configurations read from '%s': %d cameras", topic, fromTopic.size());
                        caughtUp.countDown();
                    }
                }
            } catch (RuntimeException e) {
                if (!stopping) {
                    LOG.warnf("reading topic '%s' failed (%s); trying again in 5 s", config.topics().cameraConfig(), e.toString());
                    pause(5000);
                }
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r, Map<TopicPartition, OffsetAndMetadata> reported,
            KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> deadLetters) {
        String camera = r.key();
        if (camera == null) {
            refuse(r, "a camera-config record needs the camera as its key", reported, consumer, deadLetters);
            return;
        }
        if (r.value() == null) {
            fromTopic.remove(camera);
            LOG.infof("camera '%s': back to the settings (tombstone at %s-%d@%d): %s", camera, r.topic(), r.partition(),
                    r.offset(), describe(current(camera)));
            return;
        }
        try {
            CameraConfig c = CameraConfig.fromJson(new String(r.value(), StandardCharsets.UTF_8));
            fromTopic.put(camera, c);
            LOG.infof("camera '%s': %s (%s-%d@%d)", camera, describe(c), r.topic(), r.partition(), r.offset());
        } catch (IllegalArgumentException e) {
            refuse(r, "camera '" + camera + "' keeps its previous configuration: " + e.getMessage(), reported, consumer, deadLetters);
        }
    }

    /** Dead-letters a bad record once: only past what the group has reported already. */
    private void refuse(ConsumerRecord<String, byte[]> r, String message, Map<TopicPartition, OffsetAndMetadata> reported,
            KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> deadLetters) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        OffsetAndMetadata done = reported.get(tp);
        LOG.warnf("%s-%d@%d: %s", r.topic(), r.partition(), r.offset(), message);
        if (done != null && r.offset() < done.offset()) {
            return;
        }
        ProducerRecord<String, byte[]> dl = new ProducerRecord<>(config.topics().deadLetter(), r.key(), r.value());
        OutputFactory.deadLetterHeaders(REASON, message, IllegalArgumentException.class.getName(), r.topic(), r.partition(), r.offset(),
                r.value() == null ? 0 : r.value().length).forEach((name, value) -> dl.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try {
            deadLetters.send(dl).get(30, TimeUnit.SECONDS);
            OffsetAndMetadata next = new OffsetAndMetadata(r.offset() + 1);
            consumer.commitSync(Map.of(tp, next));
            reported.put(tp, next);
        } catch (Exception e) {
            LOG.errorf("the dead letter of %s-%d@%d was not written: %s", r.topic(), r.partition(), r.offset(), e.toString());
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> props = new HashMap<>(ClientProps.of(mp, "mp.messaging.incoming.frames", ConsumerConfig.configNames()));
        String group = mp.getOptionalValue("mp.messaging.incoming.frames.group.id", String.class).orElse("vitstream");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-camera-config");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vitstream-camera-config");
        props.remove(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        props.remove(ConsumerConfig.FETCH_MAX_BYTES_CONFIG);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> props = new HashMap<>(ClientProps.of(mp, "mp.messaging.outgoing.results", ProducerConfig.configNames()));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vitstream-camera-config-dlq");
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    static String describe(CameraConfig c) {
        return c.lines().size() + " lines " + c.lines().stream().map(l -> l.name()).toList() + ", " + c.zones().size() + " zones "
                + c.zones().stream().map(z -> z.name()).toList();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
