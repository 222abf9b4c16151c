package org.brewpi.interlocks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A write a trip sends to put an output in its safe state: {@code zone.tag = v}. */
record Force(String text, TagRef tag, Literal value) {

    private static final Pattern FORM = Pattern.compile("([^\\s=]+)\\s*==?\\s*(.+)");

    static Force parse(String raw) {
        Matcher m = FORM.matcher(raw.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("force '" + raw.trim() + "' is not 'zone.tag = value'");
        }
        TagRef ref = TagRef.parse(m.group(1));
        Literal value = Literal.parse(m.group(2));
        return new Force(ref + " = " + value, ref, value);
    }

    @Override
    public String toString() {
        return text;
    }
}
