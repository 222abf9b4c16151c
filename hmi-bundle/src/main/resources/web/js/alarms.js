// Alarms (ISA-18.2) from GET /api/alarms: the banner every screen shows (highest-priority
// unacknowledged first, counts per priority) and the alarm list with acknowledge and shelve.

import { COLOURS, SCREEN, button, outcomeIcon, text, wrappedText } from './draw-kit.js';
import { MAIN, priorityBadge } from './chrome.js';

export const PRIORITIES = ['critical', 'high', 'medium', 'low'];
const RANK = { critical: 0, high: 1, medium: 2, low: 3 };
const ROW_H = 54;
const ROWS_TOP = MAIN.y + 54;
export const ROWS_PER_PAGE = 5;

function rank(a) {
  return RANK[a.priority] ?? 9;
}

/** Shelved, suppressed or out of service: still followed, never annunciated. */
function overlaid(a) {
  return Boolean(a.shelf) || Boolean(a.suppressed) || Boolean(a.outOfService);
}

/** Annunciated and waiting for an operator: these drive the banner and the horn. */
export function unacknowledged(alarms) {
  return alarms.filter((a) => !a.acknowledged && !overlaid(a))
    .sort((a, b) => rank(a) - rank(b) || (b.lastChange ?? 0) - (a.lastChange ?? 0));
}

/** What the list shows: every alarm not at rest, unacknowledged first, then by priority, newest first. */
export function currentAlarms(alarms) {
  return alarms.filter((a) => a.state !== 'NORMAL' || overlaid(a))
    .sort((a, b) => Number(a.acknowledged) - Number(b.acknowledged) || rank(a) - rank(b)
      || (b.lastChange ?? 0) - (a.lastChange ?? 0));
}

function alarmsOf(poll) {
  return poll.ok && Array.isArray(poll.body?.alarms) ? poll.body.alarms : [];
}

/** A zone's alarms that are not at rest, for its faceplate, most urgent first. */
export function zoneAlarmEntries(poll, zoneId, i18n) {
  return currentAlarms(alarmsOf(poll)).filter((a) => a.zone === zoneId && !overlaid(a)).map((a) => ({
    kind: 'alarm', priority: a.priority, code: a.id, message: a.message || '',
    title: `${i18n.t(`prio.${a.priority}`)}${a.acknowledged ? '' : ' !'}`,
  }));
}

/** The banner's part of the top bar. */
export function buildAlarmBanner(poll, i18n) {
  const counts = { critical: 0, high: 0, medium: 0, low: 0 };
  const waiting = unacknowledged(alarmsOf(poll));
  for (const a of waiting) if (a.priority in counts) counts[a.priority]++;
  const top = waiting[0];
  const active = alarmsOf(poll).filter((a) => a.active).length;
  let quietText = active ? i18n.t('alarms.activeAcked', { n: active }) : i18n.t('alarms.none');
  if (!poll.ok) quietText = poll.status === 'waiting' ? '' : i18n.t('alarms.unavailable');
  return {
    available: poll.ok,
    status: poll.status,
    top: top ? {
      id: top.id, priority: top.priority, priorityText: i18n.t(`prio.${top.priority}`),
      zone: top.zone || top.id, text: top.message || top.id, active: top.active,
    } : null,
    counts,
    unacknowledged: waiting.length,
    hornPriority: waiting.find((a) => a.active)?.priority ?? null,
    quietText,
  };
}

/** The value that raised the alarm, in the language's notation when it is a number. */
function localValue(raw, i18n) {
  if (raw === null || raw === undefined) return '';
  const match = /^-?\d+(?:\.(\d+))?$/.exec(String(raw));
  return match ? i18n.number(Number(raw), match[1] ? match[1].length : 0) : String(raw);
}

/** The alarm list screen, as data. */
export function buildAlarmList(poll, ui, i18n, canAct) {
  const all = currentAlarms(alarmsOf(poll));
  const pages = Math.max(1, Math.ceil(all.length / ROWS_PER_PAGE));
  const page = Math.min(ui.page, pages - 1);
  const rows = all.slice(page * ROWS_PER_PAGE, (page + 1) * ROWS_PER_PAGE).map((a) => ({
    id: a.id,
    priority: a.priority,
    priorityText: i18n.t(`prio.${a.priority}`),
    title: `${a.zone || '—'} · ${a.id}`,
    message: a.message || a.id,
    state: a.state,
    stateText: i18n.t(`astate.${a.state}`),
    acknowledged: a.acknowledged,
    value: localValue(a.value, i18n),
    since: a.activeSince ? i18n.time(a.activeSince) : '',
    overlay: a.shelf ? i18n.t('alarms.shelvedBy', { user: a.shelf.user, until: a.shelf.oneShot ? i18n.t('alarms.oneShot') : i18n.time(a.shelf.until) })
      : a.suppressed ? i18n.t('alarms.suppressed') : a.outOfService ? i18n.t('alarms.outOfService') : '',
    shelved: Boolean(a.shelf),
    canAck: canAct && !a.acknowledged,
    canShelve: canAct && !a.suppressed && !a.outOfService,
  }));
  return {
    tab: ui.tab,
    available: poll.ok,
    unavailableText: poll.ok ? '' : i18n.t(`poll.${poll.status}`, { what: i18n.t('alarms.service') }),
    total: all.length,
    page,
    pages,
    pageText: i18n.t('alarms.page', { page: page + 1, pages }),
    rows,
    emptyText: i18n.t('alarms.empty'),
    loginText: canAct ? '' : i18n.t('alarms.loginToAct'),
    outcome: ui.outcome ? outcomeText(ui.outcome, i18n) : null,
    labels: {
      list: i18n.t('alarms.tabList'), metrics: i18n.t('alarms.tabMetrics'), ack: i18n.t('alarms.ack'),
      shelve: i18n.t('alarms.shelve'), unshelve: i18n.t('alarms.unshelve'),
    },
  };
}

/** The result of the last act on an alarm, in words. */
export function outcomeText(o, i18n) {
  const what = i18n.t(`act.${o.act}`, { id: o.id });
  if (o.phase === 'sending') return { phase: 'sending', text: i18n.t('act.sending', { what }) };
  if (o.phase === 'done') return { phase: 'done', text: i18n.t('act.done', { what }) };
  return { phase: 'refused', text: i18n.t('act.refused', { what, reason: i18n.t(`reason.${o.reason}`) }), detail: o.message ?? '' };
}

export function drawTabs(ctx, hits, view, pressedId) {
  const y = MAIN.y + 3;
  [['list', view.labels.list], ['metrics', view.labels.metrics]].forEach(([id, label], i) => {
    const tid = `atab:${id}`;
    button(ctx, hits, tid, 6 + i * 150, y, 144, 48, label, {
      state: view.tab === id ? 'selected' : pressedId === tid ? 'pressed' : 'normal', size: 15,
    });
  });
}

export function drawAlarmList(ctx, view, hits, pressedId) {
  ctx.fillStyle = COLOURS.background;
  ctx.fillRect(0, MAIN.y, SCREEN.w, MAIN.h);
  drawTabs(ctx, hits, view, pressedId);
  const state = (id, enabled = true) => (!enabled ? 'disabled' : pressedId === id ? 'pressed' : 'normal');
  // Paging, when there is more than one page.
  text(ctx, view.pageText, 590, MAIN.y + 32, { size: 13, colour: COLOURS.label, align: 'right' });
  button(ctx, hits, 'apage:up', 636, MAIN.y + 3, 76, 48, '▲', { state: state('apage:up', view.page > 0), size: 20 });
  button(ctx, hits, 'apage:down', 718, MAIN.y + 3, 76, 48, '▼', { state: state('apage:down', view.page < view.pages - 1), size: 20 });

  if (!view.available) {
    wrappedText(ctx, view.unavailableText, 20, ROWS_TOP + 40, 760, 22, { size: 17, weight: 'bold' });
    return;
  }
  if (view.rows.length === 0) text(ctx, view.emptyText, 20, ROWS_TOP + 40, { size: 17, colour: COLOURS.label });
  view.rows.forEach((r, i) => drawRow(ctx, hits, r, view.labels, ROWS_TOP + i * ROW_H, state));

  // The last act's outcome, or why nothing can be done.
  const y = MAIN.y + MAIN.h - 14;
  if (view.outcome) {
    outcomeIcon(ctx, view.outcome.phase, 10, y - 14, 18);
    text(ctx, `${view.outcome.text}${view.outcome.detail ? ` — ${view.outcome.detail}` : ''}`, 36, y,
      { size: 13, weight: 'bold', maxWidth: SCREEN.w - 46 });
  } else if (view.loginText) {
    text(ctx, view.loginText, 10, y, { size: 13, colour: COLOURS.label });
  }
}

function drawRow(ctx, hits, r, labels, y, state) {
  const h = ROW_H - 4;
  ctx.fillStyle = COLOURS.panel;
  ctx.fillRect(4, y, SCREEN.w - 8, h);
  // An unacknowledged alarm is framed in its priority colour, with a thick left edge.
  if (!r.acknowledged) {
    ctx.fillStyle = COLOURS[r.priority] ?? COLOURS.medium;
    ctx.fillRect(4, y, 6, h);
    ctx.strokeStyle = COLOURS[r.priority] ?? COLOURS.medium;
    ctx.lineWidth = 2;
    ctx.strokeRect(5, y + 1, SCREEN.w - 10, h - 2);
  }
  priorityBadge(ctx, r.priority, 22, y + 5, 20);
  text(ctx, r.priorityText, 32, y + 40, { size: 9, weight: 'bold', align: 'center', maxWidth: 42 });
  text(ctx, r.title, 60, y + 17, { size: 11, colour: COLOURS.label, maxWidth: 296 });
  text(ctx, r.message, 60, y + 37, { size: 14, weight: 'bold', maxWidth: 296 });
  text(ctx, r.stateText, 362, y + 17, { size: 11, weight: r.acknowledged ? 'normal' : 'bold', maxWidth: 220 });
  text(ctx, r.overlay || [r.value, r.since].filter(Boolean).join(' · '), 362, y + 37,
    { size: 12, colour: COLOURS.label, maxWidth: 220 });
  button(ctx, hits, `ack:${r.id}`, 588, y, 100, h, labels.ack, {
    state: state(`ack:${r.id}`, r.canAck), size: 13,
  });
  const shelfId = r.shelved ? `unshelve:${r.id}` : `shelve:${r.id}`;
  button(ctx, hits, shelfId, 694, y, 100, h, r.shelved ? labels.unshelve : labels.shelve, {
    state: state(shelfId, r.canShelve), size: 13,
  });
}
