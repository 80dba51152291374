package io.vitstream.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reflection metadata a native image needs for Jackson to read and write the records
 * (GraalVM is not on this machine, so the file is checked here instead of by a native build):
 * every record, enum and sealed type reachable from {@link FrameResult} and {@link Event} is registered with what
 * Jackson uses on it, every naming strategy named by {@code @JsonNaming} can be instantiated,
 * nothing registered is stale, and only attributes GraalVM's reflect-config schema defines are used.
 */
class NativeImageMetadataTest {

    private static final String DIR = "/META-INF/native-image/io.vitstream/vitstream-results/";
    /** Attributes of GraalVM's reflect-config-schema-v1.1.0.json used in this file. */
    private static final Set<String> KNOWN = Set.of("name", "allDeclaredConstructors", "allPublicConstructors",
            "allDeclaredMethods", "allPublicMethods", "allDeclaredFields", "allRecordComponents",
            "allPermittedSubclasses");
    private static final Set<String> RECORD = Set.of("allDeclaredConstructors", "allDeclaredMethods",
            "allDeclaredFields", "allPublicMethods", "allRecordComponents");

    @Test
    void everyTypeJacksonReflectsOnIsRegistered() throws IOException {
        Map<String, Set<String>> registered = registrations();
        Set<Class<?>> needed = reachableTypes();
        for (Class<?> type : needed) {
            Set<String> flags = registered.get(type.getName());
            assertTrue(flags != null, type.getName() + " is reachable from FrameResult or Event but not in reflect-config.json");
            Set<String> want = type.isRecord() ? RECORD
                    : type.isEnum() ? Set.of("allDeclaredFields", "allPublicMethods")
                    : Set.of("allDeclaredMethods", "allPermittedSubclasses");
            assertTrue(flags.containsAll(want), type.getName() + " needs " + want + ", has " + flags);
        }
        for (Class<?> type : needed) {
            JsonNaming naming = type.getAnnotation(JsonNaming.class);
            if (naming != null) {
                Set<String> flags = registered.get(naming.value().getName());
                assertTrue(flags != null && flags.contains("allDeclaredConstructors"),
                        "Jackson instantiates " + naming.value().getName() + " (named on " + type.getSimpleName() + ")");
            }
        }
    }

    @Test
    void nothingRegisteredIsStaleOrUnknown() throws IOException {
        for (Map.Entry<String, Set<String>> e : registrations().entrySet()) {
            try {
                Class.forName(e.getKey(), false, getClass().getClassLoader());
            } catch (ClassNotFoundException missing) {
                throw new AssertionError("reflect-config.json registers " + e.getKey() + ", which does not exist");
            }
            Set<String> unknown = new TreeSet<>(e.getValue());
            unknown.removeAll(KNOWN);
            assertTrue(unknown.isEmpty(), e.getKey() + " uses attributes " + unknown);
        }
    }

    @Test
    void resourceConfigIncludesThePackedSchemas() throws IOException {
        JsonNode config = read("resource-config.json");
        String pattern = config.at("/resources/includes/0/pattern").asText();
        for (String name : new String[] {"frame-result.schema.json", "dead-letter-headers.schema.json"}) {
            String path = "io/vitstream/results/schemas/" + name;
            assertTrue(path.matches(pattern), path + " does not match " + pattern);
            assertTrue(getClass().getResource("/" + path) != null, path + " is not packed");
        }
    }

    /** Records, enums and sealed interfaces reachable through record components and subtypes. */
    private static Set<Class<?>> reachableTypes() {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Type> todo = new ArrayDeque<>();
        todo.add(FrameResult.class);
        todo.add(Event.class);
        while (!todo.isEmpty()) {
            Type t = todo.pop();
            if (t instanceof ParameterizedType p) {
                todo.addAll(java.util.List.of(p.getActualTypeArguments()));
                continue;
            }
            if (!(t instanceof Class<?> c) || !c.getName().startsWith("io.vitstream.") || !seen.add(c)) {
                continue;
            }
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    todo.add(rc.getGenericType());
                }
            }
            JsonSubTypes sub = c.getAnnotation(JsonSubTypes.class);
            if (sub != null) {
                for (JsonSubTypes.Type s : sub.value()) {
                    todo.add(s.value());
                }
            }
        }
        assertEquals(12, seen.size(), () -> "types reachable from FrameResult and Event changed: " + seen);
        return seen;
    }

    private static Map<String, Set<String>> registrations() throws IOException {
        Map<String, Set<String>> out = new HashMap<>();
        for (JsonNode entry : read("reflect-config.json")) {
            Set<String> flags = new TreeSet<>();
            entry.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("name")) {
                    assertTrue(f.getValue().asBoolean(), entry.get("name") + ": " + f.getKey() + " is not true");
                }
                flags.add(f.getKey());
            });
            out.put(entry.get("name").asText(), flags);
        }
        return out;
    }

    private static JsonNode read(String file) throws IOException {
        try (InputStream in = NativeImageMetadataTest.class.getResourceAsStream(DIR + file)) {
            assertTrue(in != null, DIR + file + " is missing");
            return new ObjectMapper().readTree(in);
        }
    }
}
