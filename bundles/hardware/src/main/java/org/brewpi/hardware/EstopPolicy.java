package org.brewpi.hardware;

import java.util.Optional;

import org.brewpi.api.command.Command;
import org.brewpi.api.interlock.EmergencyStop.State;
import org.brewpi.api.interlock.GuardRefusal;

/**
 * Which commands may pass while the E-stop holds the plant. What can only take energy away passes:
 * {@code mode = off} (any enum tag written {@code off}), booleans written {@code false}, numbers written 0,
 * and a ping. Setpoints pass too ({@code sv}, {@code sv_*}, {@code *_sv}): a setpoint does nothing while every
 * zone is held in mode off, and an operator may prepare the restart. Everything else is refused: other
 * modes, booleans written {@code true}, other numbers (a manual output, a speed), and a fail-safe
 * {@code reset} (a PLC leaving fail-safe may restore its outputs).
 */
final class EstopPolicy {

    static final String ERROR = "estop";
    static final String SOURCE = "estop";

    private EstopPolicy() {
    }

    static Optional<GuardRefusal> check(Command command, State state) {
        if (state == State.CLEAR || command == null) {
            return Optional.empty();
        }
        if (passes(command)) {
            return Optional.empty();
        }
        String why = state == State.PRESSED ? "the emergency stop is pressed"
                : "the emergency stop was released but not reset";
        return Optional.of(new GuardRefusal(ERROR, SOURCE, why + ": only writes that switch off may pass ("
                + describe(command) + " refused)"));
    }

    /** Whether the command can only take energy away (or carries none). */
    static boolean passes(Command command) {
        String op = command.op() == null ? "" : command.op();
        return switch (op) {
            case Command.PING -> true;
            case Command.WRITE -> switchesOff(command.value())
                    || (isSetpoint(command.tag()) && command.value() instanceof Number);
            default -> false;
        };
    }

    private static boolean switchesOff(Object value) {
        if (value instanceof Boolean b) {
            return !b;
        }
        if (value instanceof String s) {
            return "off".equals(s);
        }
        return value instanceof Number n && n.doubleValue() == 0;
    }

    static boolean isSetpoint(String tag) {
        return tag != null && (tag.equals("sv") || tag.startsWith("sv_") || tag.endsWith("_sv"));
    }

    private static String describe(Command c) {
        return Command.WRITE.equals(c.op()) ? c.zone() + "." + c.tag() + " = " + c.value() : c.op() + " " + c.zone();
    }
}
