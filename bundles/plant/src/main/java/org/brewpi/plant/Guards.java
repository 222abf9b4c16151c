package org.brewpi.plant;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.brewpi.api.command.Command;
import org.brewpi.api.interlock.CommandGuard;
import org.brewpi.api.interlock.GuardRefusal;

/**
 * The guards the gate asks (a whiteboard: the interlock engine, the emergency stop, any other), and the ones
 * it must not run without. Fail-closed: a required guard missing, or a guard that throws, refuses the write.
 */
final class Guards {

    /** A refusal's source and text travel in the result's message as {@code <source>: <text>}. */
    static final String SOURCE_SEPARATOR = ": ";

    private record Named(String name, CommandGuard guard) {
    }

    private final List<Named> guards = new CopyOnWriteArrayList<>();
    private volatile Set<String> required = Set.of();

    void require(Set<String> names) {
        required = Set.copyOf(names);
    }

    void add(CommandGuard guard, Object name) {
        guards.add(new Named(name == null ? "(unnamed)" : name.toString(), guard));
    }

    void remove(CommandGuard guard) {
        guards.removeIf(n -> n.guard() == guard);
    }

    /** @return {@code null} when every guard lets the command pass */
    CommandCheck.Refusal check(Command command) {
        Set<String> missing = missing();
        if (!missing.isEmpty()) {
            return new CommandCheck.Refusal("guard_missing", "the " + String.join(", ", missing)
                    + " guard is not running: until it is, only forcing writes (interlock, estop) go out");
        }
        for (Named n : guards) {
            Optional<GuardRefusal> refusal;
            try {
                refusal = n.guard().check(command);
            } catch (RuntimeException e) {
                return new CommandCheck.Refusal("guard_error", n.name() + SOURCE_SEPARATOR + "the guard failed: " + e);
            }
            if (refusal != null && refusal.isPresent()) {
                GuardRefusal r = refusal.get();
                return new CommandCheck.Refusal(r.error(), r.source() + SOURCE_SEPARATOR + r.text());
            }
        }
        return null;
    }

    Set<String> missing() {
        Set<String> missing = new TreeSet<>(required);
        guards.forEach(n -> missing.remove(n.name()));
        return missing;
    }

    Set<String> required() {
        return new TreeSet<>(required);
    }

    List<String> present() {
        return guards.stream().map(Named::name).toList();
    }
}
