package io.vitstream.stream.pipeline;

import io.smallrye.mutiny.CompositeException;

import java.util.function.Predicate;

/** Looks through a failure's causes, including every cause of a Mutiny {@link CompositeException}. */
public final class Causes {

    private static final int MAX_DEPTH = 16;

    private Causes() {}

    /** Whether {@code t} or any of its causes matches. */
    public static boolean any(Throwable t, Predicate<Throwable> match) {
        return any(t, match, 0);
    }

    private static boolean any(Throwable t, Predicate<Throwable> match, int depth) {
        if (t == null || depth > MAX_DEPTH) {
            return false;
        }
        if (match.test(t)) {
            return true;
        }
        if (t instanceof CompositeException c && c.getCauses().stream().anyMatch(x -> any(x, match, depth + 1))) {
            return true;
        }
        return t.getCause() != t && any(t.getCause(), match, depth + 1);
    }
}
