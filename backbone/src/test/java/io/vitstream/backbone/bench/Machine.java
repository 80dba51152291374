package io.vitstream.backbone.bench;

import ai.djl.engine.Engine;

import io.vitstream.backbone.Djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the numbers were measured on. */
public final class Machine {

    private Machine() {}

    /** CPU, memory, Java, DJL, PyTorch and ONNX Runtime versions and thread settings, as Markdown bullets. */
    public static String describe() {
        String flags = field("/proc/cpuinfo", "flags");
        List<String> f = List.of(flags.split(" "));
        String cpu = String.format(Locale.ROOT, "%s, %d logical CPUs visible to the JVM, AVX-512: %s, AVX-512 BF16: %s, AMX: %s",
                field("/proc/cpuinfo", "model name"), Runtime.getRuntime().availableProcessors(),
                yes(f.contains("avx512f")), yes(f.contains("avx512_bf16")), yes(f.contains("amx_bf16")));
        String kb = field("/proc/meminfo", "MemTotal").replace("kB", "").trim();
        String mem = kb.isEmpty() ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kb) / 1048576.0);
        String java = System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ")";
        String pt = Djl.engine().getVersion() + ", threads intra-op " + System.getProperty("ai.djl.pytorch.num_threads")
                + ", inter-op " + System.getProperty("ai.djl.pytorch.num_interop_threads");
        return "- CPU: " + cpu + "\n- memory: " + mem + "\n- Java " + java + ", heap max "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB\n- DJL " + Engine.getDjlVersion()
                + "; PyTorch (DJL native) " + pt + "\n- ONNX Runtime " + ortVersion() + ", threads intra-op 2, inter-op 1";
    }

    private static String ortVersion() {
        try {
            // DJL's engine first: it creates ONNX Runtime's environment with its own thread options,
            // which it cannot do once a plain environment exists.
            return Engine.getEngine("OnnxRuntime").getVersion();
        } catch (RuntimeException | LinkageError e) {
            try {
                return ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(); // no DJL engine (heads benchmarks)
            } catch (RuntimeException | LinkageError e2) {
                e.addSuppressed(e2);
            }
            return "(not available: " + ViTBenchmark.firstLine(e) + ")";
        }
    }

    /** The 1, 5 and 15 minute load averages and the run queue ({@code /proc/loadavg}, what uptime prints). */
    public static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return p[0] + ", " + p[1] + ", " + p[2] + " (running/total tasks " + p[3] + ")";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** CPU time counters: all CPUs busy, this process and its waited-for children (ticks), wall clock (ns). */
    public record Cpu(long busy, long self, long nanos) {}

    /** A snapshot of {@link Cpu} from {@code /proc/stat} and {@code /proc/self/stat} (zeros when unreadable). */
    public static Cpu cpu() {
        long nanos = System.nanoTime();
        try {
            String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) busy += Long.parseLong(all[i]); // user nice system irq softirq steal
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] me = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long self = 0;
            for (int i = 11; i <= 14; i++) self += Long.parseLong(me[i]); // utime stime cutime cstime
            return new Cpu(busy, self, nanos);
        } catch (IOException | RuntimeException e) {
            return new Cpu(0, 0, nanos);
        }
    }

    /** Percent of all CPUs' time used by other processes between two snapshots (USER_HZ 100). */
    public static double othersPercent(Cpu a, Cpu b) {
        double ticks = (b.nanos() - a.nanos()) / 1e9 * 100 * Runtime.getRuntime().availableProcessors();
        return ticks <= 0 ? 0 : Math.max(0, 100 * ((b.busy() - a.busy()) - (b.self() - a.self())) / ticks);
    }

    /**
     * Waits (idle) until other processes use less than {@code percent} of the CPU time over a
     * 2-second window, at most {@code maxSeconds}.
     *
     * @return the other processes' share in the last window
     */
    public static double awaitQuiet(double percent, int maxSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        double others;
        boolean told = false;
        do {
            Cpu a = cpu();
            Thread.sleep(2_000);
            others = othersPercent(a, cpu());
            if (others >= percent && !told) {
                System.out.printf(Locale.ROOT, "other processes use %.0f%% of the CPU; waiting up to %d s%n", others, maxSeconds);
                told = true;
            }
        } while (others >= percent && System.nanoTime() < deadline);
        return others;
    }

    /** Wall time of one run of {@code work}, in ms. */
    public static double timeMs(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Resident set size of this process in MB, or -1. */
    public static long rssMb() {
        String kb = field("/proc/self/status", "VmRSS").replace("kB", "").trim();
        return kb.isEmpty() ? -1 : Long.parseLong(kb) / 1024;
    }

    private static String field(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) return line.substring(colon + 1).trim();
            }
        } catch (IOException e) {
            // not Linux: leave it empty
        }
        return "";
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
