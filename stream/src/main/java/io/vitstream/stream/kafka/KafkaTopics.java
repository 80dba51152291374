package io.vitstream.stream.kafka;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/** Idempotent topic creation through Kafka's Admin client. */
final class KafkaTopics {

    private static final Logger LOG = Logger.getLogger(KafkaTopics.class);
    private static final long TIMEOUT_SECONDS = 30;

    private KafkaTopics() {
    }

    /** See {@link EmbeddedKafka#createTopics(Map)}. */
    static void create(String bootstrapServers, Map<String, Integer> topicPartitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            create(admin, topicPartitions);
        }
    }

    /**
     * Creates the topics that do not exist yet (the broker's default replication); existing ones
     * are left as they are, with a warning when their partition count differs.
     */
    static void create(Admin admin, Map<String, Integer> topicPartitions) {
        create(admin, topicPartitions, Map.of());
    }

    /** As {@link #create(Admin, Map)}, with topic-level settings (e.g. {@code cleanup.policy=compact}) for some. */
    static void create(Admin admin, Map<String, Integer> topicPartitions, Map<String, Map<String, String>> configs) {
        List<NewTopic> topics = topicPartitions.entrySet().stream()
                .map(e -> new NewTopic(e.getKey(), Optional.of(e.getValue()), Optional.empty())
                        .configs(configs.getOrDefault(e.getKey(), Map.of())))
                .toList();
        Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
        List<String> existing = results.entrySet().stream()
                .filter(e -> alreadyExists(e.getKey(), e.getValue())).map(Map.Entry::getKey).toList();
        warnOnPartitionMismatch(admin, existing, topicPartitions);
    }

    private static boolean alreadyExists(String topic, KafkaFuture<Void> result) {
        try {
            result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.debugf("Created topic %s", topic);
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return true;
            }
            throw new IllegalStateException("cannot create topic '" + topic + "'", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic '" + topic + "'", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic '" + topic + "' not created within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    private static void warnOnPartitionMismatch(Admin admin, List<String> topics, Map<String, Integer> wanted) {
        if (topics.isEmpty()) {
            return;
        }
        try {
            admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .forEach((name, description) -> {
                        int actual = description.partitions().size();
                        if (actual != wanted.get(name)) {
                            LOG.warnf("Topic %s exists with %d partitions, not the %d asked for; left as it is",
                                    name, actual, wanted.get(name));
                        }
                    });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe topics " + topics, e);
        }
    }
}
