package io.vitstream.stream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.stream.HeadlessChrome;
import io.vitstream.stream.ServiceProcess;

import org.openqa.selenium.chrome.ChromeDriver;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The live view with many cameras in headless Chromium: the packaged service with its demo source
 * on {@code --cameras} cameras at {@code --fps} frames/s in all, the page opened once every camera
 * has a processed frame; then the time from navigation start to the first frame drawn
 * ({@code window.vitstreamLive.firstFrameMs}) and, over {@code --seconds}, the CPU the browser's
 * renderer process(es) and all its processes used (utime + stime from /proc, as % of one core),
 * frames the page drew, and the service's own CPU, which shares the machine's cores. Prints a
 * Markdown table.
 *
 * <pre>tools/bench-live.sh --cameras 16 --fps 24 --seconds 30</pre>
 */
public final class LiveBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int cameras = Integer.parseInt(o.get("--cameras"));
        double fps = Double.parseDouble(o.get("--fps"));
        int seconds = Integer.parseInt(o.get("--seconds"));
        HeadlessChrome.assumeInstalled();
        String names = IntStream.rangeClosed(1, cameras).mapToObj(i -> "cam-" + i).collect(Collectors.joining(","));
        Path target = ServiceProcess.moduleDir().resolve("target");
        Path log = target.resolve("bench-live-service.log");
        java.nio.file.Files.deleteIfExists(log);
        Map<String, String> settings = Map.of("vitstream.kafka.embedded.data-dir", target.resolve("bench-live-kafka").toString(),
                "vitstream.kafka.embedded.port", "0", "vitstream.kafka.embedded.wipe", "true", "vitstream.model.precision", "fp32",
                "vitstream.demo.cameras", names, "vitstream.demo.fps", Double.toString(fps), "vitstream.log-every", "0",
                "quarkus.http.host", "127.0.0.1", "quarkus.http.port", "0");
        try (ServiceProcess service = ServiceProcess.start(settings, log)) {
            service.awaitStarted(180);
            awaitCameras(service, cameras, Duration.ofMinutes(3));
            Path profile = target.resolve("bench-live-profile-" + System.nanoTime()).toAbsolutePath();
            ChromeDriver browser = HeadlessChrome.start(profile, 1600, 1000);
            try {
                browser.get(service.uri("/").toString());
                System.out.println(table(cameras, fps, seconds, measure(browser, service, profile, seconds)));
            } finally {
                browser.quit();
            }
        }
    }

    /** What one run measured; rates per second of wall time, CPU as a fraction of one core. */
    private record Measured(double firstMs, double processed, double drawn, double renderer, double browser, double service,
            int processes, int renderers) {}

    /** First frame, then CPU and frames over {@code seconds}, 3 s after the first frame. */
    private static Measured measure(ChromeDriver browser, ServiceProcess service, Path profile, int seconds) throws Exception {
        double first = awaitNumber(browser, "return window.vitstreamLive.firstFrameMs", Duration.ofSeconds(60));
        Thread.sleep(3000);
        Map<Long, String> commands = ProcessCpu.withDescendants(ProcessCpu.matching(profile.toString()));
        List<Long> pids = new ArrayList<>(commands.keySet());
        Map<Long, Double> before = ProcessCpu.sample(pids);
        double serviceBefore = ProcessCpu.seconds(service.pid());
        double drawnBefore = number(browser, "return window.vitstreamLive.framesDrawn");
        long versionsBefore = versions(service);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double wall = (System.nanoTime() - t0) / 1e9;
        double drawn = number(browser, "return window.vitstreamLive.framesDrawn") - drawnBefore;
        double processed = versions(service) - versionsBefore;
        double serviceCpu = ProcessCpu.seconds(service.pid()) - serviceBefore;
        Map<Long, Double> after = ProcessCpu.sample(pids);
        double renderer = 0;
        double all = 0;
        int renderers = 0;
        for (long pid : pids) {
            double used = after.get(pid) - before.get(pid);
            all += used;
            if (commands.get(pid).contains("--type=renderer")) {
                renderer += used;
                renderers++;
            }
        }
        return new Measured(first, processed / wall, drawn / wall, renderer / wall, all / wall, serviceCpu / wall, pids.size(), renderers);
    }

    private static String table(int cameras, double fps, int seconds, Measured m) {
        return String.format("""
                %s; headless Chromium %s, window 1600x1000; service and browser on the same cores.

                | cameras | demo frames/s (all cameras) | frames processed/s (all cameras) | first frame drawn after navigation | frames drawn/s (page) | renderer CPU (%% of one core) | all browser processes CPU | service CPU |
                |---:|---:|---:|---:|---:|---:|---:|---:|
                | %d | %.0f | %.1f | %.0f ms | %.1f | %.1f%% | %.1f%% | %.1f%% |

                Frames processed: the cameras' versions advanced over the %d s; frames drawn: new frames on the page's tiles (it skips to the newest when it falls behind). CPU: utime + stime from /proc of the browser's processes (found by their profile folder and its process tree: %d processes, %d of them renderers), as %% of one core.""",
                Machine.describe(), HeadlessChrome.BROWSER, cameras, fps, m.processed(), m.firstMs(), m.drawn(), 100 * m.renderer(),
                100 * m.browser(), 100 * m.service(), seconds, m.processes(), m.renderers());
    }

    private static void awaitCameras(ServiceProcess service, int cameras, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (JSON.readTree(ServiceProcess.get(service.uri("/live/cameras")).body()).path("cameras").size() < cameras) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fewer than " + cameras + " cameras processed within " + timeout + "; log:\n" + service.tail());
            }
            Thread.sleep(500);
        }
    }

    /** The sum of the cameras' versions: frames processed so far. */
    private static long versions(ServiceProcess service) throws Exception {
        HttpResponse<String> r = ServiceProcess.get(service.uri("/live/cameras"));
        long sum = 0;
        for (JsonNode c : JSON.readTree(r.body()).path("cameras")) {
            sum += c.path("version").asLong();
        }
        return sum;
    }

    private static double number(ChromeDriver browser, String script) {
        Object o = browser.executeScript(script);
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static double awaitNumber(ChromeDriver browser, String script, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        double v = number(browser, script);
        while (Double.isNaN(v)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("'" + script + "' gave no number within " + timeout);
            }
            Thread.sleep(50);
            v = number(browser, script);
        }
        return v;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>(Map.of("--cameras", "16", "--fps", "24", "--seconds", "30"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + o.keySet());
            }
            o.put(args[i], args[i + 1]);
        }
        return o;
    }
}
