package io.vitstream.stream.pipeline;

/**
 * One consumed frame and where it came from.
 *
 * @param camera the record key (camera / stream id); {@code ""} when the producer sent none
 * @param bytes the encoded image
 * @param topic source topic
 * @param partition source partition
 * @param offset source offset
 * @param sequence the producer's sequence number header, if any
 * @param captureTimeMs capture time header, else the record timestamp (epoch ms)
 * @param arrivalNanos {@link System#nanoTime()} when the service received it
 */
public record Frame(String camera, byte[] bytes, String topic, int partition, long offset, Long sequence,
        long captureTimeMs, long arrivalNanos) {

    /** {@code topic/partition@offset}, for messages. */
    public String position() {
        return topic + "/" + partition + "@" + offset;
    }
}
