package org.brewpi.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes changed values into a configuration's {@code .cfg} file in conf/, keeping the integrator's comments,
 * order and layout: the file, not ConfigurationAdmin's cache, is what the box reads at its next start.
 * <p>
 * FileInstall's own write-back ({@code felix.fileinstall.enableConfigSave}) stays off: it rewrites the whole file
 * without comments and not atomically, so its 1-second poll could read half a file (the broker's password hashing
 * avoids it for the same reason). Here the file is written to a temporary sibling ({@code .tmp}, which FileInstall's
 * filter ignores) and renamed over the old one atomically.
 */
final class ConfFile {

    private ConfFile() {
    }

    /**
     * Sets each key's line to the new value (a key without a line gets one at the end).
     *
     * @param values the changed keys only, with the values as the file should hold them
     */
    static void write(Path file, Map<String, String> values) throws IOException {
        // Latin-1 maps every byte to one char and back: lines not touched are written back byte for byte.
        List<String> in = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        Map<String, String> left = new LinkedHashMap<>(values);
        List<String> out = new ArrayList<>(in.size() + values.size());
        for (int i = 0; i < in.size(); i++) {
            String line = in.get(i);
            String key = keyOf(line);
            if (key == null || !values.containsKey(key)) {
                out.add(line);
                continue;
            }
            while (continues(in.get(i)) && i + 1 < in.size()) {
                i++; // the old value's continuation lines go with it
            }
            if (left.remove(key) != null) {
                out.add(escapeKey(key) + " = " + escapeValue(values.get(key)));
            } // a second line of the same key: the first one wins, as Properties reads the last; keep one
        }
        left.forEach((k, v) -> out.add(escapeKey(k) + " = " + escapeValue(v)));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, out, StandardCharsets.ISO_8859_1);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static final Pattern COMMENT = Pattern.compile("^\\s*([#!].*)?$");

    /** The key of a {@code key = value} line (as java.util.Properties reads it), {@code null} for comments. */
    static String keyOf(String line) {
        if (COMMENT.matcher(line).matches()) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        for (; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                key.append(line.charAt(++i));
            } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    /** A line ending in an odd number of backslashes goes on in the next line. */
    private static boolean continues(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    private static String escapeKey(String key) {
        StringBuilder out = new StringBuilder();
        for (char c : key.toCharArray()) {
            if (c == '=' || c == ':' || c == ' ' || c == '\\' || c == '#' || c == '!') {
                out.append('\\');
            }
            out.append(c);
        }
        return ascii(out.toString());
    }

    /** Backslashes doubled, a leading blank kept, anything beyond ASCII as \\uXXXX (read alike in any charset). */
    static String escapeValue(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (i == 0 && c == ' ') {
                out.append("\\ ");
            } else {
                out.append(c);
            }
        }
        return ascii(out.toString());
    }

    private static String ascii(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
