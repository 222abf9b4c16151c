package org.brewpi.sim.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON as the protocol wants it: strict parsing, compact writing, never NaN or Infinity. */
public final class Json {

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // an object that names a field twice is ambiguous: refuse it rather than guess which one counts
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    /** A new payload object with {@code "v":1} first. */
    public ObjectNode payload() {
        return object().put("v", 1);
    }

    public JsonNode parse(String text) throws JsonProcessingException {
        return mapper.readTree(text);
    }

    public byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // a tree of plain nodes always serialises
            throw new IllegalStateException("cannot serialise " + node, e);
        }
    }

    /** Puts a number, as an integer when it has no fraction (a limit of 30 reads "30", not "30.0"). */
    public static void putNumber(ObjectNode node, String field, double value) {
        if (!Double.isFinite(value)) {
            node.putNull(field);
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            node.put(field, (long) value);
        } else {
            node.put(field, value);
        }
    }

    /** Rounds to {@code decimals} places. */
    public static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        double rounded = Math.round(value * scale) / scale;
        return rounded == 0.0 ? 0.0 : rounded; // no "-0.0" on the wire
    }

    /** Puts a number rounded to {@code decimals}, or {@code null} if it is not a finite number. */
    public static void putRounded(ObjectNode node, String field, double value, int decimals) {
        if (!Double.isFinite(value)) {
            node.putNull(field);
            return;
        }
        node.put(field, round(value, decimals));
    }
}
