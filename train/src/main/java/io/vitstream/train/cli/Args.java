package io.vitstream.train.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} options of one subcommand. Every option read is
 * remembered, so {@link #requireAllUsed()} can reject a misspelt one by name instead of
 * silently training with a default.
 */
final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> used = new LinkedHashSet<>();

    Args(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "' (options are --name value)");
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                values.put(name, args.get(++i));
            } else {
                values.put(name, "true");
            }
        }
    }

    String string(String name, String fallback) {
        used.add(name);
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        used.add(name);
        String v = values.get(name);
        if (v == null) throw new IllegalArgumentException("missing option --" + name);
        return v;
    }

    Path path(String name, String fallback) {
        String v = string(name, fallback);
        return v == null ? null : Path.of(v);
    }

    int integer(String name, int fallback) {
        String v = string(name, null);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    double number(String name, double fallback) {
        String v = string(name, null);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    boolean flag(String name, boolean fallback) {
        String v = string(name, null);
        if (v == null) return fallback;
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("--" + name + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** Comma-separated integers, e.g. {@code 0,1,2}. */
    int[] integers(String name, int[] fallback) {
        String v = string(name, null);
        if (v == null) return fallback;
        List<Integer> out = new ArrayList<>();
        for (String p : v.split(",")) out.add(Integer.parseInt(p.trim()));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @throws IllegalArgumentException naming options nobody read */
    void requireAllUsed() {
        List<String> unknown = values.keySet().stream().filter(k -> !used.contains(k)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + unknown.stream().map(k -> "--" + k).toList()
                    + "; known: " + used.stream().map(k -> "--" + k).toList());
        }
    }
}
