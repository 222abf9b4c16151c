package org.brewpi.api.batch;

import org.brewpi.api.security.Signature;

/**
 * One change of a batch: who, when, why.
 *
 * @param event {@code start}, {@code hold}, {@code resume}, {@code abort}, {@code complete}, {@code release}
 * @param from the state before, {@code null} for the start
 * @param signature the electronic signature the change needed (release), else {@code null}
 */
public record BatchEvent(long seq, long time, String event, BatchState from, BatchState to, String actor,
        String printedName, String entryPoint, String reason, Signature signature) {
}
