package org.brewpi.api.command;

/**
 * What became of a command.
 *
 * @param error a protocol error code ({@code out_of_range}, {@code read_only}, {@code unknown_tag},
 *        {@code timeout}, {@code offline}...), {@code null} when done
 * @param message a human-readable explanation
 */
public record CommandResult(Command command, Outcome outcome, String error, String message, long submittedAt,
        long answeredAt) {

    public boolean done() {
        return outcome == Outcome.DONE;
    }
}
