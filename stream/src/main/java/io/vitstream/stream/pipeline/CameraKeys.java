package io.vitstream.stream.pipeline;

import java.util.Optional;

/**
 * What a record key (camera id) may be. The key is copied into every result's key and JSON, the
 * dead letter and a header, so an unbounded one (a 700 KB key makes a result larger than a
 * topic's default {@code max.message.bytes}) would turn one bad record into a publish that never
 * succeeds. Keys are bounded in UTF-8 bytes ({@code vitstream.limits.max-key-bytes}) and must be
 * printable: no control characters and no U+FFFD (what invalid UTF-8 decodes to).
 */
public final class CameraKeys {

    /** How much of a refused key its dead letter shows (as its key and in its message). */
    static final int SHOWN_CHARS = 64;

    private CameraKeys() {}

    /** Why {@code key} is refused, or empty when it is fine ({@code ""}, no key, is fine). */
    public static Optional<String> problem(String key, int maxBytes) {
        // One pass, no copy: runs for every frame.
        long bytes = 0;
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            if (Character.isISOControl(cp) || cp == 0xFFFD || Character.getType(cp) == Character.SURROGATE) {
                return Optional.of(String.format("key has a non-printable character U+%04X at index %d", cp, i));
            }
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            i += Character.charCount(cp);
        }
        if (bytes > maxBytes) {
            return Optional.of("key of " + bytes + " bytes is over vitstream.limits.max-key-bytes=" + maxBytes);
        }
        return Optional.empty();
    }

    /** A bounded, printable rendering of a key, safe to publish: the first characters, control ones as '?'. */
    public static String shown(String key) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < key.length() && s.length() < SHOWN_CHARS; ) {
            int cp = key.codePointAt(i);
            s.appendCodePoint(Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE ? '?' : cp);
            i += Character.charCount(cp);
        }
        return s.length() < key.length() ? s + "..." : s.toString();
    }
}
