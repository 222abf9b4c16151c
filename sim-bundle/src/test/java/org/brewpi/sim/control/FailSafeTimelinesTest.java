package org.brewpi.sim.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every timeline of docs/protocol/failsafe-timelines.json, the file the firmware passes too. */
class FailSafeTimelinesTest {

    static final Path TIMELINES = Path.of("..", "docs", "protocol", "failsafe-timelines.json");
    static final long MAX_TICK_GAP_MS = 100;

    @TestFactory
    Stream<DynamicTest> everyTimeline() throws IOException {
        JsonNode timelines = new ObjectMapper().readTree(Files.readString(TIMELINES)).get("timelines");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode timeline : timelines) {
            tests.add(DynamicTest.dynamicTest(timeline.get("name").textValue(), () -> run(timeline)));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(8);
        return tests.stream();
    }

    @Test
    void aTimelineCheckCanFail() throws IOException {
        // guard against a runner that checks nothing: a wrong expectation must be caught
        JsonNode timeline = new ObjectMapper().readTree("""
                {"name":"wrong","policy":"off","hb_timeout_ms":5000,"inputs":[],
                 "expect":[{"t":5000,"state":"online"}]}""");
        assertThatThrownBy(() -> run(timeline)).isInstanceOf(AssertionError.class);
    }

    private static void run(JsonNode timeline) {
        FailSafePolicy policy = FailSafePolicy.valueOf(timeline.get("policy").textValue().toUpperCase(Locale.ROOT));
        FailSafe machine = new FailSafe(policy, timeline.get("hb_timeout_ms").longValue(), 0);
        TreeSet<Long> times = new TreeSet<>();
        timeline.get("inputs").forEach(i -> times.add(i.get("t").longValue()));
        timeline.get("expect").forEach(e -> times.add(e.get("t").longValue()));
        long previous = 0;
        for (long t : times) {
            // between listed times the machine is ticked at least every 100 ms
            for (long between = previous + MAX_TICK_GAP_MS; between < t; between += MAX_TICK_GAP_MS) {
                machine.tick(between);
            }
            for (JsonNode input : timeline.get("inputs")) {
                if (input.get("t").longValue() == t) {
                    apply(machine, input.get("input").textValue(), t);
                }
            }
            machine.tick(t);
            for (JsonNode expect : timeline.get("expect")) {
                if (expect.get("t").longValue() == t) {
                    assertThat(machine.state().wire()).as("state at t=%d", t).isEqualTo(expect.get("state").textValue());
                    if (expect.has("reason")) {
                        assertThat(machine.reason()).as("reason at t=%d", t).isEqualTo(expect.get("reason").textValue());
                    }
                }
            }
            previous = t;
        }
    }

    private static void apply(FailSafe machine, String input, long t) {
        switch (input) {
            case "link_up" -> machine.linkUp(t);
            case "link_down" -> machine.linkDown(t);
            case "heartbeat" -> machine.heartbeat(t);
            case "scada_online" -> machine.scadaOnline(t);
            case "scada_offline" -> machine.scadaOffline(t);
            case "reset" -> machine.reset(t);
            default -> throw new AssertionError("unknown input " + input);
        }
    }
}
