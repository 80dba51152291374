package io.vitstream.stream.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real broker in {@code target/}: real clients produce and consume through it. */
class EmbeddedKafkaTest {

    private static final Path DATA_DIR = Path.of("target", "embedded-kafka-test");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder().setDataDir(DATA_DIR).optWipe(true).build().start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void builderNamesTheMissingOrInvalidField() {
        IllegalArgumentException noDir = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafka.builder().build());
        assertTrue(noDir.getMessage().contains("dataDir"), noDir.getMessage());
        IllegalArgumentException badPort = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafka.builder().setDataDir(DATA_DIR).optPort(70_000).build());
        assertTrue(badPort.getMessage().contains("port"), badPort.getMessage());
    }

    @Test
    void keyedRecordsWithHeadersComeBackInTheirKeysPartition() {
        kafka.createTopics(Map.of("frames", 3));
        kafka.createTopics(Map.of("frames", 3));
        assertEquals(3, partitionCount("frames"));

        Map<String, Integer> sentTo = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps())) {
            for (int i = 0; i < 30; i++) {
                String key = "cam-" + (i % 6);
                ProducerRecord<String, String> record = new ProducerRecord<>("frames", key, "frame-" + i);
                record.headers().add("seq", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                RecordMetadata meta = send(producer, record);
                assertEquals(sentTo.getOrDefault(key, meta.partition()), meta.partition(), key);
                sentTo.put(key, meta.partition());
            }
        }

        List<ConsumerRecord<String, String>> records = consume("frames", "frames-group", "read_uncommitted", 30);
        assertEquals(30, records.size());
        for (ConsumerRecord<String, String> r : records) {
            int seq = Integer.parseInt(r.value().substring("frame-".length()));
            assertEquals("cam-" + (seq % 6), r.key());
            assertArrayEquals(Integer.toString(seq).getBytes(StandardCharsets.UTF_8), header(r, "seq"));
            assertEquals(sentTo.get(r.key()), r.partition(), r.key());
            assertEquals(Utils.toPositive(Utils.murmur2(r.key().getBytes(StandardCharsets.UTF_8))) % 3,
                    r.partition(), "default partitioner: murmur2(key) mod partitions");
        }
        assertTrue(sentTo.values().stream().distinct().count() > 1, "keys spread over partitions: " + sentTo);
    }

    @Test
    void abortedTransactionIsInvisibleToReadCommitted() {
        kafka.createTopics(Map.of("results", 2));
        Properties props = producerProps();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "results-tx");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("results", "k1", "committed-1"));
            producer.send(new ProducerRecord<>("results", "k2", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("results", "k1", "aborted-1"));
            producer.flush();
            producer.abortTransaction();
        }

        List<String> committed = values(consume("results", "rc-group", "read_committed", 2));
        assertEquals(List.of("committed-1", "committed-2"), committed.stream().sorted().toList());
        // The aborted record did reach the log: only the isolation level hides it.
        List<String> everything = values(consume("results", "ru-group", "read_uncommitted", 3));
        assertTrue(everything.contains("aborted-1"), everything.toString());
    }

    @Test
    void restartOnTheSameFolderKeepsTopicsRecordsAndGroupOffsets() {
        kafka.createTopics(Map.of("durable", 3));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps())) {
            for (int i = 0; i < 9; i++) {
                send(producer, new ProducerRecord<>("durable", "key-" + i, "value-" + i));
            }
        }
        assertEquals(9, consume("durable", "durable-group", "read_uncommitted", 9).size());
        String clusterId = kafka.clusterId();

        kafka.close();
        kafka = EmbeddedKafka.builder().setDataDir(DATA_DIR).build().start();

        assertEquals(clusterId, kafka.clusterId());
        assertEquals(3, partitionCount("durable"));
        assertEquals(9, committedOffsets("durable-group"));
        Set<String> again = Set.copyOf(values(consume("durable", "fresh-group", "read_uncommitted", 9)));
        assertEquals(9, again.size());
        assertTrue(again.contains("value-8"), again.toString());
    }

    @Test
    void leftoverFolderWithoutMetaPropertiesIsWipedAndFormatted() throws IOException {
        Path dir = Path.of("target", "embedded-kafka-stale");
        Path leftover = dir.resolve("kraft").resolve("half-written.log");
        KafkaStorage.delete(dir);
        Files.createDirectories(leftover.getParent());
        Files.writeString(leftover, "left by a killed broker");
        try (EmbeddedKafka stale = EmbeddedKafka.builder().setDataDir(dir).build().start()) {
            assertFalse(Files.exists(leftover));
            assertTrue(Files.isRegularFile(dir.resolve("kraft").resolve("meta.properties")));
            assertFalse(stale.clusterId().isBlank());
        }
    }

    @Test
    void folderOfAnotherNodeIsRefusedUntouched() throws IOException {
        Path dir = Path.of("target", "embedded-kafka-foreign");
        Path meta = dir.resolve("kraft").resolve("meta.properties");
        KafkaStorage.delete(dir);
        Files.createDirectories(meta.getParent());
        Files.writeString(meta, "version=1\ncluster.id=abc\nnode.id=7\n");
        EmbeddedKafka foreign = EmbeddedKafka.builder().setDataDir(dir).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, foreign::start);
        assertTrue(e.getMessage().contains("node.id 7"), e.getMessage());
        assertTrue(Files.exists(meta));
    }

    @Test
    void busyPortFailsStartWithTheBindErrorAndReleasesTheFolder() throws IOException {
        Path dir = Path.of("target", "embedded-kafka-busy");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafka blocked = EmbeddedKafka.builder().setDataDir(dir).optWipe(true)
                    .optPort(busy.getLocalPort()).build();
            IllegalStateException e = assertThrows(IllegalStateException.class, blocked::start);
            assertTrue(rootCause(e) instanceof BindException, "root cause: " + rootCause(e));
        }
        // The failed start released the folder lock: the same folder starts on a free port.
        try (EmbeddedKafka retry = EmbeddedKafka.builder().setDataDir(dir).build().start()) {
            assertTrue(retry.bootstrapServers().startsWith("127.0.0.1:"));
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Fail within the test's budget when the broker cannot serve (e.g. no transaction coordinator).
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    private static RecordMetadata send(KafkaProducer<String, String> producer, ProducerRecord<String, String> r) {
        try {
            return producer.send(r).get();
        } catch (Exception e) {
            throw new AssertionError("cannot send " + r, e);
        }
    }

    /** Reads from the start with a consumer group until {@code expected} records or {@link #WAIT}; commits. */
    private static List<ConsumerRecord<String, String>> consume(String topic, String group, String isolation,
            int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // A short extra poll catches records beyond the expected count (e.g. aborted ones).
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
            consumer.commitSync();
        }
        return records;
    }

    private static byte[] header(ConsumerRecord<String, String> r, String key) {
        Header h = r.headers().lastHeader(key);
        assertTrue(h != null, "header '" + key + "' missing on " + r);
        return h.value();
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).collect(Collectors.toList());
    }

    private static int partitionCount(String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        } catch (Exception e) {
            throw new AssertionError("cannot describe topic " + topic, e);
        }
    }

    private static long committedOffsets(String group) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            throw new AssertionError("cannot read offsets of group " + group, e);
        }
    }
}
