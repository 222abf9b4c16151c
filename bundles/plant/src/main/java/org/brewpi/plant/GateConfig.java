package org.brewpi.plant;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = GateConfig.PID, name = "BrewPi command gate",
        description = "The one gate every write to the plant passes: role, guards (interlocks, emergency stop), limits, audit.")
public @interface GateConfig {

    String PID = "brewpi.gate";

    @AttributeDefinition(name = "Required guards",
            description = "Guards (service property brewpi.guard) without which only forcing writes (origin interlock or "
                    + "estop) go out: stopping the interlock or the hardware bundle must never open the plant. "
                    + "Comma-separated.")
    String[] required_guards() default { "interlocks", "estop" };
}
