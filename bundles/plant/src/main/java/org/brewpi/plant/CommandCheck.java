package org.brewpi.plant;

import java.util.Optional;
import java.util.Set;

import org.brewpi.api.command.Command;
import org.brewpi.api.interlock.CommandGuard;
import org.brewpi.api.interlock.GuardRefusal;
import org.brewpi.api.security.Access;
import org.brewpi.api.security.AccessPolicy;
import org.brewpi.api.security.Right;
import org.brewpi.api.zone.TagDef;
import org.brewpi.api.zone.ZoneSnapshot;

/**
 * The gate's checks of a command against what the PLC declared in its birth. The PLC checks again with
 * its own limits and interlocks; this is the SCADA's half, so an operator hears "out of range" before
 * anything goes on the wire.
 */
final class CommandCheck {

    /** A refusal: a protocol error code and a sentence for the operator. */
    record Refusal(String error, String message) {
    }

    /**
     * Origins inside the box acting on their own (an interlock closing a valve, a running batch): they were
     * started by someone who passed a door, and a safety action must never wait for a role.
     */
    static final Set<String> SYSTEM_ORIGINS = Set.of("interlock", "estop", "batch", "internal");

    /**
     * The forcing writes of the safety functions (an interlock trip, the E-stop): they put the plant in its
     * safe state, so no guard may stop them.
     */
    static final Set<String> FORCING_ORIGINS = Set.of("interlock", "estop");

    private CommandCheck() {
    }

    /** The right a command needs: a write sets a setpoint or mode, a reset takes a zone out of fail-safe. */
    static Right requiredRight(Command command) {
        return Command.RESET.equals(command.op()) ? Right.RESET_FAILSAFE : Right.OPERATE;
    }

    /** @return {@code null} when the command's user holds the right its operation needs */
    static Refusal checkRole(Command command, AccessPolicy access) {
        if (command.origin() != null && SYSTEM_ORIGINS.contains(command.origin())) {
            return null;
        }
        Right right = requiredRight(command);
        Access answer;
        try {
            answer = access.check(command.user(), right);
        } catch (RuntimeException e) {
            return new Refusal("forbidden", "the user directory cannot answer: " + e.getMessage());
        }
        return answer.allowed() ? null : new Refusal("forbidden", answer.reason());
    }

    /** @return the first guard's refusal, {@code null} when every guard lets the command pass */
    static Refusal checkGuards(Command command, Iterable<CommandGuard> guards) {
        if (command.origin() != null && FORCING_ORIGINS.contains(command.origin())) {
            return null;
        }
        for (CommandGuard guard : guards) {
            Optional<GuardRefusal> refusal;
            try {
                refusal = guard.check(command);
            } catch (RuntimeException e) {
                // a guard that cannot answer must not open the plant
                return new Refusal("guard_error", "a command guard failed: " + e);
            }
            if (refusal.isPresent()) {
                GuardRefusal r = refusal.get();
                return new Refusal(r.error(), r.text() + " (" + r.source() + ")");
            }
        }
        return null;
    }

    /** @return {@code null} when the command may be sent */
    static Refusal check(Command command, ZoneSnapshot zone) {
        if (zone == null) {
            return new Refusal("unknown_zone", "there is no zone " + command.zone());
        }
        switch (command.op()) {
            case Command.RESET, Command.PING -> {
                return null;
            }
            case Command.WRITE -> {
                return checkWrite(command, zone);
            }
            default -> {
                return new Refusal("bad_request", "unknown operation '" + command.op() + "'");
            }
        }
    }

    private static Refusal checkWrite(Command command, ZoneSnapshot zone) {
        if (zone.info() == null) {
            return new Refusal("unknown_tag", "zone " + zone.id() + " has not declared its tags yet (no birth)");
        }
        TagDef tag = zone.info().tag(command.tag() == null ? "" : command.tag()).orElse(null);
        if (tag == null) {
            return new Refusal("unknown_tag", "zone " + zone.id() + " has no tag " + command.tag());
        }
        if (!tag.writable()) {
            return new Refusal("read_only", zone.id() + "." + tag.name() + " is read-only");
        }
        Object value = command.value();
        switch (tag.kind()) {
            case ANALOG -> {
                if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    return new Refusal("bad_type", tag.name() + " takes a number");
                }
                double v = n.doubleValue();
                if (tag.min() != null && v < tag.min()) {
                    return new Refusal("out_of_range", tag.name() + " " + fmt(v) + " < min " + fmt(tag.min()));
                }
                if (tag.max() != null && v > tag.max()) {
                    return new Refusal("out_of_range", tag.name() + " " + fmt(v) + " > max " + fmt(tag.max()));
                }
            }
            case BOOL -> {
                if (!(value instanceof Boolean)) {
                    return new Refusal("bad_type", tag.name() + " takes true or false");
                }
            }
            case ENUM -> {
                if (!(value instanceof String s)) {
                    return new Refusal("bad_type", tag.name() + " takes one of " + tag.values());
                }
                if (!tag.values().contains(s)) {
                    return new Refusal("out_of_range", tag.name() + " '" + s + "' is not one of " + tag.values());
                }
            }
        }
        return null;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
