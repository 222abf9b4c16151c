package org.brewpi.sim.plc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.brewpi.sim.protocol.PayloadKind;
import org.brewpi.sim.protocol.PayloadValidator;
import org.brewpi.sim.protocol.Validation;

/**
 * Keeps what a PLC publishes, and checks each payload against the protocol's validation rules as
 * it goes by: the PLC must never send anything a driver would reject.
 */
final class RecordingOutbox implements Outbox {

    record Sent(String topic, byte[] payload, int qos, boolean retained) {
        String kind() {
            return topic.substring(topic.lastIndexOf('/') + 1);
        }

        JsonNode json() {
            try {
                return new ObjectMapper().readTree(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final PayloadValidator validator = new PayloadValidator();
    private final String zone;
    final List<Sent> sent = new ArrayList<>();
    final List<String> invalid = new ArrayList<>();
    boolean accepting = true;

    RecordingOutbox(String zone) {
        this.zone = zone;
    }

    @Override
    public boolean publish(String topic, byte[] payload, int qos, boolean retained) {
        if (!accepting) {
            return false;
        }
        Sent message = new Sent(topic, payload, qos, retained);
        Validation v = validator.validate(PayloadKind.fromWire(message.kind()), zone, payload);
        if (!v.ok()) {
            invalid.add(message.kind() + " " + new String(payload) + ": " + v.reason().wire() + " " + v.detail());
        }
        sent.add(message);
        return true;
    }

    List<Sent> of(String kind) {
        return sent.stream().filter(s -> s.kind().equals(kind)).toList();
    }

    Sent last(String kind) {
        List<Sent> all = of(kind);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    void clear() {
        sent.clear();
    }
}
