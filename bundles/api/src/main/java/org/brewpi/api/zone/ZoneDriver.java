package org.brewpi.api.zone;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandResult;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The plug-in point for zone bundles: a driver owns a set of zones, keeps their live tag table,
 * tells {@link ZoneListener}s what changes, and carries commands to the PLCs.
 * <p>
 * Register an implementation as an OSGi service with the property {@link #DRIVER_ID}.
 * Only the command gate calls {@link #send(Command)}; nothing else writes to the plant.
 */
@ConsumerType
public interface ZoneDriver {

    /** Service property naming the driver, e.g. {@code mqtt}. */
    String DRIVER_ID = "brewpi.driver";

    String id();

    Collection<ZoneSnapshot> zones();

    Optional<ZoneSnapshot> zone(String zoneId);

    /**
     * Sends an already checked command. The stage completes with the PLC's answer, or with a
     * failed result (timeout, offline); it never completes as done without the PLC's ack.
     */
    CompletionStage<CommandResult> send(Command command);
}
