package io.vitstream.stream.health;

import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.messaging.ExactlyOnceDelivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;

/**
 * Exactly-once transactions that do not get through: DOWN when
 * {@code vitstream.delivery.max-failed-transactions} or more aborted in a row (a missing topic,
 * an ACL), at once when the producer is fenced (no later transaction can commit), or when one
 * transaction has been open longer than
 * {@code vitstream.delivery.transaction-stall} (stuck, e.g. on records a broker refused), with the
 * cause. The stream keeps retrying on its own; this check says so and lets Kubernetes restart
 * the pod. Always up in at-least-once mode.
 */
@Liveness
@ApplicationScoped
public class TransactionLiveness implements HealthCheck {

    @Inject
    ExactlyOnceDelivery consumer;

    @Inject
    VitstreamConfig config;

    @Override
    public HealthCheckResponse call() {
        int failed = consumer.failedTransactions();
        int bound = config.delivery().maxFailedTransactions();
        Duration open = consumer.openTransaction();
        Duration stall = config.delivery().transactionStall();
        boolean stuck = open.compareTo(stall) > 0;
        boolean fenced = consumer.isFenced();
        var builder = HealthCheckResponse.named("vitstream-transactions").status(failed < bound && !stuck && !fenced)
                .withData("consecutive_failed_transactions", failed).withData("max_failed_transactions", bound)
                .withData("open_transaction_ms", open.toMillis());
        if (stuck) {
            builder.withData("stuck", "a transaction has been open for " + open.toSeconds() + " s"
                    + " (vitstream.delivery.transaction-stall " + stall.toSeconds() + " s)");
        }
        if (fenced) {
            builder.withData("fenced", "the transactional producer is fenced; only a restart brings a new one");
        }
        if (failed > 0 && consumer.lastTransactionFailure() != null) {
            builder.withData("last_failure", consumer.lastTransactionFailure());
        }
        return builder.build();
    }
}
