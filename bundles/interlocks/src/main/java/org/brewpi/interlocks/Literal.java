package org.brewpi.interlocks;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A value written in a rule: a number, {@code true}/{@code false}, or text ({@code off}, {@code 'auto'}).
 * It compares with a tag's live value the way the PLC would: numbers as numbers, never as text.
 */
record Literal(Object value) {

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    static Literal parse(String raw) {
        String s = raw.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("a value is missing");
        }
        if (NUMBER.matcher(s).matches()) {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("'" + s + "' is too large");
            }
            return new Literal(d);
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
            return new Literal(Boolean.parseBoolean(lower));
        }
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return new Literal(s.substring(1, s.length() - 1));
        }
        if (!WORD.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a number, true/false or a word (quote other text)");
        }
        return new Literal(s);
    }

    boolean isNumber() {
        return value instanceof Double;
    }

    /** Whether a live value equals this one; a value of another type never does. */
    boolean matches(Object live) {
        if (value instanceof Double d) {
            return live instanceof Number n && n.doubleValue() == d;
        }
        return value.equals(live);
    }

    /** The value as a command carries it (the gate checks its type against the tag). */
    Object commandValue() {
        return value;
    }

    @Override
    public String toString() {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }
}
