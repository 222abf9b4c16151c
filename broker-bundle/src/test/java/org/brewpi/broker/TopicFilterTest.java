package org.brewpi.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFilterTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "brewpi/v1/hlt/tele,     brewpi/v1/hlt/tele,     true",
            "brewpi/v1/hlt/tele,     brewpi/v1/hlt/status,   false",
            "brewpi/v1/+/tele,       brewpi/v1/fv1/tele,     true",
            "brewpi/v1/+/tele,       brewpi/v1/fv1/x/tele,   false",
            "brewpi/v1/+/tele,       brewpi/v1//tele,        true",
            "brewpi/v1/#,            brewpi/v1/fv1/tele,     true",
            "brewpi/v1/#,            brewpi/v1,              true",
            "brewpi/v1/#,            brewpi/v2/fv1/tele,     false",
            "brewpi/+/+/+,           brewpi/v1/fv1/ack,      true",
            "brewpi/+/+/+,           brewpi/v1/fv1,          false",
            "#,                      brewpi/v1/fv1/tele,     true",
            "#,                      $SYS/broker/uptime,     false",
            "+/broker/uptime,        $SYS/broker/uptime,     false",
            "$SYS/#,                 $SYS/broker/uptime,     true",
            "brewpi/v1/hlt,          brewpi/v1/hlt/tele,     false",
            "brewpi/v1/hlt/tele/+,   brewpi/v1/hlt/tele,     false" })
    void matchesAsMqttDefines(String filter, String topic, boolean expected) {
        assertThat(TopicFilter.parse(filter).matches(topic)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "a/#/b", "a/b#", "a+/b", "#/a", "a/++", "a\u0000b" })
    void invalidFiltersAreRefused(String filter) {
        assertThat(TopicFilter.problem(filter)).isNotNull();
        assertThatThrownBy(() -> TopicFilter.parse(filter)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "a/+/b", "a/#", "+", "a\u0000b" })
    void topicNamesCannotHoldWildcards(String topic) {
        assertThat(TopicFilter.topicProblem(topic)).isNotNull();
    }
}
