package org.brewpi.interlocks;

/**
 * One {@code brewpi.interlock} configuration as the engine sees it: a checked rule, or the reason it was
 * refused (shown in health, so a typo never silently removes protection).
 */
public interface RuleSource {

    String FACTORY_PID = "brewpi.interlock";

    /** Where it came from: the file name, or the configuration's PID. */
    String origin();

    /** @return {@code null} when the configuration was refused */
    Rule rule();

    /** @return why it was refused, {@code null} when it was not */
    String error();
}
