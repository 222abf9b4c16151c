package org.brewpi.api.zone;

import java.util.List;

/** What a PLC says about itself in its birth message. */
public record ZoneInfo(String id, String type, String firmware, String hardware, long boot, String failsafePolicy,
        long periodMs, List<TagDef> tags) {

    public ZoneInfo {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public java.util.Optional<TagDef> tag(String name) {
        return tags.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
