package io.vitstream.stream.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker properties of the embedded single-node KRaft broker, each with the reason it is
 * set. Everything else keeps Kafka's default.
 *
 * <p>Left at its default on purpose: {@code broker.session.timeout.ms} (9 s). After the host was
 * killed, the restarted broker waits that long for its old registration to expire (it logs
 * DUPLICATE_BROKER_REGISTRATION; start takes about 13 s instead of 1-3 s). A shorter session
 * would fence the broker, taking its partitions offline, whenever inference starves its
 * heartbeat thread on a busy machine.
 */
final class BrokerSettings {

    /** The only node: it is both the broker and the controller of its own quorum. */
    static final int NODE_ID = 1;
    /** Every listener binds the loopback address only: the embedded broker is never reachable from outside. */
    static final String HOST = "127.0.0.1";
    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /**
     * Log cleaner dedupe buffer. Kafka's default takes 128 MiB of the host's heap for compacting
     * {@code __consumer_offsets}, which a single-node broker never needs. The broker refuses
     * anything not above 1 MiB per cleaner thread (exactly 1 MiB fails its check), hence 2 MiB
     * with one cleaner thread.
     */
    static final long DEDUPE_BUFFER_BYTES = 2L * 1024L * 1024L;

    private BrokerSettings() {
    }

    /**
     * Returns the broker configuration.
     *
     * @param brokerPort client port on {@link #HOST}, already chosen (never 0)
     * @param controllerPort KRaft controller port on {@link #HOST}, already chosen (never 0)
     * @param logDir folder that holds the partitions and the metadata log; formatted before start
     * @param partitions partitions of topics the broker creates on first use
     * @param overrides extra broker properties, applied last
     */
    static Map<String, String> of(int brokerPort, int controllerPort, Path logDir, int partitions,
            Map<String, String> overrides) {
        Map<String, String> p = new LinkedHashMap<>();
        quorum(p, brokerPort, controllerPort);
        // One folder for data and metadata, so "formatted or not" is a single question.
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());
        p.put("num.partitions", String.valueOf(partitions));
        singleReplica(p);
        // A lone consumer group member should not wait 3 s for companions that never come.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(DEDUPE_BUFFER_BYTES));
        p.put("log.cleaner.threads", "1");
        p.putAll(overrides);
        return p;
    }

    /** Broker and controller in one process, a static quorum of one voter, loopback listeners. */
    private static void quorum(Map<String, String> p, int brokerPort, int controllerPort) {
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // Static voters: the controller address comes from this line, not from the formatted folder.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", CLIENT_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        // Without it the broker would advertise the host name, which may not resolve to loopback.
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("listener.security.protocol.map",
                CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    }

    /**
     * Internal topics default to 3 replicas and would never be created on one node: consumer
     * groups, transactions and share groups would then fail with COORDINATOR_NOT_AVAILABLE. One
     * partition each also makes their creation on first use take milliseconds instead of the
     * 50-partition default.
     */
    private static void singleReplica(Map<String, String> p) {
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
    }
}
