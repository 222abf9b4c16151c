package org.brewpi.sim.protocol;

import java.util.Locale;

/** The payload kinds of docs/protocol.md, named as in docs/protocol/vectors.json. */
public enum PayloadKind {
    BIRTH, STATUS, TELE, CMD, ACK, EVENT, HEARTBEAT, SCADA_STATUS;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PayloadKind fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
