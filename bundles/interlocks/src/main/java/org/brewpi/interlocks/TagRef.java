package org.brewpi.interlocks;

import java.util.regex.Pattern;

/** A tag of a zone, written {@code zone.tag}. */
record TagRef(String zone, String tag) {

    static final Pattern ZONE = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    static final Pattern TAG = Pattern.compile("[a-z0-9_]{1,32}");

    static TagRef parse(String raw) {
        String s = raw.trim();
        int dot = s.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("'" + s + "' is not zone.tag");
        }
        String zone = s.substring(0, dot);
        String tag = s.substring(dot + 1);
        if (!ZONE.matcher(zone).matches()) {
            throw new IllegalArgumentException("zone '" + zone + "' must match " + ZONE.pattern());
        }
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("tag '" + tag + "' must match " + TAG.pattern());
        }
        return new TagRef(zone, tag);
    }

    @Override
    public String toString() {
        return zone + "." + tag;
    }
}
