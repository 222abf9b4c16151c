package org.brewpi.alarms;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(id = "brewpi.alarm", name = "BrewPi alarm",
        description = "One alarm (factory configuration, one file conf/brewpi.alarm-<name>.cfg each). An alarm with the id "
                + "of a built-in default replaces it; enabled=false removes it.")
public @interface AlarmConfig {

    @AttributeDefinition(name = "Id", required = false,
            description = "Unique id; empty: <zone>.<tag>.<kind>, e.g. fv1.pv.hi (comm loss: <zone>.comm)")
    String id() default "";

    @AttributeDefinition(name = "Zone")
    String zone();

    @AttributeDefinition(name = "Tag", required = false,
            description = "The tag watched; empty: pv, except for COMM_LOSS, where empty watches the zone itself; "
                    + "SYSTEM (zone system): the health component, e.g. sync, or bundles")
    String tag() default "";

    @AttributeDefinition(name = "Kind", options = { @Option(value = "HI"), @Option(value = "HIHI"), @Option(value = "LO"),
            @Option(value = "LOLO"), @Option(value = "DEVIATION"), @Option(value = "RATE"), @Option(value = "DISCRETE"),
            @Option(value = "COMM_LOSS"), @Option(value = "SYSTEM") })
    String kind();

    @AttributeDefinition(name = "Limit", required = false,
            description = "In the tag's unit; DEVIATION: allowed difference from sv; RATE: units per minute")
    double limit() default 0;

    @AttributeDefinition(name = "Abnormal state", required = false, description = "DISCRETE: the value that is abnormal")
    String state() default "";

    @AttributeDefinition(name = "Priority", options = { @Option(value = "critical"), @Option(value = "high"),
            @Option(value = "medium"), @Option(value = "low") })
    String priority() default "medium";

    @AttributeDefinition(name = "Deadband", required = false)
    double deadband() default 0;

    @AttributeDefinition(name = "On-delay (ms)", required = false)
    long on_delay_ms() default 0;

    @AttributeDefinition(name = "Off-delay (ms)", required = false)
    long off_delay_ms() default 0;

    @AttributeDefinition(name = "Message", required = false)
    String message() default "";

    @AttributeDefinition(name = "Suppressed by design", required = false)
    boolean suppressed() default false;

    @AttributeDefinition(name = "Enabled", required = false, description = "false removes the alarm (or the default of that id)")
    boolean enabled() default true;
}
