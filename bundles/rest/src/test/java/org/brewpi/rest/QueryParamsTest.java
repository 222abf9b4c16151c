package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class QueryParamsTest {

    private static final long NOW = Fixtures.T0;

    private static QueryParams params(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return new QueryParams(map::get);
    }

    private static void assertBadRequest(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(400)).hasMessageContaining(message);
    }

    @Test
    void defaultWindowIsTheLastHour() {
        assertThat(params().window(NOW)).isEqualTo(new QueryParams.Window(NOW - 3_600_000, NOW));
        assertThat(params("to", "5000000").window(NOW)).isEqualTo(new QueryParams.Window(1_400_000, 5_000_000));
        assertThat(params("from", "1000", "to", "2000").window(NOW)).isEqualTo(new QueryParams.Window(1000, 2000));
        assertThat(params("from", String.valueOf(NOW - 10)).window(NOW))
                .isEqualTo(new QueryParams.Window(NOW - 10, NOW));
        assertThat(params("from", "", "to", " ").window(NOW)).isEqualTo(new QueryParams.Window(NOW - 3_600_000, NOW));
    }

    @Test
    void badTimesAreRefused() {
        assertBadRequest(() -> params("from", "yesterday").window(NOW), "from must be a time in epoch milliseconds");
        assertBadRequest(() -> params("to", "1.5").window(NOW), "to must be a time");
        assertBadRequest(() -> params("from", "-1").window(NOW), "must not be negative");
        assertBadRequest(() -> params("from", "2000", "to", "1000").window(NOW), "is after to");
    }

    @Test
    void pointsDefaultAndBounds() {
        assertThat(params().count("points", 500, 5000)).isEqualTo(500);
        assertThat(params("points", "5000").count("points", 500, 5000)).isEqualTo(5000);
        assertThat(params("points", "1").count("points", 500, 5000)).isEqualTo(1);
        assertBadRequest(() -> params("points", "5001").count("points", 500, 5000), "between 1 and 5000");
        assertBadRequest(() -> params("points", "0").count("points", 500, 5000), "between 1 and 5000");
        assertBadRequest(() -> params("points", "many").count("points", 500, 5000), "whole number");
    }

    @Test
    void zoneAndTag() {
        assertThat(params("zone", "fv1").zone(true)).isEqualTo("fv1");
        assertThat(params().zone(false)).isNull();
        assertBadRequest(() -> params().zone(true), "zone is required");
        assertBadRequest(() -> params("zone", "FV1").zone(true), "is not a zone id");
        assertBadRequest(() -> params("zone", "fv1/../x").zone(false), "is not a zone id");
        assertThat(params("tag", "glycol_valve").tag()).isEqualTo("glycol_valve");
        assertBadRequest(() -> params().tag(), "tag is required");
        assertBadRequest(() -> params("tag", "x".repeat(65)).tag(), "is not a tag name");
        assertBadRequest(() -> params("tag", "a\nb").tag(), "is not a tag name");
    }
}
