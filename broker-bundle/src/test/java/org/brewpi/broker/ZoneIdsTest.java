package org.brewpi.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ZoneIdsTest {

    @ParameterizedTest
    @ValueSource(strings = { "hlt", "mash", "kettle", "fv1", "glycol", "0", "brite-2", "a2345678901234567890123456789012" })
    void protocolZoneIdsAreValid(String id) {
        assertThat(ZoneIds.problem(id)).isNull();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "+", "#", "fv+", "fv#", "a/b", "hlt/#", "HLT", "-hlt", "fv 1", "fv_1", "zoné",
            "a23456789012345678901234567890123", "scada", "$sys", "fv1\u0000" })
    void anythingElseIsRefused(String id) {
        assertThat(ZoneIds.problem(id)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "a\nb", "x\u0000y" })
    void printableStripsControlCharacters(String text) {
        assertThat(ZoneIds.printable(text)).doesNotContainPattern("\\p{Cntrl}");
    }
}
