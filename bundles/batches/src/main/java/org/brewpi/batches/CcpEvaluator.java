package org.brewpi.batches;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.brewpi.api.batch.CcpResult;
import org.brewpi.api.batch.CcpStatus;
import org.brewpi.api.batch.CriticalParameter;
import org.brewpi.api.history.Historian;
import org.brewpi.api.history.HistoryPoint;

/**
 * A CCP judged from a tag's recorded history over a batch's time window. Only GOOD samples count as seen: a bad,
 * stale or offline one breaks a stretch within limits. A history bucket (many samples) is within limits only if
 * its minimum and its maximum are. A sample's value holds until the next one, for at most {@code maxGapMs}: past
 * that nobody saw it.
 * <ul>
 * <li>{@code hold}: MET when some unbroken stretch within limits lasts at least {@code minutes}</li>
 * <li>{@code throughout}: MET when every sample of the window is GOOD and within limits, with no gap over
 * {@code maxGapMs}</li>
 * <li>NO_DATA: no sample of the tag in the window at all</li>
 * </ul>
 */
final class CcpEvaluator {

    private CcpEvaluator() {
    }

    /** Every CCP of a recipe over a window, each from the historian ({@code null}: not running, NO_DATA). */
    static List<CcpResult> evaluate(List<CriticalParameter> ccps, Historian historian, long from, long to, int points,
            long maxGapMs) {
        List<CcpResult> results = new ArrayList<>();
        for (CriticalParameter ccp : ccps) {
            if (historian == null) {
                results.add(result(ccp, CcpStatus.NO_DATA, 0, null, null, 0, "the historian is not running"));
                continue;
            }
            try {
                results.add(evaluate(ccp, historian.history(ccp.zone(), ccp.tag(), from, to, points), from, to, maxGapMs));
            } catch (RuntimeException e) {
                results.add(result(ccp, CcpStatus.NO_DATA, 0, null, null, 0, "history unavailable: " + e.getMessage()));
            }
        }
        return results;
    }

    static CcpResult evaluate(CriticalParameter ccp, List<HistoryPoint> history, long from, long to, long maxGapMs) {
        List<HistoryPoint> points = history.stream().filter(p -> p.time() >= from && p.time() <= to)
                .sorted(Comparator.comparingLong(HistoryPoint::time)).toList();
        if (points.isEmpty()) {
            return result(ccp, CcpStatus.NO_DATA, 0, null, null, 0,
                    "no sample of " + ccp.zone() + "." + ccp.tag() + " between " + Instant.ofEpochMilli(from) + " and "
                            + Instant.ofEpochMilli(to));
        }
        Double lowest = null;
        Double highest = null;
        for (HistoryPoint p : points) {
            if (p.min() != null) {
                lowest = lowest == null ? p.min() : Math.min(lowest, p.min());
            }
            if (p.max() != null) {
                highest = highest == null ? p.max() : Math.max(highest, p.max());
            }
        }
        long longest = 0;
        long runStart = -1;
        HistoryPoint firstBad = null;
        String gap = null;
        for (int i = 0; i < points.size(); i++) {
            HistoryPoint p = points.get(i);
            boolean in = within(ccp, p);
            if (!in && firstBad == null) {
                firstBad = p;
            }
            if (in && runStart < 0) {
                runStart = p.time();
            }
            long next = i + 1 < points.size() ? points.get(i + 1).time() : to;
            boolean gapped = next - p.time() > maxGapMs;
            if (gapped && gap == null && (i + 1 < points.size() || p.time() < to)) {
                gap = "no sample for " + (next - p.time()) / 60_000 + " min after " + Instant.ofEpochMilli(p.time());
            }
            if (in) {
                // the value holds until the next sample, for at most the longest gap
                long end = Math.min(next, p.time() + maxGapMs);
                longest = Math.max(longest, end - runStart);
                if (gapped) {
                    runStart = -1;
                }
            } else {
                runStart = -1;
            }
        }
        String limits = limits(ccp);
        if (CriticalParameter.THROUGHOUT.equals(ccp.mode())) {
            if (firstBad != null) {
                return result(ccp, CcpStatus.NOT_MET, longest, lowest, highest, points.size(),
                        "outside " + limits + " at " + Instant.ofEpochMilli(firstBad.time()) + " (" + describe(firstBad) + ")");
            }
            if (gap != null) {
                return result(ccp, CcpStatus.NOT_MET, longest, lowest, highest, points.size(), "not monitored throughout: " + gap);
            }
            if (points.get(0).time() - from > maxGapMs) {
                return result(ccp, CcpStatus.NOT_MET, longest, lowest, highest, points.size(),
                        "not monitored throughout: first sample " + (points.get(0).time() - from) / 60_000
                                + " min after the start");
            }
            return result(ccp, CcpStatus.MET, longest, lowest, highest, points.size(), "every sample within " + limits);
        }
        long needed = ccp.minutes() * 60_000L;
        if (longest >= needed) {
            return result(ccp, CcpStatus.MET, longest, lowest, highest, points.size(),
                    "within " + limits + " for " + longest / 60_000 + " min unbroken (" + ccp.minutes() + " needed)");
        }
        return result(ccp, CcpStatus.NOT_MET, longest, lowest, highest, points.size(),
                "longest unbroken stretch within " + limits + " was " + longest / 60_000 + " min " + (longest % 60_000) / 1000
                        + " s; " + ccp.minutes() + " min needed");
    }

    private static boolean within(CriticalParameter ccp, HistoryPoint p) {
        if (!"GOOD".equals(p.quality()) || p.min() == null || p.max() == null) {
            return false;
        }
        return (ccp.min() == null || p.min() >= ccp.min()) && (ccp.max() == null || p.max() <= ccp.max());
    }

    static String limits(CriticalParameter ccp) {
        if (ccp.min() != null && ccp.max() != null) {
            return "[" + ccp.min() + ", " + ccp.max() + "]";
        }
        return ccp.min() != null ? "≥ " + ccp.min() : "≤ " + ccp.max();
    }

    private static String describe(HistoryPoint p) {
        if (!"GOOD".equals(p.quality())) {
            return "quality " + p.quality();
        }
        if (p.min() == null) {
            return "not a number: " + p.last();
        }
        return p.count() > 1 ? p.min() + " to " + p.max() : String.valueOf(p.min());
    }

    private static CcpResult result(CriticalParameter ccp, CcpStatus status, long longest, Double lowest,
            Double highest, int samples, String detail) {
        return new CcpResult(ccp.id(), ccp.zone(), ccp.tag(), status, longest, lowest, highest, samples, detail);
    }
}
