package io.vitstream.stream.health;

import io.vitstream.stream.model.ModelService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the model is loaded. Kafka's side of readiness (channels connected, consumer
 * assigned) is reported by SmallRye Reactive Messaging's own checks on the same endpoint.
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    ModelService service;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("vitstream-model").status(service.ready());
        if (service.ready()) {
            builder.withData("model", service.modelRef().id()).withData("digest", service.modelRef().digest())
                    .withData("precision", service.modelRef().precision()).withData("device", service.modelRef().device());
        }
        return builder.build();
    }
}
