package io.vitstream.stream.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vitstream.stream.pipeline.OutputRecord;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends output records through the {@code results} channel (an idempotent producer; each
 * record's topic is set per message). Records are sent in the order given, so results keep the
 * per-camera order of their frames.
 */
@ApplicationScoped
public class Publisher {

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
            acks.add(emitter.sendMessage(message(r)));
        }
        return acks.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(acks).andFailFast().replaceWithVoid();
    }

    /** A Kafka message for a record: topic, key and headers in its metadata. */
    static Message<byte[]> message(OutputRecord r) {
        List<RecordHeader> headers = new ArrayList<>();
        r.headers().forEach((k, v) -> headers.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        return Message.of(r.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(r.topic()).withKey(r.key()).withHeaders(headers).build());
    }
}
