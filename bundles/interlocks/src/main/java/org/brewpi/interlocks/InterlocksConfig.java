package org.brewpi.interlocks;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = InterlocksConfig.PID, name = "BrewPi interlock engine",
        description = "Settings of the interlock engine; the rules themselves are factory configurations brewpi.interlock.")
public @interface InterlocksConfig {

    String PID = "brewpi.interlocks";

    @AttributeDefinition(name = "Maximum bypass (min)", description = "No bypass lasts longer than this")
    int bypass_max_minutes() default 240;

    @AttributeDefinition(name = "Signature age (s)",
            description = "A bypass signature older than this is refused: sign again")
    int signature_max_age_seconds() default 300;

    @AttributeDefinition(name = "Re-force interval (ms)",
            description = "While tripped, a forced output found away from its safe value is forced again at most this often")
    long reforce_interval_ms() default 2_000;

    @AttributeDefinition(name = "First-out window (ms)",
            description = "Interlocks tripping within this time of the first one are its consequences, not first-out")
    long first_out_window_ms() default 2_000;

    @AttributeDefinition(name = "Start-up grace (ms)",
            description = "After start (or a new rule), missing data blocks writes but is not yet a trip: the PLCs are "
                    + "still connecting. Data that is there and unsafe trips at once.")
    long startup_grace_ms() default 15_000;

    @AttributeDefinition(name = "Tick (ms)", description = "How often delays, bypass expiry and re-forcing are checked "
            + "when no data arrives")
    long tick_ms() default 100;
}
