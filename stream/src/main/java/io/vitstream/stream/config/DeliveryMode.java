package io.vitstream.stream.config;

/** {@code vitstream.delivery.mode}: {@code at-least-once} or {@code exactly-once}. */
public enum DeliveryMode {
    /** Results acknowledged before offsets are committed; a restart may repeat some. */
    AT_LEAST_ONCE,
    /** Results and offsets in one Kafka transaction; read results {@code read_committed}. */
    EXACTLY_ONCE;

    /** The setting's spelling. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
