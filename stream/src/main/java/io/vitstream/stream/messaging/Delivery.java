package io.vitstream.stream.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vitstream.stream.pipeline.Frame;

import java.util.List;

/** How one delivery mode turns consumed poll batches into published, committed records. */
interface Delivery {

    /**
     * Takes one poll batch.
     *
     * @return completes when the next poll batch may be taken (not necessarily when this one is published)
     */
    Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch, List<Frame> frames);

    /** Shutdown: finish the pass in flight and publish it, take no more. */
    void stop() throws InterruptedException;
}
