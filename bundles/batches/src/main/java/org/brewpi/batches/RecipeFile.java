package org.brewpi.batches;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.brewpi.api.batch.CriticalParameter;
import org.brewpi.api.batch.Recipe;
import org.brewpi.api.batch.RecipeStatus;
import org.brewpi.api.batch.RecipeStep;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A recipe file's bytes to a {@link Recipe}, strictly: an unknown field (a typo such as {@code minuts}) or a
 * duplicate key is refused, as is anything out of range. The message names the field.
 */
final class RecipeFile {

    static final int MAX_BYTES = 64 * 1024;
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Set<String> TOP = Set.of("id", "name", "version", "style", "description", "steps",
            "criticalParameters");
    private static final Set<String> STEP = Set.of("zone", "zoneType", "name", "setpoints", "minutes");
    private static final Set<String> CCP = Set.of("id", "zone", "tag", "min", "max", "minutes", "mode", "hazard");
    private static final int MAX_MINUTES = 60 * 24 * 90; // a 90-day lagering is long enough

    /** A file that is not a valid recipe; the message says where and why. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private RecipeFile() {
    }

    /**
     * @param expectedId the file's name without {@code .json}: the recipe's id must be the same
     * @param loadedAt when it was read
     */
    static Recipe parse(String expectedId, String file, byte[] content, long loadedAt) throws Invalid {
        if (content.length > MAX_BYTES) {
            throw new Invalid("file is larger than " + MAX_BYTES / 1024 + " KiB");
        }
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new Invalid("not valid JSON: " + e.getOriginalMessage() + location(e));
        } catch (IOException e) {
            throw new Invalid("cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("must be a JSON object");
        }
        unknownFields(root, TOP, "");
        String id = text(root, "id", "", true, 64);
        if (!ID.matcher(id).matches()) {
            throw new Invalid("id '" + id + "' must be 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
        if (!id.equals(expectedId)) {
            throw new Invalid("id '" + id + "' differs from the file name (" + expectedId + ".json)");
        }
        String name = text(root, "name", "", true, 128);
        int version = whole(root, "version", "", true, 1, 1_000_000);
        String style = text(root, "style", "", false, 128);
        text(root, "description", "", false, 2000);
        List<RecipeStep> steps = steps(root);
        Set<String> zones = new LinkedHashSet<>();
        steps.forEach(s -> zones.add(s.zone()));
        List<CriticalParameter> ccps = ccps(root, zones);
        return new Recipe(id, name, version, style, sha256(content), file, RecipeStatus.DRAFT, null, steps, ccps,
                List.copyOf(zones), loadedAt, null);
    }

    private static List<RecipeStep> steps(JsonNode root) throws Invalid {
        JsonNode node = root.get("steps");
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new Invalid("'steps' must be a non-empty array");
        }
        if (node.size() > 100) {
            throw new Invalid("'steps' has more than 100 steps");
        }
        List<RecipeStep> steps = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "steps[" + i + "].";
            JsonNode s = node.get(i);
            if (!s.isObject()) {
                throw new Invalid(at.substring(0, at.length() - 1) + " must be an object");
            }
            unknownFields(s, STEP, at);
            String zone = identifier(s, "zone", at);
            String zoneType = text(s, "zoneType", at, false, 32);
            String name = text(s, "name", at, true, 128);
            int minutes = whole(s, "minutes", at, true, 0, MAX_MINUTES);
            Map<String, Object> setpoints = new LinkedHashMap<>();
            JsonNode sp = s.get("setpoints");
            if (sp != null && !sp.isNull()) {
                if (!sp.isObject()) {
                    throw new Invalid(at + "setpoints must be an object of tag: value");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = sp.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!NAME.matcher(e.getKey()).matches()) {
                        throw new Invalid(at + "setpoints: '" + e.getKey() + "' is not a tag name");
                    }
                    JsonNode v = e.getValue();
                    if (v.isNumber() && Double.isFinite(v.doubleValue())) {
                        setpoints.put(e.getKey(), v.doubleValue());
                    } else if (v.isBoolean()) {
                        setpoints.put(e.getKey(), v.booleanValue());
                    } else if (v.isTextual() && v.textValue().length() <= 32) {
                        setpoints.put(e.getKey(), v.textValue());
                    } else {
                        throw new Invalid(at + "setpoints." + e.getKey() + " must be a number, true/false or a short text");
                    }
                }
            }
            steps.add(new RecipeStep(zone, zoneType, name, setpoints, minutes));
        }
        return steps;
    }

    private static List<CriticalParameter> ccps(JsonNode root, Set<String> zones) throws Invalid {
        JsonNode node = root.get("criticalParameters");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > 50) {
            throw new Invalid("'criticalParameters' must be an array of at most 50");
        }
        List<CriticalParameter> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "criticalParameters[" + i + "].";
            JsonNode c = node.get(i);
            if (!c.isObject()) {
                throw new Invalid(at.substring(0, at.length() - 1) + " must be an object");
            }
            unknownFields(c, CCP, at);
            String id = text(c, "id", at, true, 64);
            if (!ID.matcher(id).matches() || !ids.add(id)) {
                throw new Invalid(at + "id '" + id + "' must be a unique name of a-z, 0-9, '.', '_', '-'");
            }
            String zone = identifier(c, "zone", at);
            if (!zones.contains(zone)) {
                throw new Invalid(at + "zone '" + zone + "' is not a zone of the recipe's steps " + zones);
            }
            String tag = identifier(c, "tag", at);
            Double min = number(c, "min", at);
            Double max = number(c, "max", at);
            if (min == null && max == null) {
                throw new Invalid(at + "needs 'min', 'max' or both");
            }
            if (min != null && max != null && min > max) {
                throw new Invalid(at + "min " + min + " is above max " + max);
            }
            int minutes = whole(c, "minutes", at, false, 0, MAX_MINUTES);
            String mode = text(c, "mode", at, false, 16);
            if (mode == null) {
                mode = minutes > 0 ? CriticalParameter.HOLD : CriticalParameter.THROUGHOUT;
            } else if (!mode.equals(CriticalParameter.HOLD) && !mode.equals(CriticalParameter.THROUGHOUT)) {
                throw new Invalid(at + "mode must be 'hold' or 'throughout'");
            }
            if (mode.equals(CriticalParameter.THROUGHOUT) && minutes != 0) {
                throw new Invalid(at + "minutes has no meaning with mode 'throughout'");
            }
            out.add(new CriticalParameter(id, zone, tag, min, max, minutes, mode, text(c, "hazard", at, false, 256)));
        }
        return out;
    }

    private static void unknownFields(JsonNode node, Set<String> known, String at) throws Invalid {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new Invalid(at + "'" + (f.length() > 40 ? f.substring(0, 40) + "…" : f) + "' is not a known field "
                        + new java.util.TreeSet<>(known));
            }
        }
    }

    private static String text(JsonNode node, String field, String at, boolean required, int max) throws Invalid {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new Invalid(at + field + " is required");
            }
            return null;
        }
        if (!v.isTextual() || (required && v.textValue().isBlank()) || v.textValue().length() > max) {
            throw new Invalid(at + field + " must be a" + (required ? " non-empty" : "") + " text of at most " + max
                    + " characters");
        }
        return v.textValue().strip();
    }

    private static String identifier(JsonNode node, String field, String at) throws Invalid {
        String v = text(node, field, at, true, 32);
        if (!NAME.matcher(v).matches()) {
            throw new Invalid(at + field + " '" + v + "' is not a zone or tag name (a-z, 0-9, '_')");
        }
        return v;
    }

    private static int whole(JsonNode node, String field, String at, boolean required, int min, int max)
            throws Invalid {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new Invalid(at + field + " is required");
            }
            return 0;
        }
        if (!v.canConvertToExactIntegral() || v.asLong() < min || v.asLong() > max) {
            throw new Invalid(at + field + " must be a whole number from " + min + " to " + max);
        }
        return v.asInt();
    }

    private static Double number(JsonNode node, String field, String at) throws Invalid {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new Invalid(at + field + " must be a number");
        }
        return v.doubleValue();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
