package io.vitstream.analytics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Time per frame of {@link CameraAnalytics#update} (tracking, 2 lines, 2 zones) on scripted
 * scenes of 5, 20 and 50 moving objects ({@link MovingBoxes}), and {@link CameraAnalytics#snapshot()}
 * size and time at 20, printed as Markdown. Frames are made before the clock starts. The JIT
 * warms up first on {@code --warmup} frames of 20 objects (on a shared 2-core machine its compiler
 * threads get little CPU, and the code settles only after tens of thousands of frames); then each
 * size runs its own scene in chunks of {@value #CHUNK} frames until two chunks in a row are no
 * longer 5% faster than the best before them, and times {@code --frames} frames one by one, on one
 * thread, by the thread's CPU time and by the wall clock: the wall clock also counts the time the
 * thread waited for a core while other processes ran.
 *
 * <pre>tools/bench-tracking.sh [--frames 5000] [--warmup 30000]</pre>
 */
public final class TrackingBenchmark {

    private static final int[] OBJECTS = {5, 20, 50};
    private static final int CHUNK = 1000;
    private static final int MAX_WARMUP_CHUNKS = 200;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final AnalyticsSettings SETTINGS = AnalyticsSettings.DEFAULT;

    private TrackingBenchmark() {}

    public static void main(String[] args) {
        int frames = intArg(args, "--frames", 5000);
        int warmup = intArg(args, "--warmup", 30000);
        System.out.println(machine());
        System.out.printf(Locale.ROOT, "- JIT warm-up on %d frames of 20 objects, then %d timed frames per row;"
                + " settings: defaults (%s)%n%n", warmup, frames, SETTINGS.tracker());
        MovingBoxes jitScene = new MovingBoxes(1, 20);
        CameraAnalytics jit = new CameraAnalytics(MovingBoxes.config(), SETTINGS);
        for (int f = 0; f < warmup; f++) {
            jit.update(jitScene.next(), 40L * f);
        }
        System.out.println("| objects | warm-up frames | tracks (mean) | events/frame | CPU µs/frame mean | p99 "
                + "| wall µs/frame mean | p99 |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        CameraAnalytics atTwenty = null;
        for (int objects : OBJECTS) {
            CameraAnalytics analytics = new CameraAnalytics(MovingBoxes.config(), SETTINGS);
            int warmed = warmUp(analytics, new MovingBoxes(1000 + objects, objects));
            Run run = timeUpdates(analytics, scene(objects, objects, frames));
            System.out.printf(Locale.ROOT, "| %d | %d | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f |%n", objects, warmed,
                    run.meanTracks(), run.eventsPerFrame(), mean(run.cpuNanos()) / 1e3, p99(run.cpuNanos()) / 1e3,
                    mean(run.nanos()) / 1e3, p99(run.nanos()) / 1e3);
            if (objects == 20) {
                atTwenty = analytics;
            }
        }
        printSnapshot(atTwenty);
    }

    /**
     * Runs chunks of frames until two in a row are no longer 5% faster than the best before them;
     * returns how many frames it ran.
     */
    private static int warmUp(CameraAnalytics analytics, MovingBoxes boxes) {
        double best = Double.MAX_VALUE;
        int settled = 0;
        for (int chunk = 1; chunk <= MAX_WARMUP_CHUNKS; chunk++) {
            List<List<Observation>> frames = new ArrayList<>(CHUNK);
            for (int f = 0; f < CHUNK; f++) {
                frames.add(boxes.next());
            }
            double now = mean(timeUpdates(analytics, frames).cpuNanos());
            settled = now > 0.95 * best ? settled + 1 : 0;
            if (settled >= 2) {
                return chunk * CHUNK;
            }
            best = Math.min(best, now);
        }
        return MAX_WARMUP_CHUNKS * CHUNK;
    }

    /** Wall-clock and CPU nanoseconds per frame, mean confirmed tracks, events per frame. */
    private record Run(long[] nanos, long[] cpuNanos, double meanTracks, double eventsPerFrame) {}

    private static Run timeUpdates(CameraAnalytics analytics, List<List<Observation>> frames) {
        long[] nanos = new long[frames.size()];
        long[] cpuNanos = new long[frames.size()];
        long tracks = 0;
        long events = 0;
        long time = 0;
        for (int f = 0; f < frames.size(); f++) {
            time += 40;
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            CameraAnalytics.Outcome outcome = analytics.update(frames.get(f), time);
            nanos[f] = System.nanoTime() - start;
            cpuNanos[f] = THREADS.getCurrentThreadCpuTime() - cpuStart;
            events += outcome.events().size();
            tracks += analytics.tracks().size();
        }
        return new Run(nanos, cpuNanos, (double) tracks / frames.size(), (double) events / frames.size());
    }

    private static void printSnapshot(CameraAnalytics analytics) {
        int repeats = 2000;
        long[][] writes = new long[2][repeats];
        long[][] reads = new long[2][repeats];
        String snapshot = "";
        for (int pass = 0; pass < 3; pass++) { // the first two passes warm up
            for (int i = 0; i < repeats; i++) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                snapshot = analytics.snapshot();
                writes[0][i] = THREADS.getCurrentThreadCpuTime() - cpu;
                writes[1][i] = System.nanoTime() - wall;
                cpu = THREADS.getCurrentThreadCpuTime();
                wall = System.nanoTime();
                CameraAnalytics.restore(analytics.config(), SETTINGS, snapshot);
                reads[0][i] = THREADS.getCurrentThreadCpuTime() - cpu;
                reads[1][i] = System.nanoTime() - wall;
            }
        }
        System.out.printf(Locale.ROOT, "%n| at 20 objects | value |%n|---|---:|%n");
        System.out.printf(Locale.ROOT, "| live tracks (tentative included) | %d |%n", analytics.tracker().tracks().size());
        System.out.printf(Locale.ROOT, "| snapshot() size | %d bytes |%n", snapshot.getBytes(StandardCharsets.UTF_8).length);
        System.out.printf(Locale.ROOT, "| snapshot() CPU mean / p99, wall mean | %s |%n", times(writes));
        System.out.printf(Locale.ROOT, "| restore() CPU mean / p99, wall mean | %s |%n", times(reads));
    }

    private static String times(long[][] cpuAndWall) {
        return String.format(Locale.ROOT, "%.1f / %.1f µs, %.1f µs", mean(cpuAndWall[0]) / 1e3, p99(cpuAndWall[0]) / 1e3,
                mean(cpuAndWall[1]) / 1e3);
    }

    private static List<List<Observation>> scene(long seed, int objects, int frames) {
        MovingBoxes boxes = new MovingBoxes(seed, objects);
        List<List<Observation>> out = new ArrayList<>(frames);
        for (int f = 0; f < frames; f++) {
            out.add(boxes.next());
        }
        return out;
    }

    private static double mean(long[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    private static double p99(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.99 * sorted.length) - 1];
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    /** CPU, Java and the load average, as Markdown bullets. */
    private static String machine() {
        return "- CPU: " + procField("/proc/cpuinfo", "model name") + ", " + Runtime.getRuntime().availableProcessors()
                + " logical CPUs visible to the JVM\n- Java " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.name") + "), heap max " + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MB\n- load average before the run (1, 5, 15 min): " + procField("/proc/loadavg", null);
    }

    /** A field of a {@code key : value} file such as /proc/cpuinfo, or its first line when key is null. */
    private static String procField(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (key == null) {
                    return String.join(", ", Arrays.asList(line.split(" ")).subList(0, 3));
                }
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
