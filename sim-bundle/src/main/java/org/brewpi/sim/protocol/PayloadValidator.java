package org.brewpi.sim.protocol;

import static org.brewpi.sim.protocol.RejectReason.BAD_TYPE;
import static org.brewpi.sim.protocol.RejectReason.BAD_VALUE;
import static org.brewpi.sim.protocol.RejectReason.MISSING_FIELD;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The validation rules of docs/protocol.md, for every payload kind. The simulator checks what it
 * receives (cmd, heartbeat, SCADA status) with it; its tests check what it sends.
 *
 * <p>All checks run and the failure that comes first in the protocol's order wins, so the reason
 * does not depend on the order of the checks in this code.
 */
public final class PayloadValidator {

    public static final int MAX_BYTES = 4096;

    static final Set<String> ZONE_TYPES = Set.of("hlt", "mash", "kettle", "fermenter", "brite", "glycol", "cip", "generic");
    static final Set<String> FAILSAFE_POLICIES = Set.of("off", "hold_last");
    static final Set<String> TAG_KINDS = Set.of("analog", "bool", "enum");
    static final Set<String> ZONE_STATES = Set.of("online", "failsafe", "offline");
    static final Set<String> SCADA_STATES = Set.of("online", "offline");
    static final Set<String> OPS = Set.of("write", "reset", "ping");
    static final Set<String> EVENT_KINDS = Set.of("interlock", "sensor", "failsafe", "info");
    static final Set<String> ACK_ERRORS = Set.of("unknown_tag", "read_only", "out_of_range", "bad_type", "interlocked",
            "failsafe", "bad_request");

    private final Json json = new Json();

    /**
     * @param topicZone the zone named by the topic the payload came on; a birth must name the same
     *     zone ({@code null} skips that check)
     */
    public Validation validate(PayloadKind kind, String topicZone, byte[] payload) {
        if (payload.length > MAX_BYTES) {
            return Validation.rejected(RejectReason.TOO_LARGE, payload.length + " bytes > " + MAX_BYTES, null);
        }
        JsonNode root;
        try {
            root = json.parse(decodeUtf8(payload));
        } catch (CharacterCodingException e) {
            return Validation.rejected(RejectReason.NOT_JSON, "not UTF-8", null);
        } catch (JsonProcessingException e) {
            return Validation.rejected(RejectReason.NOT_JSON, firstLine(e.getOriginalMessage()), null);
        }
        if (root == null || root.isMissingNode()) {
            return Validation.rejected(RejectReason.NOT_JSON, "empty payload", null);
        }
        if (!root.isObject()) {
            return Validation.rejected(RejectReason.NOT_OBJECT, "a JSON " + root.getNodeType().name().toLowerCase() + ", not an object", root);
        }
        JsonNode v = root.get("v");
        if (v == null || v.isNull()) {
            return Validation.rejected(RejectReason.NO_VERSION, "no v", root);
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() != 1) {
            return Validation.rejected(RejectReason.WRONG_VERSION, "v is " + v + ", expected 1", root);
        }
        Checker c = new Checker(root);
        switch (kind) {
            case BIRTH -> birth(c, topicZone);
            case STATUS -> status(c);
            case TELE -> tele(c);
            case CMD -> cmd(c);
            case ACK -> ack(c);
            case EVENT -> event(c);
            case HEARTBEAT -> heartbeat(c);
            case SCADA_STATUS -> c.oneOf(c.text(c.required("state"), "state"), SCADA_STATES, "state");
        }
        return c.verdict();
    }

    private static void birth(Checker c, String topicZone) {
        String zone = c.text(c.required("zone"), "zone");
        if (zone != null && !Topics.isValidZoneId(zone)) {
            c.problem(BAD_VALUE, "zone '" + zone + "' breaks the zone id pattern");
        } else if (zone != null && topicZone != null && !zone.equals(topicZone)) {
            c.problem(BAD_VALUE, "zone '" + zone + "' differs from the topic's zone '" + topicZone + "'");
        }
        c.oneOf(c.text(c.required("type"), "type"), ZONE_TYPES, "type");
        c.text(c.required("fw"), "fw");
        c.text(c.required("hw"), "hw");
        c.nonNegative(c.integer(c.required("boot"), "boot"), "boot");
        c.oneOf(c.text(c.required("failsafe"), "failsafe"), FAILSAFE_POLICIES, "failsafe");
        Long period = c.integer(c.required("period_ms"), "period_ms");
        if (period != null && period <= 0) {
            c.problem(BAD_VALUE, "period_ms must be > 0");
        }
        JsonNode tags = c.required("tags");
        if (tags != null && !tags.isArray()) {
            c.problem(BAD_TYPE, "tags must be an array");
        } else if (tags != null) {
            Set<String> names = new HashSet<>();
            for (JsonNode tag : tags) {
                if (!tag.isObject()) {
                    c.problem(BAD_TYPE, "each tag must be an object");
                    continue;
                }
                Checker t = c.nested(tag, "tag.");
                String name = t.text(t.required("name"), "name");
                if (name != null && !names.add(name)) {
                    c.problem(BAD_VALUE, "tag '" + name + "' declared twice");
                }
                String kind = t.text(t.required("kind"), "kind");
                t.oneOf(kind, TAG_KINDS, "kind");
                t.bool(t.required("rw"), "rw");
                t.text(t.optional("unit"), "unit");
                t.number(t.optional("min"), "min");
                t.number(t.optional("max"), "max");
                JsonNode values = "enum".equals(kind) ? t.required("values") : t.optional("values");
                t.textArray(values, "values");
            }
        }
    }

    private static void status(Checker c) {
        c.oneOf(c.text(c.required("state"), "state"), ZONE_STATES, "state");
        c.nonNegative(c.integer(c.optional("boot"), "boot"), "boot");
        c.text(c.optional("reason"), "reason");
    }

    private static void tele(Checker c) {
        c.nonNegative(c.integer(c.required("boot"), "boot"), "boot");
        c.nonNegative(c.integer(c.required("seq"), "seq"), "seq");
        c.nonNegative(c.integer(c.required("t"), "t"), "t");
        JsonNode tags = c.required("tags");
        if (tags != null && !tags.isObject()) {
            c.problem(BAD_TYPE, "tags must be an object");
        } else if (tags != null) {
            for (Map.Entry<String, JsonNode> tag : (Iterable<Map.Entry<String, JsonNode>>) tags::fields) {
                JsonNode value = tag.getValue();
                if (value.isNull()) {
                    continue;
                }
                if (value.isContainerNode()) {
                    c.problem(BAD_TYPE, "tag " + tag.getKey() + " must be a number, boolean, string or null");
                } else {
                    c.scalar(value, "tag " + tag.getKey());
                }
            }
        }
        c.textArray(c.optional("bad"), "bad");
    }

    private static void cmd(Checker c) {
        String id = c.text(c.required("id"), "id");
        if (id != null && id.isEmpty()) {
            c.problem(BAD_VALUE, "id is empty");
        }
        String op = c.text(c.required("op"), "op");
        c.oneOf(op, OPS, "op");
        if ("write".equals(op)) {
            JsonNode tag = c.optional("tag");
            if (tag == null) {
                c.problem(BAD_VALUE, "a write needs a tag");
            } else {
                c.text(tag, "tag");
            }
            JsonNode value = c.required("value");
            if (value != null && value.isContainerNode()) {
                c.problem(BAD_TYPE, "value must be a number, boolean or string");
            } else if (value != null) {
                c.scalar(value, "value");
            }
        }
    }

    private static void ack(Checker c) {
        c.text(c.required("id"), "id");
        Boolean ok = c.bool(c.required("ok"), "ok");
        if (Boolean.FALSE.equals(ok)) {
            c.oneOf(c.text(c.required("err"), "err"), ACK_ERRORS, "err");
        } else {
            c.text(c.optional("err"), "err");
        }
        c.text(c.optional("msg"), "msg");
    }

    private static void event(Checker c) {
        c.nonNegative(c.integer(c.required("boot"), "boot"), "boot");
        c.nonNegative(c.integer(c.required("seq"), "seq"), "seq");
        c.nonNegative(c.integer(c.required("t"), "t"), "t");
        c.oneOf(c.text(c.required("kind"), "kind"), EVENT_KINDS, "kind");
        c.text(c.required("code"), "code");
        c.bool(c.required("active"), "active");
        c.text(c.optional("msg"), "msg");
    }

    private static void heartbeat(Checker c) {
        c.nonNegative(c.integer(c.required("seq"), "seq"), "seq");
        c.nonNegative(c.integer(c.required("t"), "t"), "t");
    }

    private static String decodeUtf8(byte[] payload) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(payload))
                .toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "not JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Collects the problems of one object and keeps the one that comes first in the protocol's order. */
    private static final class Checker {
        private final JsonNode object;
        private final String prefix;
        private final Checker owner;
        private RejectReason reason;
        private String detail;

        Checker(JsonNode object) {
            this(object, "", null);
        }

        private Checker(JsonNode object, String prefix, Checker owner) {
            this.object = object;
            this.prefix = prefix;
            this.owner = owner;
        }

        Checker nested(JsonNode child, String childPrefix) {
            return new Checker(child, childPrefix, this);
        }

        void problem(RejectReason r, String what) {
            if (owner != null) {
                owner.problem(r, what);
            } else if (reason == null || r.ordinal() < reason.ordinal()) {
                reason = r;
                detail = what;
            }
        }

        Validation verdict() {
            return reason == null ? Validation.valid(object) : Validation.rejected(reason, detail, object);
        }

        /** The field, or {@code null} after recording {@code missing_field} when it is absent or null. */
        JsonNode required(String field) {
            JsonNode node = object.get(field);
            if (node == null || node.isNull()) {
                problem(MISSING_FIELD, prefix + field + " is missing");
                return null;
            }
            return node;
        }

        JsonNode optional(String field) {
            JsonNode node = object.get(field);
            return node == null || node.isNull() ? null : node;
        }

        String text(JsonNode node, String name) {
            if (node == null) {
                return null;
            }
            if (!node.isTextual()) {
                problem(BAD_TYPE, prefix + name + " must be a string");
                return null;
            }
            return node.textValue();
        }

        Boolean bool(JsonNode node, String name) {
            if (node == null) {
                return null;
            }
            if (!node.isBoolean()) {
                problem(BAD_TYPE, prefix + name + " must be true or false");
                return null;
            }
            return node.booleanValue();
        }

        Long integer(JsonNode node, String name) {
            if (node == null) {
                return null;
            }
            if (!node.isIntegralNumber()) {
                problem(BAD_TYPE, prefix + name + " must be an integer");
                return null;
            }
            if (!node.canConvertToLong()) {
                problem(BAD_VALUE, prefix + name + " is out of range");
                return null;
            }
            return node.longValue();
        }

        void number(JsonNode node, String name) {
            if (node == null) {
                return;
            }
            if (!node.isNumber()) {
                problem(BAD_TYPE, prefix + name + " must be a number");
            } else if (!Double.isFinite(node.doubleValue())) {
                problem(BAD_VALUE, prefix + name + " is not a finite number");
            }
        }

        /** A number, boolean or string (the caller has ruled out null and containers). */
        void scalar(JsonNode node, String name) {
            if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
                problem(BAD_VALUE, prefix + name + " is not a finite number");
            } else if (!node.isNumber() && !node.isBoolean() && !node.isTextual()) {
                problem(BAD_TYPE, prefix + name + " must be a number, boolean or string");
            }
        }

        void textArray(JsonNode node, String name) {
            if (node == null) {
                return;
            }
            if (!node.isArray()) {
                problem(BAD_TYPE, prefix + name + " must be an array of strings");
                return;
            }
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    problem(BAD_TYPE, prefix + name + " must hold strings only");
                }
            }
        }

        void oneOf(String value, Set<String> allowed, String name) {
            if (value != null && !allowed.contains(value)) {
                problem(BAD_VALUE, prefix + name + " '" + value + "' is not one of " + new TreeSet<>(allowed));
            }
        }

        void nonNegative(Long value, String name) {
            if (value != null && value < 0) {
                problem(BAD_VALUE, prefix + name + " must not be negative");
            }
        }
    }
}
