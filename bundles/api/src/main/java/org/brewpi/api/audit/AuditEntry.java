package org.brewpi.api.audit;

/**
 * One line of the audit trail: who did what, when, through which door, to what, and why.
 *
 * @param seq position in the trail, set by the trail (0 when appending)
 * @param time UTC epoch ms, set by the trail (0 when appending)
 * @param actor the user, or the component acting on its own (e.g. {@code interlock})
 * @param entryPoint {@code hmi}, {@code rest}, {@code mqtt} or {@code internal}
 * @param action what was done, e.g. {@code command.write}, {@code command.outcome}, {@code login}
 * @param target what it was done to, e.g. {@code fv1.sv}
 * @param oldValue the value before, as text, or {@code null}
 * @param newValue the value asked for or reached, as text, or {@code null}
 * @param reason the reason given, or the outcome of the action
 * @param signature the meaning of an electronic signature, or {@code null} when none was given
 */
public record AuditEntry(long seq, long time, String actor, String entryPoint, String action, String target,
        String oldValue, String newValue, String reason, String signature) {

    public static AuditEntry of(String actor, String entryPoint, String action, String target, String oldValue,
            String newValue, String reason) {
        return new AuditEntry(0, 0, actor, entryPoint, action, target, oldValue, newValue, reason, null);
    }
}
