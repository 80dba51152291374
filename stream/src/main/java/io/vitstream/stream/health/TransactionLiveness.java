package io.vitstream.stream.health;

import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.messaging.FrameConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;

/**
 * Exactly-once transactions that do not get through: DOWN when
 * {@code vitstream.delivery.max-failed-transactions} or more aborted in a row (a missing topic,
 * an ACL, fencing), or when one transaction has been open longer than
 * {@code vitstream.delivery.transaction-stall} (stuck, e.g. on records a broker refused), with the
 * cause. The stream keeps retrying on its own; this check says so and lets Kubernetes restart
 * the pod. Always up in at-least-once mode.
 */
@Liveness
@ApplicationScoped
public class TransactionLiveness implements HealthCheck {

    @Inject
    FrameConsumer consumer;

    @Inject
    VitstreamConfig config;

    @Override
    public HealthCheckResponse call() {
        int failed = consumer.failedTransactions();
        int bound = config.delivery().maxFailedTransactions();
        Duration open = consumer.openTransaction();
        Duration stall = config.delivery().transactionStall();
        boolean stuck = open.compareTo(stall) > 0;
        var builder = HealthCheckResponse.named("vitstream-transactions").status(failed < bound && !stuck)
                .withData("consecutive_failed_transactions", failed).withData("max_failed_transactions", bound)
                .withData("open_transaction_ms", open.toMillis());
        if (stuck) {
            builder.withData("stuck", "a transaction has been open for " + open.toSeconds() + " s"
                    + " (vitstream.delivery.transaction-stall " + stall.toSeconds() + " s)");
        }
        if (failed > 0 && consumer.lastTransactionFailure() != null) {
            builder.withData("last_failure", consumer.lastTransactionFailure());
        }
        return builder.build();
    }
}
