package org.brewpi.api.interlock;

import java.util.List;

/**
 * One interlock rule and its state.
 *
 * @param text what it protects, shown to the operator and in refusals
 * @param match {@code all} or {@code any}: how its conditions combine into "safe"
 * @param conditions the conditions that must hold, as written, e.g. {@code kettle.level > 20}
 * @param blocks the writes it refuses while not healthy, e.g. {@code kettle.mode != off}
 * @param forces the writes it sends when it trips, e.g. {@code kettle.mode = off}
 * @param delayMs how long the conditions must fail before it trips
 * @param cause the first condition found failing at the trip, with the value seen, {@code null} when healthy
 * @param trippedAt UTC epoch ms of the last trip, 0 if never
 * @param firstOut whether this was the first of the interlocks that tripped together
 * @param bypass the active bypass, {@code null} when none
 */
public record Interlock(String id, String text, InterlockState state, String match, List<String> conditions,
        List<String> blocks, List<String> forces, boolean latched, long delayMs, String cause, long trippedAt,
        boolean firstOut, Bypass bypass) {

    public Interlock {
        conditions = List.copyOf(conditions);
        blocks = List.copyOf(blocks);
        forces = List.copyOf(forces);
    }
}
