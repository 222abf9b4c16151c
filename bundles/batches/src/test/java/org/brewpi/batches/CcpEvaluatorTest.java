package org.brewpi.batches;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.brewpi.api.batch.CcpResult;
import org.brewpi.api.batch.CcpStatus;
import org.brewpi.api.batch.CriticalParameter;
import org.brewpi.api.history.HistoryPoint;
import org.junit.jupiter.api.Test;

class CcpEvaluatorTest {

    static final long MIN = 60_000;
    static final long GAP = 5 * MIN;
    static final CriticalParameter BOIL = new CriticalParameter("boil", "kettle", "pv", 98.0, null, 60, "hold", null);
    static final CriticalParameter FERMENT = new CriticalParameter("ferm", "fv1", "pv", 10.0, 22.0, 0, "throughout", null);

    static HistoryPoint sample(long t, double v) {
        return new HistoryPoint(t, 1, v, v, v, v, "GOOD");
    }

    /** One sample a minute from {@code from} minute to {@code to} minute (exclusive), all at {@code v}. */
    static List<HistoryPoint> minutes(int from, int to, double v) {
        List<HistoryPoint> out = new ArrayList<>();
        for (int m = from; m < to; m++) {
            out.add(sample(m * MIN, v));
        }
        return out;
    }

    static List<HistoryPoint> join(List<HistoryPoint> a, List<HistoryPoint> b) {
        List<HistoryPoint> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void aBoilOfSixtyMinutesAboveTheLimitIsMet() {
        List<HistoryPoint> h = join(join(minutes(0, 20, 70), minutes(20, 81, 99.5)), minutes(81, 90, 60));
        CcpResult r = CcpEvaluator.evaluate(BOIL, h, 0, 90 * MIN, GAP);
        assertThat(r.status()).isEqualTo(CcpStatus.MET);
        assertThat(r.longestMs()).isEqualTo(61 * MIN); // 20..81: the last 99.5 holds until the 60 at minute 81
        assertThat(r.lowest()).isEqualTo(60.0);
        assertThat(r.highest()).isEqualTo(99.5);
        assertThat(r.samples()).isEqualTo(90);
        assertThat(r.detail()).contains("61 min unbroken", "60 needed");
    }

    @Test
    void oneDipBelowTheLimitBreaksTheStretch() {
        List<HistoryPoint> h = join(join(minutes(0, 40, 99), List.of(sample(40 * MIN, 97.9))), minutes(41, 80, 99));
        CcpResult r = CcpEvaluator.evaluate(BOIL, h, 0, 80 * MIN, GAP);
        assertThat(r.status()).isEqualTo(CcpStatus.NOT_MET);
        assertThat(r.longestMs()).isEqualTo(40 * MIN);
        assertThat(r.detail()).contains("longest unbroken stretch", "40 min", "60 min needed");
    }

    @Test
    void aBadQualitySampleOrAGapBreaksTheStretch() {
        List<HistoryPoint> bad = join(join(minutes(0, 40, 99), List.of(new HistoryPoint(40 * MIN, 1, 99.0, 99.0, 99.0,
                99.0, "STALE"))), minutes(41, 80, 99));
        assertThat(CcpEvaluator.evaluate(BOIL, bad, 0, 80 * MIN, GAP).status()).isEqualTo(CcpStatus.NOT_MET);

        // 30 min of samples, 20 min with none, 30 min more: nobody saw the boil in the gap
        List<HistoryPoint> gap = join(minutes(0, 30, 99), minutes(50, 80, 99));
        CcpResult r = CcpEvaluator.evaluate(BOIL, gap, 0, 80 * MIN, GAP);
        assertThat(r.status()).isEqualTo(CcpStatus.NOT_MET);
        assertThat(r.longestMs()).isEqualTo(34 * MIN); // 0..29 and the last sample held for the longest gap
    }

    @Test
    void aBucketCountsOnlyIfItsMinimumAndMaximumAreWithinLimits() {
        List<HistoryPoint> buckets = new ArrayList<>();
        for (int m = 0; m < 90; m += 10) {
            double min = m == 40 ? 96.0 : 99.0; // one bucket whose average is fine but whose minimum is not
            buckets.add(new HistoryPoint(m * MIN, 600, min, 100.0, 99.5, 99.5, "GOOD"));
        }
        CcpResult r = CcpEvaluator.evaluate(BOIL, buckets, 0, 90 * MIN, 15 * MIN);
        assertThat(r.status()).isEqualTo(CcpStatus.NOT_MET);
        assertThat(r.longestMs()).isEqualTo(40 * MIN);
    }

    @Test
    void withoutSamplesThereIsNoData() {
        CcpResult r = CcpEvaluator.evaluate(BOIL, List.of(sample(200 * MIN, 99)), 0, 90 * MIN, GAP);
        assertThat(r.status()).isEqualTo(CcpStatus.NO_DATA);
        assertThat(r.detail()).contains("no sample of kettle.pv");
    }

    @Test
    void throughoutNeedsEverySampleWithinLimitsAndNoGap() {
        assertThat(CcpEvaluator.evaluate(FERMENT, minutes(0, 120, 18.5), 0, 120 * MIN, GAP).status())
                .isEqualTo(CcpStatus.MET);

        List<HistoryPoint> warm = join(minutes(0, 60, 18.5), join(List.of(sample(60 * MIN, 22.4)), minutes(61, 120, 18.5)));
        CcpResult r = CcpEvaluator.evaluate(FERMENT, warm, 0, 120 * MIN, GAP);
        assertThat(r.status()).isEqualTo(CcpStatus.NOT_MET);
        assertThat(r.detail()).contains("outside [10.0, 22.0]", "22.4");

        CcpResult gap = CcpEvaluator.evaluate(FERMENT, join(minutes(0, 30, 18.5), minutes(60, 120, 18.5)), 0, 120 * MIN, GAP);
        assertThat(gap.status()).isEqualTo(CcpStatus.NOT_MET);
        assertThat(gap.detail()).contains("not monitored throughout");

        CcpResult late = CcpEvaluator.evaluate(FERMENT, minutes(30, 120, 18.5), 0, 120 * MIN, GAP);
        assertThat(late.status()).isEqualTo(CcpStatus.NOT_MET);
        assertThat(late.detail()).contains("first sample 30 min after the start");
    }

    @Test
    void aTextValueIsNeverWithinLimits() {
        HistoryPoint text = new HistoryPoint(0, 1, null, null, null, "auto", "GOOD");
        assertThat(CcpEvaluator.evaluate(FERMENT, List.of(text), 0, MIN, GAP).status()).isEqualTo(CcpStatus.NOT_MET);
    }
}
