package org.brewpi.rest;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The components' own definitions of their configurations (the {@code @ObjectClassDefinition}s, read by the
 * MetaType service from each bundle's OSGI-INF/metatype): which keys exist, their types, cardinality and options.
 * A change is checked against them first; a key the configuration holds but its definition does not name (read
 * by the component as a raw property) is checked against its current value instead.
 */
final class Definitions {

    /** The definition of one pid or factory pid, and the bundle that declares it. */
    record Definition(String bundle, ObjectClassDefinition ocd) {
    }

    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private Definitions() {
    }

    /** Every definition the box's bundles declare, by pid and by factory pid; empty without a MetaType service. */
    static Map<String, Definition> index(MetaTypeService metaType, BundleContext context) {
        Map<String, Definition> index = new HashMap<>();
        if (metaType == null || context == null) {
            return index;
        }
        try {
            for (Bundle b : context.getBundles()) {
                MetaTypeInformation info = metaType.getMetaTypeInformation(b);
                if (info == null) {
                    continue;
                }
                for (String[] pids : new String[][] { info.getPids(), info.getFactoryPids() }) {
                    for (String pid : pids == null ? new String[0] : pids) {
                        try {
                            index.putIfAbsent(pid, new Definition(b.getSymbolicName(), info.getObjectClassDefinition(pid, null)));
                        } catch (IllegalArgumentException e) {
                            // declared but not readable: the pid is checked against its values instead
                        }
                    }
                }
            }
        } catch (IllegalStateException e) {
            // the framework is stopping
        }
        return index;
    }

    static Definition of(Map<String, Definition> index, Configuration c) {
        return index.get(c.getFactoryPid() != null ? c.getFactoryPid() : c.getPid());
    }

    static AttributeDefinition attribute(Definition d, String key) {
        if (d == null || d.ocd() == null) {
            return null;
        }
        AttributeDefinition[] all = d.ocd().getAttributeDefinitions(ObjectClassDefinition.ALL);
        return all == null ? null : Arrays.stream(all).filter(a -> key.equals(a.getID())).findFirst().orElse(null);
    }

    /** The new value as the file's text, of the attribute's type and within its options; every refusal a 400. */
    static String typed(String key, AttributeDefinition ad, JsonNode value) {
        String shown = "'" + QueryParams.abbreviate(key) + "'";
        if (ad.getCardinality() != 0) {
            throw ApiException.badRequest("property " + shown + " is a list: change it in its file");
        }
        if (value == null || value.isNull() || value.isContainerNode()) {
            throw ApiException.badRequest("property " + shown + " must be a single value");
        }
        String text = switch (ad.getType()) {
            case AttributeDefinition.BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw ApiException.badRequest("property " + shown + " must be true or false");
                }
                yield Boolean.toString(value.booleanValue());
            }
            case AttributeDefinition.LONG, AttributeDefinition.INTEGER, AttributeDefinition.SHORT,
                    AttributeDefinition.BYTE -> {
                if (!value.isNumber() || !value.canConvertToExactIntegral()) {
                    throw ApiException.badRequest("property " + shown + " must be a whole number");
                }
                yield value.bigIntegerValue().toString();
            }
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> {
                if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                    throw ApiException.badRequest("property " + shown + " must be a number");
                }
                yield value.isIntegralNumber() ? value.bigIntegerValue().toString() : Double.toString(value.doubleValue());
            }
            default -> {
                if (!value.isTextual()) {
                    throw ApiException.badRequest("property " + shown + " must be text");
                }
                yield value.textValue();
            }
        };
        String[] options = ad.getOptionValues();
        if (options != null && options.length > 0 && !Arrays.asList(options).contains(text)) {
            throw ApiException.badRequest("property " + shown + " must be one of " + String.join(", ", options));
        }
        String problem = ad.validate(text);
        if (problem != null && !problem.isEmpty()) {
            throw ApiException.badRequest("property " + shown + ": " + problem);
        }
        return text;
    }

    /**
     * The new value as text, of the type the current value has, for a key the component's definition does not name
     * (or without a MetaType service). A {@code .cfg} file holds text, so the type is the current text's: a whole or
     * decimal number, true/false, or any text; a number is not told apart from a whole number here.
     */
    static String byCurrentValue(String key, Object old, JsonNode value) {
        String shown = "'" + QueryParams.abbreviate(key) + "'";
        if (value == null || value.isNull() || value.isContainerNode()) {
            throw ApiException.badRequest("property " + shown + " must be a single value");
        }
        String was = old instanceof String s ? s.trim() : null;
        if (old instanceof Boolean || "true".equalsIgnoreCase(was) || "false".equalsIgnoreCase(was)) {
            if (!value.isBoolean()) {
                throw ApiException.badRequest("property " + shown + " must be true or false");
            }
            return Boolean.toString(value.booleanValue());
        }
        if (old instanceof Number || (was != null && (WHOLE.matcher(was).matches() || DECIMAL.matcher(was).matches()))) {
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw ApiException.badRequest("property " + shown + " must be a number");
            }
            return value.isIntegralNumber() ? value.bigIntegerValue().toString() : Double.toString(value.doubleValue());
        }
        if (!(old instanceof String)) {
            throw ApiException.badRequest("property " + shown + " is a list or typed value: change it in its file");
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("property " + shown + " must be text");
        }
        return value.textValue();
    }

    /** What a line of a {@code .cfg} file can hold. */
    static String oneLine(String key, String text) {
        String shown = "'" + QueryParams.abbreviate(key) + "'";
        if (text.length() > ConfigServlet.MAX_VALUE) {
            throw ApiException.badRequest("property " + shown + " is longer than " + ConfigServlet.MAX_VALUE + " characters");
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badRequest("property " + shown + " must be one line without control characters");
        }
        if (text.contains("${")) {
            // FileInstall expands ${...} from the framework's properties when it reads the file
            throw ApiException.badRequest("property " + shown + " must not contain '${'");
        }
        return text;
    }
}
