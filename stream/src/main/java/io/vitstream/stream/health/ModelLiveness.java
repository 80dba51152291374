package io.vitstream.stream.health;

import io.vitstream.stream.model.ForStream;
import io.vitstream.stream.model.ModelService;
import io.vitstream.stream.pipeline.FrameProcessor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down while the model keeps failing: {@code vitstream.model.attempts} or more model passes in a
 * row failed (one batch's every try), so a restart is the remaining remedy. In exactly-once mode
 * the stream itself keeps retrying; this check is what lets Kubernetes restart the pod there.
 */
@Liveness
@ApplicationScoped
public class ModelLiveness implements HealthCheck {

    @Inject
    ModelService service;

    @Inject
    @ForStream
    Instance<FrameProcessor> processor;

    @Override
    public HealthCheckResponse call() {
        FrameProcessor p = service.ready() ? processor.get() : null;
        int failures = p == null ? 0 : p.consecutiveFailures();
        var builder = HealthCheckResponse.named("vitstream-model-passes").status(p == null || failures < p.attempts())
                .withData("consecutive_failures", failures);
        if (failures > 0 && p.lastFailure() != null) {
            builder.withData("last_failure", p.lastFailure());
        }
        return builder.build();
    }
}
