package io.vitstream.stream.analytics;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;

/**
 * The frames channel's rebalance listener ({@code consumer-rebalance-listener.name} in
 * application.properties): after partitions are assigned, the cameras' checkpoints are read
 * again before the next batch, so a camera another instance processed meanwhile continues from
 * its state.
 */
@ApplicationScoped
@Identifier(AnalyticsRebalance.NAME)
public class AnalyticsRebalance implements KafkaConsumerRebalanceListener {

    static final String NAME = "vitstream-analytics";

    @Inject
    AnalyticsService analytics;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        analytics.reassigned();
    }
}
