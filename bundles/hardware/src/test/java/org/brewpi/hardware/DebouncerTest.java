package org.brewpi.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DebouncerTest {

    @Test
    void aLevelCountsOnlyAfterHoldingForTheDebounceTime() {
        Debouncer d = new Debouncer(30, false, 0);
        assertThat(d.sample(true, 10)).isFalse();
        assertThat(d.sample(true, 39)).isFalse();
        assertThat(d.sample(true, 40)).isTrue();
        assertThat(d.accepted()).isTrue();
    }

    @Test
    void contactBounceRestartsTheTimer() {
        Debouncer d = new Debouncer(30, false, 0);
        long t = 100;
        // a bouncing contact: open/closed every 5 ms for 50 ms, then open for good
        for (int i = 0; i < 10; i++, t += 5) {
            assertThat(d.sample(i % 2 == 0, t)).as("bounce at %d ms", t).isFalse();
        }
        d.sample(true, t);
        assertThat(d.sample(true, t + 29)).isFalse();
        assertThat(d.sample(true, t + 30)).isTrue();
    }

    @Test
    void aSpikeShorterThanTheDebounceTimeIsIgnored() {
        Debouncer d = new Debouncer(30, false, 0);
        d.sample(true, 100);
        assertThat(d.sample(false, 120)).isFalse();
        assertThat(d.sample(false, 500)).isFalse();
    }

    @Test
    void releaseIsDebouncedToo() {
        Debouncer d = new Debouncer(30, true, 0);
        assertThat(d.sample(false, 10)).isTrue();
        assertThat(d.sample(true, 20)).isTrue();
        assertThat(d.sample(false, 25)).isTrue();
        assertThat(d.sample(false, 54)).isTrue();
        assertThat(d.sample(false, 55)).isFalse();
    }

    @Test
    void zeroDebounceFollowsAtOnce() {
        Debouncer d = new Debouncer(0, false, 0);
        assertThat(d.sample(true, 1)).isTrue();
        assertThat(d.sample(false, 1)).isFalse();
    }
}
