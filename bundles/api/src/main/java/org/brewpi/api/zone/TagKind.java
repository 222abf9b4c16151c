package org.brewpi.api.zone;

public enum TagKind {
    ANALOG, BOOL, ENUM;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
