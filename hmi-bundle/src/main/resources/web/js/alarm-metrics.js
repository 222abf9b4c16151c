// The alarm-system performance view (ISA-18.2) from GET /api/alarms/metrics: rate per 10 min,
// floods, chattering and stale alarms, and the top 10 with their share.

import { COLOURS, SCREEN, alarmShape, text, wrappedText } from './draw-kit.js';
import { MAIN } from './chrome.js';
import { drawTabs } from './alarms.js';

// ISA-18.2's guidance: about one alarm per 10 minutes is manageable, two at most.
const RATE_ACCEPTABLE = 1;
const RATE_MANAGEABLE = 2;

export function buildMetricsView(poll, i18n, labels) {
  const m = poll.ok ? poll.body : null;
  if (!m) {
    return { tab: 'metrics', labels, available: false,
      unavailableText: i18n.t(`poll.${poll.status}`, { what: i18n.t('alarms.metricsService') }) };
  }
  const avg = Number(m.averagePer10Min ?? 0);
  const top = (m.top10 ?? []).map((c) => ({ alarm: c.alarm, n: c.activations }));
  const max = Math.max(1, ...top.map((c) => c.n));
  return {
    tab: 'metrics',
    labels,
    available: true,
    figures: [
      { label: i18n.t('met.window'), value: i18n.duration(m.windowMs ?? 0) },
      { label: i18n.t('met.activations'), value: i18n.count(m.activations ?? 0) },
      { label: i18n.t('met.last10'), value: i18n.count(m.last10Min ?? 0), abnormal: Boolean(m.flooding) },
      { label: i18n.t('met.average'), value: i18n.number(avg, 2), abnormal: avg > RATE_MANAGEABLE },
      { label: i18n.t('met.floods', { n: m.floodThreshold ?? 10 }), value: i18n.count(m.floodPeriods ?? 0),
        abnormal: (m.floodPeriods ?? 0) > 0 },
      { label: i18n.t('met.top10Share'), value: `${i18n.number((m.top10Share ?? 0) * 100, 0)} %` },
    ],
    rating: i18n.t(avg <= RATE_ACCEPTABLE ? 'met.rateOk' : avg <= RATE_MANAGEABLE ? 'met.rateManageable' : 'met.rateHigh'),
    flooding: Boolean(m.flooding),
    floodingText: m.flooding ? i18n.t('met.flooding') : '',
    chattering: i18n.t('met.chattering', { list: (m.chattering ?? []).join(', ') || '—' }),
    stale: i18n.t('met.stale', { list: (m.stale ?? []).join(', ') || '—' }),
    topTitle: i18n.t('met.top10'),
    top: top.map((c) => ({ ...c, share: c.n / max })),
    noneText: i18n.t('met.noActivations'),
  };
}

export function drawMetrics(ctx, view, hits, pressedId) {
  ctx.fillStyle = COLOURS.background;
  ctx.fillRect(0, MAIN.y, SCREEN.w, MAIN.h);
  drawTabs(ctx, hits, view, pressedId);
  const top = MAIN.y + 76;
  if (!view.available) {
    wrappedText(ctx, view.unavailableText, 20, top + 10, 760, 22, { size: 17, weight: 'bold' });
    return;
  }
  let y = top;
  for (const f of view.figures) {
    if (f.abnormal) alarmShape(ctx, 'sensor', 12, y - 13, 16);
    text(ctx, f.label, 34, y, { size: 13, colour: COLOURS.label, maxWidth: 250 });
    text(ctx, f.value, 370, y, { size: 16, weight: 'bold', align: 'right' });
    y += 28;
  }
  text(ctx, view.rating, 12, y + 2, { size: 13, weight: 'bold', maxWidth: 370 });
  if (view.flooding) text(ctx, view.floodingText, 12, y + 22, { size: 13, weight: 'bold', maxWidth: 370 });
  wrappedText(ctx, view.chattering, 12, y + 44, 370, 16, { size: 12, maxLines: 2 });
  wrappedText(ctx, view.stale, 12, y + 78, 370, 16, { size: 12, maxLines: 2 });

  // Top 10 as bars: grey, since a frequent alarm is information, not an alarm itself.
  const x = 400;
  text(ctx, view.topTitle, x, top - 8, { size: 14, weight: 'bold' });
  if (view.top.length === 0) text(ctx, view.noneText, x, top + 20, { size: 13, colour: COLOURS.label });
  view.top.slice(0, 10).forEach((c, i) => {
    const by = top + 6 + i * 29;
    text(ctx, c.alarm, x, by + 10, { size: 11, maxWidth: 170 });
    ctx.fillStyle = COLOURS.pipeFlow;
    ctx.fillRect(x + 176, by, Math.max(2, 170 * c.share), 14);
    text(ctx, String(c.n), SCREEN.w - 10, by + 12, { size: 12, weight: 'bold', align: 'right' });
  });
}
