package org.brewpi.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZoneAclTest {

    private final ZoneAcl acl = new ZoneAcl("brewpi/v1");

    @ParameterizedTest
    @ValueSource(strings = { "birth", "status", "tele", "ack", "event" })
    void aPlcPublishesItsOwnFiveTopics(String kind) {
        assertThat(acl.mayPublish("fv1", "brewpi/v1/fv1/" + kind)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "brewpi/v1/fv1/cmd", "brewpi/v1/hlt/cmd", "brewpi/v1/hlt/tele", "brewpi/v1/hlt/status",
            "brewpi/v1/scada/status", "brewpi/v1/scada/heartbeat", "brewpi/v1/fv1", "brewpi/v1/fv1/tele/x",
            "brewpi/v1/fv1/+", "brewpi/v1/fv1/#", "brewpi/v1/+/tele", "brewpi/v2/fv1/tele", "fv1/tele",
            "brewpi/v1/fv1/telex", "brewpi/v1/fv1//tele", "brewpi/v1/fv10/tele", "" })
    void aPlcPublishesNothingElse(String topic) {
        assertThat(acl.mayPublish("fv1", topic)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "brewpi/v1/fv1/cmd", "brewpi/v1/scada/#", "brewpi/v1/scada/heartbeat",
            "brewpi/v1/scada/status", "brewpi/v1/scada/+", "brewpi/v1/scada" })
    void aPlcSubscribesToItsCommandsAndTheScada(String filter) {
        assertThat(acl.maySubscribe("fv1", filter)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "brewpi/v1/hlt/cmd", "brewpi/v1/+/cmd", "brewpi/v1/#", "#", "+/+/+/+", "brewpi/v1/fv1/tele",
            "brewpi/v1/fv1/#", "brewpi/v1/+/#", "brewpi/v1/scadax/#", "brewpi/v1/fv1/cmd/#", "brewpi/v1/scada/#/x", "" })
    void aPlcSubscribesToNothingElse(String filter) {
        assertThat(acl.maySubscribe("fv1", filter)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "+", "#", "fv+", "scada", "FV1", "" })
    void userNamesThatAreNotZoneIdsGetNothing(String user) {
        assertThat(acl.mayPublish(user, "brewpi/v1/" + user + "/tele")).isFalse();
        assertThat(acl.maySubscribe(user, "brewpi/v1/" + user + "/cmd")).isFalse();
        assertThat(acl.maySubscribe(user, "brewpi/v1/scada/#")).isFalse();
    }

    @Test
    void theReservedScadaLevelCannotBeAZone() {
        assertThat(acl.mayPublish("scada", "brewpi/v1/scada/status")).isFalse();
    }

    @Test
    void anonymousClientsOnlyReadUnderTheRoot() {
        assertThat(acl.maySubscribe(null, "brewpi/v1/#")).isTrue();
        assertThat(acl.maySubscribe(null, "brewpi/v1/+/tele")).isTrue();
        assertThat(acl.maySubscribe(null, "brewpi/v1/fv1/cmd")).isTrue();
        assertThat(acl.maySubscribe(null, "#")).isFalse();
        assertThat(acl.maySubscribe(null, "+/v1/#")).isFalse();
        assertThat(acl.maySubscribe(null, "brewpi/v1x/#")).isFalse();
        assertThat(acl.mayPublish(null, "brewpi/v1/fv1/tele")).isFalse();
        assertThat(acl.mayPublish(null, "brewpi/v1/scada/status")).isFalse();
    }

    @Test
    void theRootIsConfigurable() {
        ZoneAcl site = new ZoneAcl("site7/brewpi/v1");

        assertThat(site.mayPublish("fv1", "site7/brewpi/v1/fv1/tele")).isTrue();
        assertThat(site.mayPublish("fv1", "brewpi/v1/fv1/tele")).isFalse();
        assertThat(site.maySubscribe("fv1", "site7/brewpi/v1/scada/#")).isTrue();
        assertThat(site.maySubscribe("fv1", "brewpi/v1/scada/#")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "brewpi/+", "brewpi/#", "/brewpi", "brewpi/", "brewpi//v1", "$SYS" })
    void aRootThatIsNotAPlainPrefixCannotBuildAnAcl(String root) {
        assertThatThrownBy(() -> new ZoneAcl(root)).isInstanceOf(IllegalArgumentException.class);
    }
}
