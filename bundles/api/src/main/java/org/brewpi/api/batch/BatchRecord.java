package org.brewpi.api.batch;

import java.util.List;

import org.brewpi.api.security.Signature;

/**
 * The batch record of one lot.
 *
 * @param recipe the recipe exactly as it was approved and started (its content's hash included)
 * @param zones the zones the batch runs on (from the recipe's steps)
 * @param endedAt when it was completed or aborted, 0 while active
 * @param history every change, oldest first
 * @param ccp the CCPs as last evaluated and recorded (at completion, again at release); empty before
 * @param ccpEvaluatedAt when, 0 for never
 * @param deviation the deviation QA accepted at release with a CCP not met or without data, else {@code null}
 * @param release QA's release signature, {@code null} until released
 */
public record BatchRecord(String lot, Recipe recipe, BatchState state, List<String> zones, long startedAt, long endedAt,
        List<BatchEvent> history, List<CcpResult> ccp, long ccpEvaluatedAt, String deviation, Signature release) {

    public BatchRecord {
        zones = List.copyOf(zones);
        history = List.copyOf(history);
        ccp = List.copyOf(ccp);
    }
}
