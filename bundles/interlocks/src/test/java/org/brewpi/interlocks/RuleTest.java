package org.brewpi.interlocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.brewpi.api.command.Command;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.Test;

/** The rule grammar: what parses, what is refused and why, how conditions judge live data. */
class RuleTest {

    private static Rule rule(String match, String conditions, String blocks, String forces) {
        return Rule.parse("r1", "text", match, new String[] { conditions }, new String[] { blocks },
                new String[] { forces }, false, 0);
    }

    /** A plant of fixed values, all GOOD and online unless told otherwise. */
    private static PlantReading plant(Map<String, Object> values, Quality quality, ZoneState state) {
        return new PlantReading() {
            public TagValue tag(String zone, String tag) {
                Object v = values.get(zone + "." + tag);
                return v == null ? null : new TagValue(zone, tag, v, quality, 1, 1);
            }

            public ZoneState state(String zone) {
                return state;
            }
        };
    }

    @Test
    void parsesTheWholeGrammar() {
        Rule r = rule("any", "kettle.level >= 20.5, kettle.mode == off, glycol online, fv1.cip != true",
                "kettle.mode != off, mash.pump = true, fv1.product_valve", "kettle.mode = off, mash.pump=false");
        assertThat(r.conditions()).extracting(Condition::text).containsExactly("kettle.level >= 20.5",
                "kettle.mode == off", "glycol online", "fv1.cip != true");
        assertThat(r.blocks()).extracting(Block::text).containsExactly("kettle.mode != off", "mash.pump = true",
                "fv1.product_valve");
        assertThat(r.forces()).extracting(Force::text).containsExactly("kettle.mode = off", "mash.pump = false");
        assertThat(r.forces().get(1).value().commandValue()).isEqualTo(false);
        assertThat(r.match()).isEqualTo("any");
        assertThat(Rule.items(new String[] { "a, b", " c ", "" })).containsExactly("a", "b", "c");
        assertThat(Literal.parse("'heavy duty'").value()).isEqualTo("heavy duty");
        assertThat(Literal.parse("-1.5e1").value()).isEqualTo(-15.0);
    }

    @Test
    void refusesWhatItCannotReadAndSaysWhere() {
        assertThatThrownBy(() -> rule("all", "kettle.level ~ 20", "kettle.mode", "")).hasMessageStartingWith("r1: ")
                .hasMessageContaining("kettle.level ~ 20");
        assertThatThrownBy(() -> rule("all", "kettle.mode > off", "kettle.mode", ""))
                .hasMessageContaining("compares numbers only");
        assertThatThrownBy(() -> rule("all", "Kettle.level > 2", "kettle.mode", "")).hasMessageContaining("zone 'Kettle'");
        assertThatThrownBy(() -> rule("all", "kettle.level > 2", "", "")).hasMessageContaining("neither blocks nor forces");
        assertThatThrownBy(() -> rule("all", "", "kettle.mode", "")).hasMessageContaining("no conditions");
        assertThatThrownBy(() -> rule("some", "kettle.level > 2", "kettle.mode", "")).hasMessageContaining("all or any");
        assertThatThrownBy(() -> rule("all", "kettle.level > 2", "", "kettle.mode")).hasMessageContaining("zone.tag = value");
        assertThatThrownBy(() -> rule("all", "kettle.level > 2", "", "kettle.mode = off, kettle.mode = auto"))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> rule("all", "kettle.level > a b", "kettle.mode", "")).hasMessageContaining("quote");
        assertThatThrownBy(() -> Rule.parse("Bad Id", "t", "all", new String[] { "a.b > 1" }, new String[] { "a.b" },
                null, false, 0)).hasMessageContaining("id 'Bad Id'");
        assertThatThrownBy(() -> Rule.parse("r", " ", "all", new String[] { "a.b > 1" }, new String[] { "a.b" },
                null, false, 0)).hasMessageContaining("text");
        assertThatThrownBy(() -> Rule.parse("r", "t", "all", new String[] { "a.b > 1" }, new String[] { "a.b" },
                null, false, -1)).hasMessageContaining("delay_ms");
    }

    @Test
    void conditionsHoldOnlyOnGoodDataOfTheRightType() {
        Rule r = rule("all", "kettle.level > 20, kettle.mode == off", "kettle.mode", "");
        assertThat(r.failure(plant(Map.of("kettle.level", 30.0, "kettle.mode", "off"), Quality.GOOD, ZoneState.ONLINE)))
                .isNull();
        assertThat(r.failure(plant(Map.of("kettle.level", 10.0, "kettle.mode", "off"), Quality.GOOD, ZoneState.ONLINE))
                .text()).isEqualTo("kettle.level > 20 (is 10)");
        var stale = r.failure(plant(Map.of("kettle.level", 30.0, "kettle.mode", "off"), Quality.STALE, ZoneState.ONLINE));
        assertThat(stale.text()).isEqualTo("kettle.level > 20 (STALE)");
        assertThat(stale.noData()).isTrue();
        assertThat(r.failure(plant(Map.of("kettle.level", 30.0, "kettle.mode", "off"), Quality.BAD, ZoneState.ONLINE))
                .text()).contains("BAD");
        assertThat(r.failure(plant(Map.of("kettle.level", 30.0, "kettle.mode", "off"), Quality.GOOD, ZoneState.OFFLINE))
                .text()).contains("offline");
        assertThat(r.failure(plant(Map.of("kettle.mode", "off"), Quality.GOOD, ZoneState.ONLINE)).text())
                .contains("no value yet");
        assertThat(r.failure(plant(Map.of("kettle.level", "high", "kettle.mode", "off"), Quality.GOOD, ZoneState.ONLINE))
                .text()).contains("not a number");
        Rule online = rule("all", "glycol online", "fv1.cip", "");
        assertThat(online.failure(plant(Map.of(), Quality.GOOD, ZoneState.ONLINE))).isNull();
        assertThat(online.failure(plant(Map.of(), Quality.GOOD, ZoneState.FAILSAFE)).text())
                .isEqualTo("glycol online (zone is failsafe)");
        assertThat(online.failure(plant(Map.of(), Quality.GOOD, ZoneState.FAILSAFE)).noData()).isFalse();
        assertThat(online.failure(plant(Map.of(), Quality.GOOD, ZoneState.OFFLINE)).noData())
                .as("a zone the driver has not heard from yet is offline: no data, not a trip in the start-up grace")
                .isTrue();
    }

    @Test
    void blocksMatchWritesByTagAndValue() {
        Rule r = rule("all", "a.b > 1", "kettle.mode != off, mash.pump = true, fv1.product_valve", "");
        List<Block> b = r.blocks();
        assertThat(b.get(0).matches(Command.write("kettle", "mode", "auto", "hmi", "u"))).isTrue();
        assertThat(b.get(0).matches(Command.write("kettle", "mode", "off", "hmi", "u"))).isFalse();
        assertThat(b.get(1).matches(Command.write("mash", "pump", true, "hmi", "u"))).isTrue();
        assertThat(b.get(1).matches(Command.write("mash", "pump", false, "hmi", "u"))).isFalse();
        assertThat(b.get(1).matches(Command.write("mash", "pump", "true", "hmi", "u"))).as("text is not a boolean").isFalse();
        assertThat(b.get(2).matches(Command.write("fv1", "product_valve", false, "hmi", "u"))).isTrue();
        assertThat(b.get(2).matches(Command.write("fv2", "product_valve", true, "hmi", "u"))).isFalse();
        Rule numeric = rule("all", "a.b > 1", "kettle.sv = 100", "");
        assertThat(numeric.blocks().get(0).matches(Command.write("kettle", "sv", 100, "hmi", "u"))).isTrue();
    }

    @Test
    void theIdDefaultsToTheFileName() {
        assertThat(ConfiguredInterlock.nameOf("brewpi.interlock-kettle-level.cfg")).isEqualTo("kettle-level");
        assertThat(ConfiguredInterlock.nameOf("/opt/brewpi/conf/brewpi.interlock-fv1-cip.cfg")).isEqualTo("fv1-cip");
    }
}
