package io.vitstream.stream.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vitstream.stream.kafka.OutputTopics;
import io.vitstream.stream.model.ForStream;
import io.vitstream.stream.pipeline.OutputFactory;
import io.vitstream.stream.pipeline.Causes;
import io.vitstream.stream.pipeline.Headers;
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
 * <p>Records are fitted to their topics' limits before they get here ({@link OutputTopics}); a
 * topic whose limit was lowered since can still refuse one as too large. Then the topics'
 * limits are read again and the record is replaced instead of failing its batch (which would
 * consume, refuse and retry the frame for ever): a dead letter goes again without the frame's
 * bytes, a result goes as a {@code result-too-large} dead letter.
 */
@ApplicationScoped
public class Publisher {

    private static final Logger LOG = Logger.getLogger(Publisher.class);

    @Inject
    @ForStream
    OutputFactory outputs;

    @Inject
    OutputTopics topics;

    @Inject
    @Channel("results")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
    MutinyEmitter<byte[]> emitter;

    /**
     * Sends every record.
     *
     * @return the records as Kafka acknowledged them (a refused one replaced, see above), in
     *         order; fails if any send failed otherwise
     */
    public Uni<List<OutputRecord>> send(List<OutputRecord> records) {
        List<Uni<OutputRecord>> acks = new ArrayList<>(records.size());
        for (OutputRecord r : records) {
            Uni<OutputRecord> ack = emitter.sendMessage(message(r)).replaceWith(r);
            if (r.carriesFrame() || r.kind() != OutputRecord.Kind.DEAD_LETTER) {
                ack = ack.onFailure(Publisher::tooLarge).recoverWithUni(e -> instead(r));
            }
            acks.add(ack);
        }
        return acks.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(acks).andFailFast();
    }

    /** Sends what stands in for a record its topic refused as too large, after reading the limits again. */
    private Uni<OutputRecord> instead(OutputRecord r) {
        return Uni.createFrom().item(() -> {
            topics.refresh();
            OutputRecord replacement = r.kind() == OutputRecord.Kind.DEAD_LETTER ? r.withoutPayload() : outputs.tooLarge(r);
            LOG.warnf("%s of %s (%d bytes) refused by topic %s as too large; sent as a dead letter without the frame's bytes"
                    + " (%s)", r.kind() == OutputRecord.Kind.DEAD_LETTER ? "dead letter" : "result", r.source().position(),
                    r.value() == null ? 0 : r.value().length, r.topic(), replacement.headers().get(Headers.DLQ_REASON));
            return replacement;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(replacement -> emitter.sendMessage(message(replacement)).replaceWith(replacement));
    }

    /**
     * Whether Kafka (client or broker) refused a record for its size, anywhere among the causes
     * (a transaction's failures arrive as a {@link CompositeException}).
     */
    static boolean tooLarge(Throwable t) {
        return Causes.any(t, RecordTooLargeException.class::isInstance);
    }

    /** A Kafka message for a record: topic, key and headers in its metadata. */
    static Message<byte[]> message(OutputRecord r) {
        List<RecordHeader> headers = new ArrayList<>();
        r.headers().forEach((k, v) -> headers.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        return Message.of(r.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(r.topic()).withKey(r.key()).withHeaders(headers).build());
    }
}
