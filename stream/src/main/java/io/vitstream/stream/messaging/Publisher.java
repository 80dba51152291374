package io.vitstream.stream.messaging;

import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vitstream.stream.pipeline.OutputRecord;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends output records through the {@code results} channel (an idempotent producer; each
 * record's topic is set per message). Records are sent in the order given, so results keep the
 * per-camera order of their frames.
 *
 * <p>A dead letter the dead-letter topic refuses as too large is sent again without the frame's
 * bytes, instead of failing its batch: otherwise the frame would be consumed, refused and
 * retried forever.
 */
@ApplicationScoped
public class Publisher {

    private static final Logger LOG = Logger.getLogger(Publisher.class);

    @Inject
    @Channel("results")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
    MutinyEmitter<byte[]> emitter;

    /**
     * Sends every record.
     *
     * @return completes when Kafka acknowledged all of them, fails if any send failed
     */
    public Uni<Void> send(List<OutputRecord> records) {
        List<Uni<Void>> acks = new ArrayList<>(records.size());
        for (OutputRecord r : records) {
            Uni<Void> ack = emitter.sendMessage(message(r));
            if (r.carriesFrame()) {
                ack = ack.onFailure(Publisher::tooLarge).recoverWithUni(e -> {
                    LOG.warnf("dead letter of %s (%d bytes) refused by topic %s as too large; sent without the frame's bytes."
                            + " Lower vitstream.limits.dead-letter-max-bytes under the topic's max.message.bytes",
                            r.source().position(), r.value().length, r.topic());
                    return emitter.sendMessage(message(r.withoutPayload()));
                });
            }
            acks.add(ack);
        }
        return acks.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(acks).andFailFast().replaceWithVoid();
    }

    /**
     * Whether Kafka (client or broker) refused a record for its size, anywhere among the causes
     * (a transaction's failures arrive as a {@link CompositeException}).
     */
    static boolean tooLarge(Throwable t) {
        return tooLarge(t, 0);
    }

    private static boolean tooLarge(Throwable t, int depth) {
        if (t == null || depth > 16) {
            return false;
        }
        if (t instanceof RecordTooLargeException) {
            return true;
        }
        if (t instanceof CompositeException composite && composite.getCauses().stream().anyMatch(c -> tooLarge(c, depth + 1))) {
            return true;
        }
        return t.getCause() != t && tooLarge(t.getCause(), depth + 1);
    }

    /** A Kafka message for a record: topic, key and headers in its metadata. */
    static Message<byte[]> message(OutputRecord r) {
        List<RecordHeader> headers = new ArrayList<>();
        r.headers().forEach((k, v) -> headers.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        return Message.of(r.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(r.topic()).withKey(r.key()).withHeaders(headers).build());
    }
}
