package org.brewpi.api.command;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one way in for every write to the plant: REST, HMI, batches and interlocks all submit here.
 * The gate checks the tag exists, is writable and the value is in range, records the request and
 * its outcome, and only then hands it to the zone's driver.
 */
@ProviderType
public interface CommandGate {

    CompletionStage<CommandResult> submit(Command command);
}
