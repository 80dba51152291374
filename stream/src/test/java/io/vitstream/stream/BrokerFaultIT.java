package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.stream.kafka.BrokerProcess;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Faults outside the service, against a broker in a process of its own ({@link BrokerProcess})
 * and the packaged service ({@link ServiceProcess}): the broker stopped for 10 s mid-stream and
 * started again on the same port and folder, and a second instance joining the consumer group
 * mid-stream and leaving it by SIGTERM. At-least-once must answer every frame the broker
 * acknowledged; exactly-once must give a {@code read_committed} reader exactly one result per
 * frame. Each test prints one {@code FAULT ...} line with the counts (docs/reliability.md).
 */
class BrokerFaultIT {

    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /** Rounds of the broker-bounce feed: 15 s of frames at least. */
    private static final int ROUNDS = 60;
    private static final Duration ANSWERS = Duration.ofSeconds(120);
    /** The test's own clients warn on every reconnect while the broker is away: hundreds of lines a bounce. */
    private static final Logger TEST_CLIENTS = Logger.getLogger("org.apache.kafka.clients");
    private static BrokerProcess broker;

    @BeforeAll
    static void broker() throws Exception {
        TEST_CLIENTS.setLevel(Level.SEVERE);
        TestModel.write(Path.of("target/it-model"));
        broker = BrokerProcess.create(Path.of("target/fault-kafka"), 3).start();
    }

    @AfterAll
    static void close() throws InterruptedException {
        TEST_CLIENTS.setLevel(null);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void atLeastOnceAnswersEveryFrameAcrossABrokerStop() throws Exception {
        FaultTally t = bounce("bsalo", "at-least-once", false, false);
        System.out.println(t.line("broker-stop-10s", "at-least-once"));
        assertEquals(0, t.lost(), "frames without a result: " + t);
    }

    @Test
    void exactlyOnceGivesOneResultPerFrameAcrossABrokerKill() throws Exception {
        FaultTally t = bounce("bkeos", "exactly-once", true, true);
        System.out.println(t.line("broker-kill-10s", "exactly-once"));
        assertEquals(0, t.lost(), "frames without a committed result: " + t);
        assertEquals(0, t.duplicated(), "committed results beyond one per frame: " + t);
    }

    @Test
    void atLeastOnceAnswersEveryFrameAcrossARebalance() throws Exception {
        FaultTally t = rebalance("rbalo", "at-least-once", false);
        System.out.println(t.line("rebalance", "at-least-once"));
        assertEquals(0, t.lost(), "frames without a result: " + t);
    }

    @Test
    void exactlyOnceGivesOneResultPerFrameAcrossARebalance() throws Exception {
        FaultTally t = rebalance("rbeos", "exactly-once", true);
        System.out.println(t.line("rebalance", "exactly-once"));
        assertEquals(0, t.lost(), "frames without a committed result: " + t);
        assertEquals(0, t.duplicated(), "committed results beyond one per frame: " + t);
    }

    /**
     * Exactly-once with a broker that stops answering (SIGSTOP) mid-stream until liveness is DOWN (at most 14 s): the
     * transaction in flight cannot complete, so liveness turns DOWN ({@code vitstream-transactions},
     * stuck past {@code vitstream.delivery.transaction-stall} 5 s) and says why; once the broker
     * goes on (SIGCONT, within the 20 s transaction timeout) the service commits, is live again,
     * and a {@code read_committed} reader sees each acknowledged frame once.
     */
    @Test
    void exactlyOnceReportsAStuckTransactionAndRecovers() throws Exception {
        String name = "bpeos";
        Path log = prepare(name);
        String out = name + "-classifications";
        Map<String, String> settings = settings(name, "exactly-once", name + "-tx");
        settings.put("vitstream.delivery.transaction-stall", "5s");
        try (ServiceProcess service = ServiceProcess.start(settings, log);
                CameraFeed feed = new CameraFeed(broker.bootstrapServers(), name + "-frames", 4, 80, Duration.ofMillis(100))) {
            service.awaitStarted(90);
            URI live = service.uri("/q/health/live");
            feed.start();
            KafkaClients.readUntil(broker.bootstrapServers(), out, true, Duration.ofSeconds(60), l -> l.size() >= 12);
            broker.pause();
            HttpResponse<String> health;
            try {
                health = awaitStatus(live, 503, Duration.ofSeconds(14));
            } finally {
                broker.resume();
            }
            assertEquals(503, health.statusCode(), "liveness while the broker does not answer; log:\n" + service.tail());
            String body = health.body().replaceAll("\\s", "");
            assertTrue(body.contains("\"name\":\"vitstream-transactions\",\"status\":\"DOWN\"") && body.contains("\"stuck\""),
                    body);
            Set<String> acked = feed.await(CameraFeed.DELIVERY_TIMEOUT);
            FaultTally t = FaultTally.of(acked, answers(out, true, acked), 0);
            System.out.println(t.line("broker-paused", "exactly-once"));
            assertEquals(0, t.lost(), "frames without a committed result: " + t);
            assertEquals(0, t.duplicated(), "committed results beyond one per frame: " + t);
            assertEquals(200, awaitStatus(live, 200, Duration.ofSeconds(60)).statusCode(), "live again after commits");
        }
    }

    /**
     * Four cameras stream 60 frames each, one a camera every 250 ms; after 12 results the broker
     * is stopped (SIGTERM, or kill -9 with {@code kill}) for {@link #OUTAGE} while the cameras go
     * on sending, and started again on the same port and folder. The service runs under a
     * {@link Supervisor}, which restarts it if liveness stays DOWN (the tally counts restarts);
     * it must be live at the end.
     *
     * <p>{@code max-failed-transactions} is 3 here instead of 10, so that an exactly-once service
     * whose transactions keep failing turns DOWN within seconds instead of about 80 s of
     * backed-off retries.
     */
    private FaultTally bounce(String name, String mode, boolean readCommitted, boolean kill) throws Exception {
        Path log = prepare(name);
        String out = name + "-classifications";
        Map<String, String> settings = settings(name, mode, name + "-tx");
        settings.put("vitstream.delivery.max-failed-transactions", "3");
        try (Supervisor supervisor = Supervisor.start(settings, log);
                CameraFeed feed = new CameraFeed(broker.bootstrapServers(), name + "-frames", 4, ROUNDS, Duration.ofMillis(250))) {
            feed.start();
            int before = FaultTally.perFrame(KafkaClients.readUntil(broker.bootstrapServers(), out, readCommitted,
                    Duration.ofSeconds(60), l -> l.size() >= 12)).size();
            assertTrue(before >= 12, "results before the fault; service log:\n" + supervisor.service().tail());
            if (kill) {
                broker.kill();
            } else {
                broker.stop();
            }
            int roundsAtStop = feed.rounds();
            Thread.sleep(OUTAGE.toMillis());
            broker.start();
            Set<String> acked = feed.await(CameraFeed.DELIVERY_TIMEOUT);
            System.out.printf("%s: broker down after %d results and %d of %d rounds%n", name, before, roundsAtStop, ROUNDS);
            assertTrue(roundsAtStop < ROUNDS, "the cameras must still be sending when the broker goes down");
            assertTrue(before < acked.size(), "the broker must go down mid-stream, but all " + before + " were answered");
            supervisor.awaitUntil(() -> FaultTally.perFrame(KafkaClients.readAll(broker.bootstrapServers(), out, readCommitted,
                    Duration.ofSeconds(30))).keySet().containsAll(acked), Duration.ofSeconds(240));
            Map<String, Integer> perFrame = answers(out, readCommitted, acked);
            assertEquals(200, awaitStatus(supervisor.service().uri("/q/health/live"), 200, Duration.ofSeconds(60)).statusCode(),
                    "live after the broker came back; service log:\n" + supervisor.service().tail());
            return FaultTally.of(acked, perFrame, supervisor.restarts());
        }
    }

    /**
     * Six cameras stream to 3 partitions while one instance consumes; after 20 results a second
     * instance (same group, its own transactional id) starts, and once it holds partitions and
     * has published results of its own it is stopped with SIGTERM. The feed goes on for 8 rounds
     * after the first instance holds all partitions again, so every partition gets frames after
     * the second left.
     */
    private FaultTally rebalance(String name, String mode, boolean readCommitted) throws Exception {
        Path logA = prepare(name);
        Path logB = Path.of("target/" + name + "-b-service.log");
        Files.deleteIfExists(logB);
        String out = name + "-classifications";
        String bootstrap = broker.bootstrapServers();
        try (ServiceProcess a = ServiceProcess.start(settings(name, mode, name + "-tx-a"), logA);
                CameraFeed feed = new CameraFeed(bootstrap, name + "-frames", 6, 400, Duration.ofMillis(400))) {
            a.awaitStarted(90);
            feed.start();
            int before = KafkaClients.readUntil(bootstrap, out, readCommitted, Duration.ofSeconds(60), l -> l.size() >= 20).size();
            assertTrue(before >= 20, "results from the first instance; its log:\n" + a.tail());
            try (ServiceProcess b = ServiceProcess.start(settings(name, mode, name + "-tx-b"), logB)) {
                b.awaitStarted(120);
                assertMembers(name, 2, "the second instance joined; its log:\n" + b.tail());
                double ownResults = awaitPublished(b, out, 8, Duration.ofSeconds(60));
                assertTrue(ownResults >= 8, "the second instance answers frames too; its log:\n" + b.tail());
                int code = b.stop();
                assertTrue(code == 0 || code == 143, "exit code " + code + " after SIGTERM:\n" + b.tail());
                assertTrue(Files.readString(logB).contains("stopped in"), "graceful shutdown logged:\n" + b.tail());
            }
            assertMembers(name, 1, "the first instance holds every partition again");
            feed.finishAfter(8);
            Set<String> acked = feed.await(CameraFeed.DELIVERY_TIMEOUT);
            System.out.printf("%s: %d rounds of 6 cameras, partitions %s%n", name, feed.rounds(), feed.partitions());
            assertEquals(Set.of(0, 1, 2), feed.partitions(), "the cameras must cover every partition");
            return FaultTally.of(acked, answers(out, readCommitted, acked), 0);
        }
    }

    /**
     * Waits until every acknowledged frame has a result (or {@link #ANSWERS} passes), lets
     * stragglers arrive, and counts results per frame.
     */
    private static Map<String, Integer> answers(String topic, boolean readCommitted, Set<String> acked) throws InterruptedException {
        KafkaClients.readUntil(broker.bootstrapServers(), topic, readCommitted, ANSWERS,
                l -> FaultTally.perFrame(l).keySet().containsAll(acked));
        Thread.sleep(3000);
        return FaultTally.perFrame(KafkaClients.readAll(broker.bootstrapServers(), topic, readCommitted, Duration.ofSeconds(30)));
    }

    /**
     * Waits up to 90 s until the service's consumer group has {@code members} members that hold
     * partitions and together hold all 3 of the frames topic.
     */
    private static void assertMembers(String group, int members, String message) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Collection<MemberDescription> seen = List.of();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            while (System.nanoTime() < deadline) {
                seen = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group).members();
                boolean eachHolds = seen.stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                long held = seen.stream().mapToLong(m -> m.assignment().topicPartitions().size()).sum();
                if (seen.size() == members && eachHolds && held == 3) {
                    return;
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError(message + "\nexpected " + members + " members holding 3 partitions, saw " + seen);
    }

    /**
     * Polls the service's {@code vitstream_records_published_total} results on {@code topic}
     * until there are {@code wanted} or {@code timeout} passes; the last count.
     */
    private static double awaitPublished(ServiceProcess service, String topic, int wanted, Duration timeout)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest metrics = HttpRequest.newBuilder(service.uri("/q/metrics")).build();
        String series = "vitstream_records_published_total{";
        long deadline = System.nanoTime() + timeout.toNanos();
        double n = 0;
        while (n < wanted && System.nanoTime() < deadline) {
            Thread.sleep(250);
            n = http.send(metrics, HttpResponse.BodyHandlers.ofString()).body().lines()
                    .filter(l -> l.startsWith(series) && l.contains("kind=\"result\"") && l.contains("topic=\"" + topic + "\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }
        return n;
    }

    /** Creates a scenario's topics (3 partitions each) and returns its service log, emptied. */
    private static Path prepare(String name) throws IOException {
        broker.createTopics(ServiceProcess.scenarioTopics(name));
        return ServiceProcess.freshLog(name);
    }

    /** The service's settings for one scenario: its own topics and group, the given transactional id. */
    private static Map<String, String> settings(String name, String mode, String transactionalId) {
        return ServiceProcess.scenario(broker.bootstrapServers(), name, mode, transactionalId);
    }

    private static HttpResponse<String> awaitStatus(URI uri, int wanted, Duration timeout) throws IOException, InterruptedException {
        return ServiceProcess.awaitStatus(uri, wanted, timeout);
    }
}
