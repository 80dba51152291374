package io.vitstream.analytics;

import java.util.regex.Pattern;

/** Comma-separated numbers of a line or zone setting, read with messages that name the setting. */
final class SettingNumbers {

    /** A plain decimal number; {@link Double#parseDouble} alone would also take "1f", "0x1p3" or "NaN". */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private SettingNumbers() {}

    /**
     * Parses {@code value} as finite numbers separated by commas (blanks around them allowed).
     *
     * @param setting the setting's full name, for messages
     * @throws IllegalArgumentException naming {@code setting} and the bad value (by position, from 1)
     */
    static double[] parse(String setting, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(setting + ": no value (expected numbers separated by commas)");
        }
        String[] parts = value.split(",", -1);
        double[] numbers = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            if (!DECIMAL.matcher(part).matches()) {
                String what = isNonFiniteWord(part) ? "is not finite" : "is not a number";
                throw new IllegalArgumentException(
                        setting + ": value " + (i + 1) + " '" + part + "' " + what + " (in '" + value + "')");
            }
            numbers[i] = Double.parseDouble(part);
            requireFinite(setting, i, numbers[i]);
        }
        return numbers;
    }

    /** Refuses NaN and the infinities (a literal such as 1e400 overflows to infinity). */
    static void requireFinite(String what, int index, double number) {
        if (!Double.isFinite(number)) {
            throw new IllegalArgumentException(what + ": value " + (index + 1) + " is not finite (" + number + ")");
        }
    }

    private static boolean isNonFiniteWord(String part) {
        String word = part.startsWith("+") || part.startsWith("-") ? part.substring(1) : part;
        return word.equalsIgnoreCase("nan") || word.equalsIgnoreCase("infinity") || word.equalsIgnoreCase("inf");
    }
}
