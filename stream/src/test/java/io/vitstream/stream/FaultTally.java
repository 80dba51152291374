package io.vitstream.stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.results.FrameResult;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a fault did to a stream: of the frames the broker acknowledged, how many got no result
 * (lost) and how many results beyond the first there were (duplicated).
 *
 * @param frames frames the broker acknowledged
 * @param answered of those, frames with at least one result
 * @param lost of those, frames without a result
 * @param duplicated results beyond the first, summed over the frames
 * @param unacknowledged frames answered whose send was never acknowledged (a send that failed late)
 * @param restarts service restarts it took ({@link Supervisor})
 */
record FaultTally(int frames, int answered, int lost, int duplicated, int unacknowledged, int restarts) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static FaultTally of(Set<String> acked, Map<String, Integer> perFrame, int restarts) {
        int answered = 0;
        int duplicated = 0;
        for (String frame : acked) {
            int n = perFrame.getOrDefault(frame, 0);
            answered += n > 0 ? 1 : 0;
            duplicated += Math.max(0, n - 1);
        }
        int unacknowledged = (int) perFrame.keySet().stream().filter(f -> !acked.contains(f)).count();
        return new FaultTally(acked.size(), answered, acked.size() - answered, duplicated, unacknowledged, restarts);
    }

    /** Results per frame id ({@code camera#sequence}). */
    static Map<String, Integer> perFrame(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Integer> n = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                FrameResult fr = JSON.readValue(r.value(), FrameResult.class);
                n.merge(fr.camera() + "#" + fr.frame().sequence(), 1, Integer::sum);
            } catch (IOException e) {
                throw new UncheckedIOException("not a frame result at " + r.topic() + "-" + r.partition() + "@" + r.offset(), e);
            }
        }
        return n;
    }

    /**
     * One line for the test output, e.g.
     * {@code FAULT rebalance at-least-once frames=318 answered=318 lost=0 duplicated=7 restarts=0}.
     */
    String line(String fault, String mode) {
        return "FAULT " + fault + " " + mode + " frames=" + frames + " answered=" + answered + " lost=" + lost
                + " duplicated=" + duplicated + " restarts=" + restarts
                + (unacknowledged > 0 ? " unacknowledged=" + unacknowledged : "");
    }
}
