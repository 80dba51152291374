package io.vitstream.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read into its instructions, enough to check what it copies and how its last stage
 * runs: line continuations joined, comments dropped, JSON and shell forms split into arguments.
 *
 * @param path the file
 * @param instructions every instruction in order
 */
record Dockerfile(Path path, List<Instruction> instructions) {

    /**
     * One instruction.
     *
     * @param keyword upper case, e.g. {@code COPY}
     * @param flags its {@code --name=value} flags
     * @param args the rest, split
     * @param stage index of the build stage it belongs to (FROM starts the next)
     */
    record Instruction(String keyword, Map<String, String> flags, List<String> args, int stage) {}

    private static final Pattern FLAG = Pattern.compile("--([a-z-]+)(?:=(\\S*))?");
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

    static Dockerfile read(Path path) {
        String text = Repo.read(path).replaceAll("\\\\\\r?\\n", " ");
        List<Instruction> out = new ArrayList<>();
        int stage = -1;
        for (String line : text.split("\\r?\\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] head = trimmed.split("\\s+", 2);
            String keyword = head[0].toUpperCase();
            String rest = head.length > 1 ? head[1].strip() : "";
            if (keyword.equals("FROM")) {
                stage++;
            }
            Map<String, String> flags = new LinkedHashMap<>();
            Matcher m = FLAG.matcher(rest);
            while (m.lookingAt()) {
                flags.put(m.group(1), m.group(2) == null ? "" : m.group(2));
                rest = rest.substring(m.end()).strip();
                m = FLAG.matcher(rest);
            }
            out.add(new Instruction(keyword, flags, split(keyword, rest), stage));
        }
        return new Dockerfile(path, out);
    }

    /** Instructions of one keyword in the final stage (the image that runs). */
    List<Instruction> last(String keyword) {
        int lastStage = instructions.stream().mapToInt(Instruction::stage).max().orElse(0);
        return instructions.stream().filter(i -> i.stage() == lastStage && i.keyword().equals(keyword)).toList();
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The final stage's environment, ENV by ENV (later ones win). */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : last("ENV")) {
            Matcher m = ENV_PAIR.matcher(String.join(" ", i.args()));
            while (m.find()) {
                String v = m.group(2);
                env.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
            }
        }
        return env;
    }

    private static List<String> split(String keyword, String rest) {
        if (rest.startsWith("[") && !keyword.equals("ENV")) {
            try {
                return Arrays.asList(new ObjectMapper().readValue(rest, String[].class));
            } catch (IOException e) {
                throw new IllegalArgumentException("bad JSON form '" + rest + "'", e);
            }
        }
        return keyword.equals("ENV") || keyword.equals("RUN") ? List.of(rest) : Arrays.asList(rest.split("\\s+"));
    }
}
