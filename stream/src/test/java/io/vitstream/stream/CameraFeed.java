package io.vitstream.stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cameras that keep sending small PNG frames in rounds (one frame per camera per round, then a
 * pause) from a thread of their own, and that ride out a broker outage: sends are asynchronous,
 * retried by the producer for up to {@link #DELIVERY_TIMEOUT}, and only frames the broker
 * acknowledged count as sent. Frame ids are {@code camera#sequence}, as results name them.
 */
final class CameraFeed implements AutoCloseable {

    /** Longer than any outage the tests make, so a frame sent while the broker is away waits for it. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(180);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final int cameras;
    private final Duration pause;
    private final AtomicInteger lastRound;
    private final AtomicInteger rounds = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<Integer> partitions = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile Exception error;

    /**
     * @param maxRounds rounds sent unless {@link #finishAfter} ends the feed earlier
     * @param pause pause after each round
     */
    CameraFeed(String bootstrap, String topic, int cameras, int maxRounds, Duration pause) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis()),
                new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.cameras = cameras;
        this.pause = pause;
        this.lastRound = new AtomicInteger(maxRounds);
        this.thread = new Thread(this::run, "camera-feed-" + topic);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            for (int i = 0; i < lastRound.get(); i++) {
                for (int c = 0; c < cameras; c++) {
                    String id = "cam-" + c + "#" + i;
                    producer.send(KafkaClients.frame(topic, "cam-" + c, i, Images.encoded(48, 48, i + c, "png")), (md, e) -> {
                        if (e == null) {
                            acked.add(id);
                            partitions.add(md.partition());
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                }
                rounds.incrementAndGet();
                Thread.sleep(pause.toMillis());
            }
            producer.flush();
        } catch (Exception e) {
            error = e;
        }
    }

    /** Ends the feed once {@code moreRounds} more rounds than now have been sent. */
    void finishAfter(int moreRounds) {
        lastRound.set(Math.min(lastRound.get(), rounds.get() + moreRounds));
    }

    /** Rounds handed to the producer so far. */
    int rounds() {
        return rounds.get();
    }

    /**
     * Waits until the last round is sent and every send has an answer.
     *
     * @return the frames the broker acknowledged
     */
    Set<String> await(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("camera feed on " + topic + " still sending after " + timeout
                    + " (" + rounds() + " rounds, " + acked.size() + " frames acknowledged)");
        }
        if (error != null) {
            throw new AssertionError("camera feed on " + topic + " failed", error);
        }
        return Set.copyOf(acked);
    }

    /** Sends that failed for good (past {@link #DELIVERY_TIMEOUT}). */
    int failed() {
        return failed.get();
    }

    /** Partitions that acknowledged frames landed in. */
    Set<Integer> partitions() {
        return Set.copyOf(partitions);
    }

    @Override
    public void close() throws InterruptedException {
        finishAfter(0);
        thread.join(TimeUnit.SECONDS.toMillis(10));
        producer.close(Duration.ofSeconds(5));
    }
}
