package io.vitstream.stream.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vitstream.stream.config.DeliveryMode;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.pipeline.Frame;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumes the {@code frames} channel in poll batches and hands each to the delivery mode in
 * use: {@link AtLeastOnceDelivery} or {@link ExactlyOnceDelivery}. Both share the
 * {@code FrameProcessor} (one model pass per micro-batch for every head).
 */
@ApplicationScoped
public class FrameConsumer {

    private static final Logger LOG = Logger.getLogger(FrameConsumer.class);

    @Inject
    VitstreamConfig config;

    @Inject
    AtLeastOnceDelivery atLeastOnce;

    @Inject
    ExactlyOnceDelivery exactlyOnce;

    private Delivery delivery;

    @PostConstruct
    void init() {
        if (config.batch().size() < 1) {
            throw new IllegalArgumentException("vitstream.batch.size must be >= 1, got " + config.batch().size());
        }
        DeliveryMode mode = config.delivery().mode();
        delivery = mode == DeliveryMode.EXACTLY_ONCE ? exactlyOnce : atLeastOnce;
        LOG.infof("delivery %s, batches of up to %d frames%s", mode.code(), config.batch().size(),
                mode == DeliveryMode.EXACTLY_ONCE ? " (one poll = one batch = one transaction)"
                        : ", waiting at most " + config.batch().maxWait().toMillis() + " ms");
    }

    @Incoming("frames")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        long now = System.nanoTime();
        List<Frame> frames = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, byte[]> r : batch.getRecords()) {
            frames.add(Frames.of(r, now));
        }
        return delivery.consume(batch, frames);
    }

    /** Before the model is closed (its observer runs later): the pass in flight finishes and is published. */
    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (delivery != null) {
            delivery.stop();
        }
    }
}
