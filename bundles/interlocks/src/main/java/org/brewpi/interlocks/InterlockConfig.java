package org.brewpi.interlocks;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(id = RuleSource.FACTORY_PID, name = "BrewPi interlock",
        description = "One interlock rule (factory configuration, one file conf/brewpi.interlock-<name>.cfg each). "
                + "Lists are comma-separated. See the interlocks bundle's README for the grammar.")
public @interface InterlockConfig {

    @AttributeDefinition(name = "Id", required = false,
            description = "Unique id, e.g. kettle-level; empty: the <name> of the file")
    String id() default "";

    @AttributeDefinition(name = "Text", description = "What it protects, shown to the operator and in refusals")
    String text();

    @AttributeDefinition(name = "Conditions", description = "What must hold: 'zone.tag OP value' (OP > >= < <= == !=) "
            + "or 'zone online'. STALE, BAD, OFFLINE or missing data never holds.")
    String[] conditions();

    @AttributeDefinition(name = "Match", options = { @Option(value = "all"), @Option(value = "any") },
            description = "all: safe when every condition holds; any: safe when one does")
    String match() default "all";

    @AttributeDefinition(name = "Blocks", required = false,
            description = "Writes refused while not healthy: 'zone.tag', 'zone.tag = v' or 'zone.tag != v'")
    String[] blocks() default {};

    @AttributeDefinition(name = "Forces", required = false, description = "Writes sent on a trip: 'zone.tag = v'")
    String[] forces() default {};

    @AttributeDefinition(name = "Latched", required = false,
            description = "true: after the conditions hold again it blocks until an operator resets it")
    boolean latched() default false;

    /** The key is {@code delay_ms}: a double underscore is one underscore in the property name. */
    @AttributeDefinition(name = "Delay (ms)", required = false,
            description = "How long the conditions must fail before it trips")
    long delay__ms() default 0;
}
