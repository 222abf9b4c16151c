package org.brewpi.protocol;

import java.util.List;
import java.util.Map;

import org.brewpi.api.zone.ZoneState;

/** The protocol's messages, as decoded. Field names follow docs/protocol.md. */
public final class Messages {

    private Messages() {
    }

    /** {@code status}: {@code boot} and {@code reason} may be null (the will carries neither). */
    public record Status(ZoneState state, Long boot, String reason) {
    }

    /**
     * {@code tele}: tag values are {@code Double}, {@code Boolean}, {@code String} or {@code null}.
     */
    public record Telemetry(long boot, long seq, long time, Map<String, Object> tags, List<String> bad) {
    }

    /** {@code ack}: {@code err} is set when {@code ok} is false. */
    public record Ack(String id, boolean ok, String err, String msg) {
    }

    /** {@code event}. */
    public record Event(long boot, long seq, long time, String kind, String code, boolean active, String msg) {
    }

    /** {@code cmd}: {@code tag} and {@code value} only for {@code write}. */
    public record Cmd(String id, String op, String tag, Object value) {
    }

    /** {@code scada/heartbeat}. */
    public record Heartbeat(long seq, long time) {
    }

    /** {@code scada/status}. */
    public record ScadaStatus(boolean online) {
    }
}
