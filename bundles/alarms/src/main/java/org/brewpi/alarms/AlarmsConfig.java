package org.brewpi.alarms;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = AlarmsConfig.PID, name = "BrewPi alarm engine",
        description = "Settings of the alarm engine as a whole; the alarms themselves are factory configurations brewpi.alarm.")
public @interface AlarmsConfig {

    String PID = "brewpi.alarms";

    @AttributeDefinition(name = "Data folder",
            description = "The alarm journal lives in <data.dir>/alarms (set by the box from BREWPI_DATA_DIR; read at start)")
    String data_dir() default "data";

    @AttributeDefinition(name = "Zone-type defaults",
            description = "Whether every configured zone gets the built-in alarms of its type (see README)")
    boolean defaults_enabled() default true;

    @AttributeDefinition(name = "Suppressed zones",
            description = "Zones whose alarms are suppressed by design, e.g. a fermenter out of use or in CIP")
    String[] suppressed_zones() default {};

    @AttributeDefinition(name = "Suppressed while",
            description = "Process states that suppress a zone's process alarms by design, as zone.tag naming a "
                    + "boolean tag (true and GOOD = suppressed); '*' as the zone means every zone with that tag, e.g. "
                    + "*.cip: a tank in CIP raises no temperature alarms. Communication-loss and system alarms are "
                    + "never suppressed this way")
    String[] suppress_when() default { "*.cip" };

    @AttributeDefinition(name = "Journal size", description = "Transitions kept in memory for /api/alarms/journal")
    int journal_size() default 1000;

    @AttributeDefinition(name = "Maximum shelving time (min)",
            description = "No shelf, timed or one-shot, lasts longer than this")
    int shelve_max_minutes() default 480;

    @AttributeDefinition(name = "Flood threshold", description = "Activations per 10 minutes that make a flood")
    int flood_threshold() default 10;

    @AttributeDefinition(name = "Chatter count", description = "Activations of one alarm within the chatter window that make it chattering")
    int chatter_count() default 3;

    @AttributeDefinition(name = "Chatter window (ms)")
    long chatter_window_ms() default 60_000;

    @AttributeDefinition(name = "Stale after (h)", description = "An alarm active longer than this is stale")
    int stale_hours() default 24;

    @AttributeDefinition(name = "Evaluation tick (ms)",
            description = "How often on/off delays and shelf expiry are checked when no data arrives")
    long tick_ms() default 250;

    @AttributeDefinition(name = "Start-up grace (ms)",
            description = "After start, a zone never heard from yet raises no communication-loss alarm for this long: "
                    + "its PLC is still connecting")
    long startup_grace_ms() default 30_000;

    @AttributeDefinition(name = "Health poll (ms)",
            description = "How often the health of the box's components is looked at for the system alarms")
    long health_poll_ms() default 5_000;

    @AttributeDefinition(name = "DEGRADED before alarm (min)",
            description = "A component DEGRADED without an alarm detail of its own raises its system alarm after this long; "
                    + "DOWN, or DEGRADED with an alarm detail (e.g. the sync backlog over its limit), at once")
    int system_degraded_minutes() default 5;

    @AttributeDefinition(name = "Framework error shown (min)",
            description = "How long a framework ERROR event keeps the system.bundles alarm active")
    int bundle_error_minutes() default 10;
}
