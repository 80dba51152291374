package io.vitstream.stream.health;

import io.vitstream.stream.kafka.EmbeddedKafka;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Down when the embedded broker (if this process runs one) hit a fatal error. */
@Liveness
@ApplicationScoped
public class BrokerLiveness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        var failure = EmbeddedKafka.failure();
        var builder = HealthCheckResponse.named("vitstream-embedded-kafka").status(failure.isEmpty());
        failure.ifPresent(e -> builder.withData("error", String.valueOf(e.getMessage())));
        return builder.build();
    }
}
