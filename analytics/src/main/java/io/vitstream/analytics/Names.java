package io.vitstream.analytics;

/** Checks the names of lines and zones, which appear in events, counts and settings keys. */
final class Names {

    private Names() {}

    /**
     * Returns {@code name} when it is usable.
     *
     * @param what what is named, for the message (e.g. {@code line}, or a setting)
     * @throws IllegalArgumentException when the name is null, blank or has blanks around it
     */
    static String require(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + ": the name is missing or blank ('" + name + "')");
        }
        if (!name.strip().equals(name)) {
            throw new IllegalArgumentException(what + ": the name '" + name + "' has blanks around it");
        }
        return name;
    }
}
