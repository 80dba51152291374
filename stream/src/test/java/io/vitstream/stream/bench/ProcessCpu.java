package io.vitstream.stream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** CPU time of processes from {@code /proc} (Linux): user + system, in seconds. */
final class ProcessCpu {

    /** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    private ProcessCpu() {}

    /** CPU seconds used so far by process {@code pid}; 0 if it is gone. */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name in parentheses (which may hold spaces): state is field 3, utime 14, stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Processes whose command line contains {@code marker}, with each one's command line. */
    static Map<Long, String> matching(String marker) {
        Map<Long, String> out = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmd = commandLine(p);
                if (cmd.contains(marker)) {
                    out.put(Long.parseLong(p.getFileName().toString()), cmd);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return out;
    }

    /** The processes {@code roots} and all their descendants (by parent id), with their command lines. */
    static Map<Long, String> withDescendants(Map<Long, String> roots) {
        Map<Long, String> out = new HashMap<>(roots);
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, String> cmd = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    long pid = Long.parseLong(p.getFileName().toString());
                    parent.put(pid, Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]));
                    cmd.put(pid, commandLine(p));
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we listed
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        for (boolean grew = true; grew; ) {
            grew = false;
            for (Map.Entry<Long, Long> e : parent.entrySet()) {
                if (out.containsKey(e.getValue()) && !out.containsKey(e.getKey())) {
                    out.put(e.getKey(), cmd.get(e.getKey()));
                    grew = true;
                }
            }
        }
        return out;
    }

    /** CPU seconds per process, for all {@code pids}. */
    static Map<Long, Double> sample(List<Long> pids) {
        Map<Long, Double> out = new HashMap<>();
        pids.forEach(pid -> out.put(pid, seconds(pid)));
        return out;
    }

    private static String commandLine(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
