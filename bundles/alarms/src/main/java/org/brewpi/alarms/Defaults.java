package org.brewpi.alarms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmKind;
import org.brewpi.api.alarm.AlarmPriority;
import org.brewpi.api.zone.ZoneDefinition;

/**
 * The built-in alarms of each zone type of the demo plant. Limits sit below the PLC's own trips
 * (HLT 102 °C, kettle 110 °C) so the operator hears of trouble before the PLC has to act.
 */
final class Defaults {

    static final long MINUTE = 60_000;

    private Defaults() {
    }

    static List<AlarmDefinition> forZone(ZoneDefinition zone) {
        String z = zone.id();
        List<AlarmDefinition> list = new ArrayList<>();
        list.add(alarm(z, "", AlarmKind.COMM_LOSS, 0, AlarmPriority.HIGH, 0, 2_000, 0,
                "Communication lost with " + zone.label()));
        switch (zone.type()) {
            case "fermenter" -> list.add(alarm(z, "pv", AlarmKind.DEVIATION, 1.5, AlarmPriority.HIGH, 0.3, 10 * MINUTE,
                    30_000, zone.label() + ": temperature more than 1.5 K from setpoint"));
            case "brite" -> list.add(alarm(z, "pv", AlarmKind.DEVIATION, 1.5, AlarmPriority.MEDIUM, 0.3, 10 * MINUTE,
                    30_000, zone.label() + ": temperature more than 1.5 K from setpoint"));
            case "hlt" -> list.add(alarm(z, "pv", AlarmKind.HIHI, 95, AlarmPriority.CRITICAL, 1.0, 5_000, 0,
                    zone.label() + ": temperature above 95 °C"));
            case "kettle" -> list.add(alarm(z, "pv", AlarmKind.HIHI, 106, AlarmPriority.CRITICAL, 1.0, 5_000, 0,
                    zone.label() + ": temperature above 106 °C"));
            case "mash" -> list.add(alarm(z, "pv", AlarmKind.HI, 80, AlarmPriority.HIGH, 0.5, 30_000, 0,
                    zone.label() + ": mash above 80 °C, enzymes denature"));
            case "glycol" -> list.add(alarm(z, "pv", AlarmKind.HI, 4, AlarmPriority.HIGH, 0.5, 2 * MINUTE, 30_000,
                    zone.label() + ": glycol above 4 °C, fermenters cannot be held"));
            default -> {
                // cip, generic: communication loss only
            }
        }
        return list;
    }

    /** The zone of system alarms. */
    static final String SYSTEM_ZONE = "system";
    /** The system alarm that watches the bundles and the framework rather than a health component. */
    static final String BUNDLES = "bundles";
    /** The system alarm of the alarm system itself: its journal cannot be written. */
    static final String ALARMS = "alarms";

    /**
     * The system alarm of one health component ({@code system.sync}, ...) or of the bundles. The delays keep
     * a component that is briefly DEGRADED while it starts, or a bundle being updated, from raising it.
     */
    static AlarmDefinition system(String component) {
        String message = component.equals(BUNDLES)
                ? "System: a bundle failed to resolve or start, or the framework reported an error"
                : "System: " + component + " is not healthy";
        return new AlarmDefinition(id(SYSTEM_ZONE, component, AlarmKind.SYSTEM), SYSTEM_ZONE, component,
                AlarmKind.SYSTEM, 0, "", AlarmPriority.HIGH, 0, 10_000, 10_000, message, false, AlarmDefinition.DEFAULT);
    }

    /** A default system alarm whose message carries what its component says is wrong. */
    static AlarmDefinition systemMessage(AlarmDefinition d, String text) {
        String message = "System: " + d.tag() + ": " + text;
        return message.equals(d.message()) ? d
                : new AlarmDefinition(d.id(), d.zone(), d.tag(), d.kind(), d.limit(), d.state(), d.priority(),
                        d.deadband(), d.onDelayMs(), d.offDelayMs(), message, d.suppressed(), d.source());
    }

    /** A health component's name as an alarm's tag: lower case, only the characters ids allow. */
    static String componentTag(String name) {
        String tag = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        if (tag.isEmpty() || !Character.isLetterOrDigit(tag.charAt(0))) {
            tag = "c" + tag;
        }
        return tag.length() > 32 ? tag.substring(0, 32) : tag;
    }

    private static AlarmDefinition alarm(String zone, String tag, AlarmKind kind, double limit, AlarmPriority priority,
            double deadband, long onDelayMs, long offDelayMs, String message) {
        return new AlarmDefinition(id(zone, tag, kind), zone, tag, kind, limit, "", priority, deadband, onDelayMs,
                offDelayMs, message, false, AlarmDefinition.DEFAULT);
    }

    /** {@code fv1.pv.dev}, {@code hlt.pv.hihi}, {@code fv1.comm}: the id an alarm gets unless it names one. */
    static String id(String zone, String tag, AlarmKind kind) {
        if (kind == AlarmKind.SYSTEM) {
            return zone + "." + tag; // system.sync
        }
        String k = switch (kind) {
            case DEVIATION -> "dev";
            case COMM_LOSS -> "comm";
            default -> kind.name().toLowerCase(Locale.ROOT);
        };
        return tag.isEmpty() ? zone + "." + k : zone + "." + tag + "." + k;
    }

    static String message(String zone, String tag, AlarmKind kind, double limit, String state) {
        String what = zone + (tag.isEmpty() ? "" : "." + tag);
        return switch (kind) {
            case HI, HIHI -> what + " above " + limit;
            case LO, LOLO -> what + " below " + limit;
            case DEVIATION -> what + " more than " + limit + " from setpoint";
            case RATE -> what + " changing faster than " + limit + " per minute";
            case DISCRETE -> what + " is " + state;
            case COMM_LOSS -> "communication lost: " + what;
            case SYSTEM -> "System: " + tag + " is not healthy";
        };
    }
}
