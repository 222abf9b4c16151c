package org.brewpi.api.interlock;

import java.util.Optional;

import org.brewpi.api.command.Command;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A veto on commands, asked by the command gate for every command after the role check and before the
 * limits: the interlock engine and the emergency stop are guards. Register as a service with the
 * property {@link #GUARD_NAME}; the gate refuses writes while a guard it is configured to require is
 * missing, so stopping the interlock bundle never opens the plant.
 * <p>
 * Called on the submitter's thread: answer from memory, no I/O, no blocking.
 */
@ConsumerType
public interface CommandGuard {

    /** Service property naming the guard: {@code interlocks}, {@code estop}. */
    String GUARD_NAME = "brewpi.guard";

    /** @return why the command must not go out, or empty when this guard lets it pass */
    Optional<GuardRefusal> check(Command command);
}
