package io.vitstream.stream.messaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.CompositeException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

/** Which transaction failures mean the producer is fenced for good. */
class ExactlyOnceDeliveryTest {

    @Test
    void fencingIsFoundAmongTheCausesOfAnAbort() {
        ProducerFencedException fenced = new ProducerFencedException("Producer with transactionalId 'x' has been fenced");
        assertTrue(ExactlyOnceDelivery.fenced(fenced));
        assertTrue(ExactlyOnceDelivery.fenced(new KafkaException("commit failed", fenced)));
        assertTrue(ExactlyOnceDelivery.fenced(new CompositeException(new IllegalStateException("send"), new KafkaException(fenced))));
        assertTrue(ExactlyOnceDelivery.fenced(new InvalidProducerEpochException("epoch")));
    }

    @Test
    void otherAbortsAreNotFencing() {
        assertFalse(ExactlyOnceDelivery.fenced(new RecordTooLargeException("too large")));
        assertFalse(ExactlyOnceDelivery.fenced(new CompositeException(new IllegalStateException("a"), new KafkaException("b"))));
        assertFalse(ExactlyOnceDelivery.fenced(null));
    }
}
