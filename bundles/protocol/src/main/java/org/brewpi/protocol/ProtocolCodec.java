package org.brewpi.protocol;

import static org.brewpi.protocol.Reject.BAD_TYPE;
import static org.brewpi.protocol.Reject.BAD_VALUE;
import static org.brewpi.protocol.Reject.MISSING_FIELD;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.brewpi.api.zone.TagDef;
import org.brewpi.api.zone.TagKind;
import org.brewpi.api.zone.ZoneInfo;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.protocol.Messages.Ack;
import org.brewpi.protocol.Messages.Cmd;
import org.brewpi.protocol.Messages.Event;
import org.brewpi.protocol.Messages.Heartbeat;
import org.brewpi.protocol.Messages.ScadaStatus;
import org.brewpi.protocol.Messages.Status;
import org.brewpi.protocol.Messages.Telemetry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Decodes and encodes the payloads of docs/protocol.md. Decoding checks in the protocol's order (size,
 * JSON, object, version, then each field in turn) and throws a {@link ProtocolException} naming the first
 * rule broken. Unknown fields are ignored. Thread-safe.
 */
public final class ProtocolCodec {

    public static final Set<String> ZONE_TYPES = Set.of("hlt", "mash", "kettle", "fermenter", "brite", "glycol",
            "cip", "generic");
    public static final Set<String> EVENT_KINDS = Set.of("interlock", "sensor", "failsafe", "info");
    public static final Set<String> OPS = Set.of("write", "reset", "ping");
    private static final Pattern TAG_NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    // ---- PLC -> SCADA

    public ZoneInfo birth(String topicZone, byte[] payload) throws ProtocolException {
        ObjectNode o = object(payload);
        String zone = text(o, "zone");
        if (!Topics.ZONE_ID.matcher(zone).matches() || !zone.equals(topicZone)) {
            throw new ProtocolException(BAD_VALUE, "zone '" + zone + "' is not the topic's zone '" + topicZone + "'");
        }
        String type = oneOf(o, "type", ZONE_TYPES);
        String fw = text(o, "fw");
        String hw = text(o, "hw");
        long boot = nonNegative(o, "boot");
        String failsafe = oneOf(o, "failsafe", Set.of("off", "hold_last"));
        long period = integer(o, "period_ms");
        if (period <= 0) {
            throw new ProtocolException(BAD_VALUE, "period_ms must be positive, not " + period);
        }
        JsonNode tagsNode = required(o, "tags");
        if (!tagsNode.isArray()) {
            throw new ProtocolException(BAD_TYPE, "tags must be an array");
        }
        List<TagDef> tags = new ArrayList<>();
        for (JsonNode t : tagsNode) {
            if (!t.isObject()) {
                throw new ProtocolException(BAD_TYPE, "each tag must be an object");
            }
            tags.add(tagDef((ObjectNode) t));
        }
        return new ZoneInfo(zone, type, fw, hw, boot, failsafe, period, tags);
    }

    private TagDef tagDef(ObjectNode t) throws ProtocolException {
        String name = text(t, "name");
        if (!TAG_NAME.matcher(name).matches()) {
            throw new ProtocolException(BAD_VALUE, "tag name '" + name + "' breaks " + TAG_NAME.pattern());
        }
        String kindText = text(t, "kind");
        TagKind kind = switch (kindText) {
            case "analog" -> TagKind.ANALOG;
            case "bool" -> TagKind.BOOL;
            case "enum" -> TagKind.ENUM;
            default -> throw new ProtocolException(BAD_VALUE, "tag " + name + ": unknown kind '" + kindText + "'");
        };
        boolean rw = bool(t, "rw");
        String unit = optionalText(t, "unit");
        Double min = optionalNumber(t, "min");
        Double max = optionalNumber(t, "max");
        if (min != null && max != null && min > max) {
            throw new ProtocolException(BAD_VALUE, "tag " + name + ": min " + min + " > max " + max);
        }
        List<String> values = List.of();
        if (kind == TagKind.ENUM) {
            JsonNode v = required(t, "values");
            if (!v.isArray()) {
                throw new ProtocolException(BAD_TYPE, "tag " + name + ": values must be an array");
            }
            values = new ArrayList<>();
            for (JsonNode s : v) {
                if (!s.isTextual()) {
                    throw new ProtocolException(BAD_TYPE, "tag " + name + ": values must be strings");
                }
                values.add(s.textValue());
            }
            if (values.isEmpty()) {
                throw new ProtocolException(BAD_VALUE, "tag " + name + ": an enum needs values");
            }
        }
        return new TagDef(name, kind, unit, min, max, values, rw);
    }

    public Status status(byte[] payload) throws ProtocolException {
        ObjectNode o = object(payload);
        String state = text(o, "state");
        ZoneState zoneState = switch (state) {
            case "online" -> ZoneState.ONLINE;
            case "failsafe" -> ZoneState.FAILSAFE;
            case "offline" -> ZoneState.OFFLINE;
            default -> throw new ProtocolException(BAD_VALUE, "unknown state '" + state + "'");
        };
        Long boot = o.hasNonNull("boot") ? nonNegative(o, "boot") : null;
        return new Status(zoneState, boot, optionalText(o, "reason"));
    }

    public Telemetry telemetry(byte[] payload) throws ProtocolException {
        ObjectNode o = object(payload);
        long boot = nonNegative(o, "boot");
        long seq = nonNegative(o, "seq");
        long time = nonNegative(o, "t");
        JsonNode tagsNode = required(o, "tags");
        if (!tagsNode.isObject()) {
            throw new ProtocolException(BAD_TYPE, "tags must be an object");
        }
        Map<String, Object> tags = new LinkedHashMap<>();
        for (var it = tagsNode.fields(); it.hasNext();) {
            var field = it.next();
            tags.put(field.getKey(), scalar(field.getValue(), "tags." + field.getKey(), true));
        }
        List<String> bad = List.of();
        JsonNode badNode = o.get("bad");
        if (badNode != null && !badNode.isNull()) {
            if (!badNode.isArray()) {
                throw new ProtocolException(BAD_TYPE, "bad must be an array of tag names");
            }
            bad = new ArrayList<>();
            for (JsonNode b : badNode) {
                if (!b.isTextual()) {
                    throw new ProtocolException(BAD_TYPE, "bad must be an array of tag names");
                }
                bad.add(b.textValue());
            }
        }
        return new Telemetry(boot, seq, time, Collections.unmodifiableMap(tags), bad);
    }

    public Ack ack(byte[] payload) throws ProtocolException {
        ObjectNode o = object(payload);
        String id = text(o, "id");
        boolean ok = bool(o, "ok");
        String err = ok ? optionalText(o, "err") : text(o, "err");
        return new Ack(id, ok, err, optionalText(o, "msg"));
    }

    public Event event(byte[] payload) throws ProtocolException {
        ObjectNode o = object(payload);
        long boot = nonNegative(o, "boot");
        long seq = nonNegative(o, "seq");
        long time = nonNegative(o, "t");
        String kind = oneOf(o, "kind", EVENT_KINDS);
        String code = text(o, "code");
        boolean active = bool(o, "active");
        return new Event(boot, seq, time, kind, code, active, optionalText(o, "msg"));
    }

    // ---- SCADA -> PLC (decoded too: the tests and tools read what the SCADA sends)

    public Cmd cmd(byte[] payload) throws ProtocolException {
        ObjectNode o = object(payload);
        String id = text(o, "id");
        if (id.isEmpty() || id.length() > 64) {
            throw new ProtocolException(BAD_VALUE, "id must have 1 to 64 characters");
        }
        String op = oneOf(o, "op", OPS);
        if (!op.equals("write")) {
            return new Cmd(id, op, null, null);
        }
        if (!o.has("tag")) {
            throw new ProtocolException(BAD_VALUE, "a write needs a tag");
        }
        String tag = text(o, "tag");
        JsonNode value = o.get("value");
        if (value == null || value.isNull()) {
            throw new ProtocolException(MISSING_FIELD, "a write needs a value");
        }
        return new Cmd(id, op, tag, scalar(value, "value", false));
    }

    public Heartbeat heartbeat(byte[] payload) throws ProtocolException {
        ObjectNode o = object(payload);
        return new Heartbeat(nonNegative(o, "seq"), nonNegative(o, "t"));
    }

    public ScadaStatus scadaStatus(byte[] payload) throws ProtocolException {
        ObjectNode o = object(payload);
        return new ScadaStatus(oneOf(o, "state", Set.of("online", "offline")).equals("online"));
    }

    public byte[] encodeCmd(Cmd cmd) {
        ObjectNode o = mapper.createObjectNode().put("v", 1).put("id", cmd.id()).put("op", cmd.op());
        if (cmd.tag() != null) {
            o.put("tag", cmd.tag());
            o.set("value", mapper.valueToTree(cmd.value()));
        }
        return bytes(o);
    }

    public byte[] encodeHeartbeat(Heartbeat hb) {
        return bytes(mapper.createObjectNode().put("v", 1).put("seq", hb.seq()).put("t", hb.time()));
    }

    public byte[] encodeScadaStatus(boolean online) {
        return bytes(mapper.createObjectNode().put("v", 1).put("state", online ? "online" : "offline"));
    }

    private byte[] bytes(ObjectNode o) {
        try {
            return mapper.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + o, e);
        }
    }

    // ---- the checks, in the protocol's order

    private ObjectNode object(byte[] payload) throws ProtocolException {
        if (payload.length > Topics.MAX_PAYLOAD_BYTES) {
            throw new ProtocolException(Reject.TOO_LARGE,
                    payload.length + " bytes > " + Topics.MAX_PAYLOAD_BYTES);
        }
        JsonNode root;
        try (JsonParser parser = mapper.createParser(payload)) {
            root = mapper.readTree(parser);
        } catch (IOException e) {
            throw new ProtocolException(Reject.NOT_JSON, "not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new ProtocolException(Reject.NOT_JSON, "empty payload");
        }
        if (!root.isObject()) {
            throw new ProtocolException(Reject.NOT_OBJECT, "a " + root.getNodeType().name().toLowerCase() + ", not an object");
        }
        JsonNode v = root.get("v");
        if (v == null) {
            throw new ProtocolException(Reject.NO_VERSION, "no v");
        }
        if (!v.isIntegralNumber() || v.asLong() != 1) {
            throw new ProtocolException(Reject.WRONG_VERSION, "v is " + v + ", this driver speaks 1");
        }
        return (ObjectNode) root;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static JsonNode required(ObjectNode o, String field) throws ProtocolException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            throw new ProtocolException(MISSING_FIELD, "no " + field);
        }
        return n;
    }

    private static String text(ObjectNode o, String field) throws ProtocolException {
        JsonNode n = required(o, field);
        if (!n.isTextual()) {
            throw new ProtocolException(BAD_TYPE, field + " must be a string");
        }
        return n.textValue();
    }

    private static String optionalText(ObjectNode o, String field) throws ProtocolException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new ProtocolException(BAD_TYPE, field + " must be a string");
        }
        return n.textValue();
    }

    private static long integer(ObjectNode o, String field) throws ProtocolException {
        JsonNode n = required(o, field);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new ProtocolException(BAD_TYPE, field + " must be an integer");
        }
        return n.longValue();
    }

    private static long nonNegative(ObjectNode o, String field) throws ProtocolException {
        long value = integer(o, field);
        if (value < 0) {
            throw new ProtocolException(BAD_VALUE, field + " must not be negative");
        }
        return value;
    }

    private static boolean bool(ObjectNode o, String field) throws ProtocolException {
        JsonNode n = required(o, field);
        if (!n.isBoolean()) {
            throw new ProtocolException(BAD_TYPE, field + " must be true or false");
        }
        return n.booleanValue();
    }

    private static Double optionalNumber(ObjectNode o, String field) throws ProtocolException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw new ProtocolException(BAD_TYPE, field + " must be a number");
        }
        return n.doubleValue();
    }

    private static String oneOf(ObjectNode o, String field, Set<String> allowed) throws ProtocolException {
        String value = text(o, field);
        if (!allowed.contains(value)) {
            throw new ProtocolException(BAD_VALUE, field + " '" + value + "' is not one of " + allowed);
        }
        return value;
    }

    private static Object scalar(JsonNode n, String what, boolean nullAllowed) throws ProtocolException {
        if (n.isNull() && nullAllowed) {
            return null;
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        throw new ProtocolException(BAD_TYPE, what + " must be a number, boolean or string");
    }
}
