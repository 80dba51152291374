package io.vitstream.stream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The packaged service under a liveness probe, as Kubernetes runs it: {@code /q/health/live}
 * every {@link #PERIOD}, and after {@link #FAILURES} DOWN answers in a row the process gets
 * SIGTERM and is started again with the same settings and log. A test can then check what a
 * deployment would see, and count the restarts it took.
 */
final class Supervisor implements AutoCloseable {

    /** Shorter than Kubernetes' 10 s default, to keep the tests short. */
    static final Duration PERIOD = Duration.ofSeconds(5);
    static final int FAILURES = 3;

    private final Map<String, String> settings;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private ServiceProcess service;
    private int restarts;

    private Supervisor(Map<String, String> settings, Path log) {
        this.settings = settings;
        this.log = log;
    }

    /** Starts the service and waits up to 90 s for it. */
    static Supervisor start(Map<String, String> settings, Path log) throws IOException, InterruptedException {
        Supervisor s = new Supervisor(settings, log);
        s.service = ServiceProcess.start(settings, log);
        s.service.awaitStarted(90);
        return s;
    }

    /** The service process running now. */
    ServiceProcess service() {
        return service;
    }

    /** Restarts made because liveness stayed DOWN. */
    int restarts() {
        return restarts;
    }

    /**
     * Waits until {@code done} holds (asked every second) or {@code timeout} passes, probing
     * liveness meanwhile and restarting the service as described above.
     *
     * @return whether {@code done} held in time
     */
    boolean awaitUntil(BooleanSupplier done, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextProbe = System.nanoTime();
        int down = 0;
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() >= nextProbe) {
                nextProbe = System.nanoTime() + PERIOD.toNanos();
                down = isDown() ? down + 1 : 0;
                if (down >= FAILURES) {
                    service.stop();
                    service = ServiceProcess.start(settings, log);
                    service.awaitStarted(90);
                    restarts++;
                    down = 0;
                }
            }
            Thread.sleep(1000);
        }
        return done.getAsBoolean();
    }

    private boolean isDown() throws IOException, InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(service.uri("/q/health/live")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 503;
        } catch (ConnectException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        service.close();
    }
}
