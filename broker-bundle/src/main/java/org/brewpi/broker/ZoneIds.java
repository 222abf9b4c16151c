package org.brewpi.broker;

import java.util.Set;
import java.util.regex.Pattern;

/** Zone ids as docs/protocol.md defines them. They are MQTT user names and topic levels at once. */
final class ZoneIds {

    /** Lower case, digits and dashes only: no {@code +}, {@code #} or {@code /} can reach a topic or an ACL. */
    static final Pattern PATTERN = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /** {@code scada} is the SCADA's own level ({@code brewpi/v1/scada/...}): a zone by that name would impersonate it. */
    static final Set<String> RESERVED = Set.of("scada");

    private ZoneIds() {
    }

    static boolean isValid(String id) {
        return problem(id) == null;
    }

    /** @return why {@code id} cannot be a zone id, or {@code null} if it can */
    static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "zone id is empty";
        }
        if (!PATTERN.matcher(id).matches()) {
            return "zone id '" + printable(id) + "' does not match " + PATTERN.pattern();
        }
        if (RESERVED.contains(id)) {
            return "zone id '" + id + "' is reserved for the SCADA";
        }
        return null;
    }

    /** Keeps a hostile id from spilling control characters or pages of text into a log line. */
    static String printable(String text) {
        return printable(text, 40);
    }

    static String printable(String text, int maxChars) {
        String shortened = text.length() > maxChars ? text.substring(0, maxChars) + "..." : text;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}
