package io.vitstream.stream.model;

import io.vitstream.stream.pipeline.ModelPass;

import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for the tests that run the packaged service as a process (RestartIT): the
 * first N model passes over frames throw. A test CDI alternative cannot reach into the packaged
 * jar, so the hook is a setting outside the {@code vitstream.*} namespace, read in one place,
 * off (0) unless set, and logged loudly when on. With 0 the model pass is used as it is.
 */
final class InjectedFailures {

    private static final Logger LOG = Logger.getLogger(InjectedFailures.class);
    static final String SETTING = "vitstream-internal.fault.model-failures";

    private InjectedFailures() {}

    /** {@code pass}, failing its first {@code failures} calls. */
    static ModelPass wrap(ModelPass pass, int failures) {
        if (failures <= 0) {
            return pass;
        }
        LOG.warnf("fault injection: the first %d model passes over frames will fail (%s)", failures, SETTING);
        AtomicInteger left = new AtomicInteger(failures);
        return inputs -> {
            if (left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("injected model failure (" + SETTING + ")");
            }
            return pass.infer(inputs);
        };
    }
}
