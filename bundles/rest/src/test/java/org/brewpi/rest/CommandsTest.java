package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandsTest {

    private final Json json = new Json();

    private Object valueOf(String body) throws IOException {
        return Commands.value(json.readBody(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void acceptsNumbersBooleansAndStrings() throws IOException {
        assertThat(valueOf("{\"value\": 18.5}")).isEqualTo(18.5);
        assertThat(valueOf("{\"value\": 18}")).isEqualTo(18.0);
        assertThat(valueOf("{\"value\": -2e1}")).isEqualTo(-20.0);
        assertThat(valueOf("{\"value\": true}")).isEqualTo(true);
        assertThat(valueOf("{\"value\": \"auto\"}")).isEqualTo("auto");
        assertThat(valueOf("{\"value\": 1, \"comment\": \"extra fields are ignored\"}")).isEqualTo(1.0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                          | empty",
            "'{\"value\": 18.5'          | not valid JSON",
            "'{\"value\": NaN}'          | not valid JSON",
            "'{\"value\": 1} {}'         | not valid JSON",
            "'[18.5]'                    | JSON object",
            "'18.5'                      | JSON object",
            "'{\"valeu\": 18.5}'         | no \"value\"",
            "'{\"value\": null}'         | must not be null",
            "'{\"value\": [1]}'          | not array",
            "'{\"value\": {\"x\": 1}}'   | not object",
            "'{\"value\": 1e999}'        | too large",
    })
    void refusesMalformedBodiesSayingWhy(String body, String reason) {
        assertThatThrownBy(() -> valueOf(body))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("bad_request");
                })
                .hasMessageContaining(reason);
    }

    @Test
    void refusesOversizedBodiesAndStrings() {
        String big = "{\"value\": \"" + "x".repeat(Json.MAX_BODY_BYTES) + "\"}";
        assertThatThrownBy(() -> valueOf(big))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
        String longString = "{\"value\": \"" + "x".repeat(Commands.MAX_STRING_VALUE + 1) + "\"}";
        assertThatThrownBy(() -> valueOf(longString)).hasMessageContaining("longer than");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "DONE,     null,          200",
            "REJECTED, unknown_zone,  404",
            "REJECTED, unknown_tag,   404",
            "REJECTED, read_only,     409",
            "REJECTED, estop,         409",
            "REJECTED, out_of_range,  422",
            "REJECTED, bad_type,      422",
            "REJECTED, null,          422",
            "REFUSED,  out_of_range,  409",
            "REFUSED,  interlocked,   409",
            "REJECTED, interlocked,   409",
            "REJECTED, estop,         409",
            "REJECTED, guard_missing, 503",
            "TIMEOUT,  timeout,       504",
            "NOT_SENT, offline,       503",
    })
    void outcomeToStatus(Outcome outcome, String error, int status) {
        assertThat(Commands.status(outcome, error)).isEqualTo(status);
    }

    @Test
    void replyCarriesOutcomeErrorAndTheCommand() {
        Command sent = Command.write("fv1", "sv", 45.0, "rest", "api").withId("c-000042");
        CommandResult refused = new CommandResult(sent, Outcome.REFUSED, "out_of_range", "sv 45 > max 30", 1, 2);

        Views.CommandReply reply = Commands.reply(refused);

        assertThat(json.tree(reply).toString()).isEqualTo("{\"outcome\":\"REFUSED\",\"error\":\"out_of_range\","
                + "\"source\":null,\"message\":\"sv 45 > max 30\",\"id\":\"c-000042\",\"zone\":\"fv1\",\"tag\":\"sv\",\"value\":45.0}");
    }

    @Test
    void doneHasNoErrorAndMissingTextIsFilledIn() {
        Command sent = Command.write("fv1", "sv", 18.5, "rest", "api").withId("c-1");
        assertThat(Commands.reply(new CommandResult(sent, Outcome.DONE, null, null, 1, 2)))
                .satisfies(r -> {
                    assertThat(r.error()).isNull();
                    assertThat(r.message()).isEqualTo("acknowledged by the PLC");
                });
        assertThat(Commands.reply(new CommandResult(sent, Outcome.TIMEOUT, null, null, 1, 2)).error())
                .isEqualTo("timeout");
    }

    @Test
    void aGuardsRefusalNamesItsSource() {
        Command sent = Command.write("kettle", "mode", "auto", "rest", "ana").withId("c-7");
        CommandResult refused = new CommandResult(sent, Outcome.REJECTED, "interlocked",
                "kettle-level: Kettle heater needs kettle level above minimum", 1, 1);
        Views.CommandReply reply = Commands.reply(refused);
        assertThat(reply.error()).isEqualTo("interlocked");
        assertThat(reply.source()).isEqualTo("kettle-level");
        assertThat(reply.message()).isEqualTo("Kettle heater needs kettle level above minimum");
        CommandResult plc = new CommandResult(sent, Outcome.REFUSED, "interlocked", "heater blocked by low_level", 1, 2);
        assertThat(Commands.reply(plc).source()).as("the PLC's own interlock").isNull();
        assertThat(Commands.reply(plc).message()).isEqualTo("heater blocked by low_level");
    }
}
