package org.brewpi.plant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.brewpi.api.command.Command;
import org.brewpi.api.zone.TagDef;
import org.brewpi.api.zone.TagKind;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneInfo;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.Test;

class CommandCheckTest {

    static final ZoneSnapshot FV1 = new ZoneSnapshot("fv1", "mqtt",
            new ZoneInfo("fv1", "fermenter", "1", "esp32-s3", 1, "hold_last", 1000, List.of(
                    new TagDef("pv", TagKind.ANALOG, "degC", -5.0, 40.0, null, false),
                    new TagDef("sv", TagKind.ANALOG, "degC", -2.0, 30.0, null, true),
                    new TagDef("mode", TagKind.ENUM, null, null, null, List.of("off", "auto", "manual"), true),
                    new TagDef("valve", TagKind.BOOL, null, null, null, null, true))),
            ZoneState.ONLINE, null, 1, Map.of(), new ZoneCounters(0, 0, 0, 0, 0, 0, Map.of()));

    static String error(String tag, Object value) {
        var refusal = CommandCheck.check(Command.write("fv1", tag, value, "test", "t"), FV1);
        return refusal == null ? null : refusal.error();
    }

    @Test
    void acceptsGoodWrites() {
        assertThat(error("sv", 18.5)).isNull();
        assertThat(error("sv", 30)).isNull();
        assertThat(error("sv", -2)).isNull();
        assertThat(error("mode", "manual")).isNull();
        assertThat(error("valve", true)).isNull();
    }

    @Test
    void refusesWhatThePlcWouldRefuse() {
        assertThat(error("ghost", 1)).isEqualTo("unknown_tag");
        assertThat(error("pv", 20)).isEqualTo("read_only");
        assertThat(error("sv", 30.01)).isEqualTo("out_of_range");
        assertThat(error("sv", -2.5)).isEqualTo("out_of_range");
        assertThat(error("sv", Double.NaN)).isEqualTo("bad_type");
        assertThat(error("sv", "18")).isEqualTo("bad_type");
        assertThat(error("mode", "turbo")).isEqualTo("out_of_range");
        assertThat(error("mode", 1)).isEqualTo("bad_type");
        assertThat(error("valve", "true")).isEqualTo("bad_type");
        assertThat(CommandCheck.check(Command.write("nope", "sv", 1, "t", "t"), null).error()).isEqualTo("unknown_zone");
        assertThat(CommandCheck.check(new Command(null, "fv1", "explode", null, null, "t", "t"), FV1).error())
                .isEqualTo("bad_request");
        assertThat(CommandCheck.check(Command.write("fv1", "sv", 31, "t", "t"), FV1).message()).isEqualTo("sv 31 > max 30");
    }
}
