// The batches screen (GET /api/batches, GET /api/recipes): the running or held batch first with what
// may be done to it, then the recent batches (each opens its record); the recipes tab lists the
// recipes with approval (QA, signed) and start (operator). Grey; colour only for what is abnormal.

import { COLOURS, SCREEN, alarmShape, button, clippedText, outcomeIcon, text, wrappedText } from './draw-kit.js';
import { MAIN } from './chrome.js';
import { outcomeText } from './alarms.js';

export const BATCH_ROWS = 3;
export const RECIPE_ROWS = 4;
const CARD = { y: MAIN.y + 56, h: 108 };
const LIST_TOP = CARD.y + CARD.h + 6;
const BATCH_ROW_H = 58;
const CARD_SLOTS = { brec: 0, bcomplete: 1, bhold: 2, bresume: 2, babort: 3 };
const RECIPE_ROW_H = 70;

export function batchesOf(poll) {
  return poll.ok && Array.isArray(poll.body?.batches) ? poll.body.batches : [];
}

export function recipesOf(poll) {
  return poll.ok && Array.isArray(poll.body?.recipes) ? poll.body.recipes : [];
}

const ACTIVE = new Set(['RUNNING', 'HELD']);

/** Active batches first (newest first), then the others as the box lists them (newest first). */
export function orderBatches(batches) {
  const active = batches.filter((b) => ACTIVE.has(b.state)).sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
  return [...active, ...batches.filter((b) => !ACTIVE.has(b.state))];
}

export function recipeText(b) {
  return `${b.recipeName || b.recipe} v${b.recipeVersion}`;
}

/** A batch state in words; a release with a deviation says so. */
export function batchStateText(b, i18n) {
  const base = i18n.t(`bstate.${b.state}`);
  return b.state === 'RELEASED' && b.deviation ? `${base} · ${i18n.t('bstate.withDeviation')}` : base;
}

/** What may be done to a batch by whom: the buttons of the card and of the record. */
export function batchActions(state, rights, i18n, { record = false } = {}) {
  const acts = [];
  if (state === 'RUNNING' && rights.operate) acts.push('bcomplete');
  if (state === 'RUNNING' && rights.hold) acts.push('bhold');
  if (state === 'HELD' && rights.hold) acts.push('bresume');
  if (ACTIVE.has(state) && rights.hold) acts.push('babort');
  if (record && state === 'COMPLETE' && rights.release) acts.push('brelease');
  return acts.map((act) => ({ act, label: i18n.t(`btn.${act}`) }));
}

function unavailable(poll, i18n, what) {
  return poll.ok ? '' : i18n.t(`poll.${poll.status}`, { what: i18n.t(what) });
}

function loginText(rights, i18n) {
  return rights.loggedIn ? '' : i18n.t('alarms.loginToAct');
}

/** The batches tab and the recipes tab as data. */
export function buildBatchesView(batchPoll, recipePoll, ui, i18n, { rights, now }) {
  const labels = { batches: i18n.t('btab.batches'), recipes: i18n.t('btab.recipes'), record: i18n.t('btn.record'),
    approve: i18n.t('btn.rapprove'), start: i18n.t('btn.bstart') };
  const base = { tab: ui.tab, labels, loginText: loginText(rights, i18n),
    outcome: ui.outcome ? outcomeText(ui.outcome, i18n) : null };
  if (ui.tab === 'recipes') return { ...base, ...recipesPart(recipePoll, ui.recipePage ?? 0, i18n, rights) };

  const all = orderBatches(batchesOf(batchPoll));
  const first = all[0] && ACTIVE.has(all[0].state) ? all[0] : null;
  const rest = first ? all.slice(1) : all;
  const pages = Math.max(1, Math.ceil(rest.length / BATCH_ROWS));
  const page = Math.min(ui.page ?? 0, pages - 1);
  return {
    ...base,
    available: batchPoll.ok,
    abnormal: !batchPoll.ok && batchPoll.status !== 'waiting',
    unavailableText: unavailable(batchPoll, i18n, 'b.service'),
    active: first ? {
      lot: first.lot,
      state: first.state,
      stateText: batchStateText(first, i18n),
      title: `${i18n.t('b.lot')} ${first.lot}`,
      recipeText: recipeText(first),
      started: i18n.t('b.started', { at: i18n.dateTime(first.startedAt), dur: i18n.roughDuration(Math.max(0, now - first.startedAt)) }),
      zones: i18n.t('b.zones', { zones: (first.zones ?? []).join(', ') || '—' }),
      actions: batchActions(first.state, rights, i18n),
    } : null,
    noActiveText: batchPoll.ok ? i18n.t('b.noActive') : '',
    noActiveHint: batchPoll.ok ? i18n.t(rights.operate ? 'b.startHint' : 'b.startHintOther') : '',
    page,
    pages,
    pageText: i18n.t('alarms.page', { page: page + 1, pages }),
    rows: rest.slice(page * BATCH_ROWS, (page + 1) * BATCH_ROWS).map((b) => ({
      lot: b.lot,
      state: b.state,
      title: `${b.lot} · ${recipeText(b)}`,
      stateText: batchStateText(b, i18n),
      when: [b.state === 'COMPLETE' ? i18n.t('b.awaitingRelease') : null,
        i18n.t('b.startedShort', { at: i18n.dateTime(b.startedAt) }),
        b.endedAt ? i18n.t('b.ended', { at: i18n.dateTime(b.endedAt) }) : null,
        (b.zones ?? []).join(', ')].filter(Boolean).join(' · '),
      waitingRelease: b.state === 'COMPLETE',
    })),
    emptyText: batchPoll.ok && all.length === 0 ? i18n.t('b.none') : '',
  };
}

function recipesPart(poll, uiPage, i18n, rights) {
  const all = [...recipesOf(poll)].sort((a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id)));
  const pages = Math.max(1, Math.ceil(all.length / RECIPE_ROWS));
  const page = Math.min(uiPage, pages - 1);
  return {
    available: poll.ok,
    abnormal: !poll.ok && poll.status !== 'waiting',
    unavailableText: unavailable(poll, i18n, 'r.service'),
    page,
    pages,
    pageText: i18n.t('alarms.page', { page: page + 1, pages }),
    emptyText: poll.ok && all.length === 0 ? i18n.t('r.none') : '',
    rows: all.slice(page * RECIPE_ROWS, (page + 1) * RECIPE_ROWS).map((r) => ({
      id: r.id,
      version: r.version,
      sha256: r.sha256,
      status: r.status,
      title: `${r.name || r.id} · v${r.version}`,
      statusText: i18n.t(`rstatus.${r.status}`),
      detail: [r.id, r.style, `SHA-256 ${String(r.sha256 ?? '').slice(0, 16)}…`, (r.zones ?? []).join(', ')]
        .filter(Boolean).join(' · '),
      approval: r.approval ? i18n.t('r.approvedBy', { name: r.approval.printedName || r.approval.user,
        role: i18n.t(`role.${String(r.approval.role ?? '').toLowerCase()}`), at: i18n.dateTime(r.approval.time) })
        : i18n.t('r.draftHint'),
      problem: r.problem ? i18n.t('r.problem', { problem: r.problem }) : '',
      canApprove: rights.approve && r.status === 'DRAFT' && !r.problem,
      canStart: rights.operate && r.status === 'APPROVED',
    })),
  };
}

export function drawBatches(ctx, v, hits, pressedId) {
  ctx.fillStyle = COLOURS.background;
  ctx.fillRect(0, MAIN.y, SCREEN.w, MAIN.h);
  const state = (id, enabled = true) => (!enabled ? 'disabled' : pressedId === id ? 'pressed' : 'normal');
  const y0 = MAIN.y + 3;
  [['batches', v.labels.batches], ['recipes', v.labels.recipes]].forEach(([id, label], i) => {
    const tid = `btab:${id}`;
    button(ctx, hits, tid, 6 + i * 150, y0, 144, 48, label, {
      state: v.tab === id ? 'selected' : pressedId === tid ? 'pressed' : 'normal', size: 15,
    });
  });
  text(ctx, v.pageText, 590, y0 + 30, { size: 13, colour: COLOURS.label, align: 'right' });
  button(ctx, hits, 'bpage:up', 636, y0, 76, 48, '▲', { state: state('bpage:up', v.page > 0), size: 20 });
  button(ctx, hits, 'bpage:down', 718, y0, 76, 48, '▼', { state: state('bpage:down', v.page < v.pages - 1), size: 20 });

  if (!v.available) {
    // Not running or not answering is abnormal (shape); the first read on its way is not.
    if (v.abnormal) alarmShape(ctx, 'sensor', 20, CARD.y + 16, 26);
    wrappedText(ctx, v.unavailableText, 56, CARD.y + 36, 720, 22, { size: 17, weight: v.abnormal ? 'bold' : 'normal', maxLines: 3 });
  } else if (v.tab === 'recipes') {
    if (v.emptyText) text(ctx, v.emptyText, 20, CARD.y + 36, { size: 16, colour: COLOURS.label });
    v.rows.forEach((r, i) => drawRecipeRow(ctx, hits, r, v.labels, CARD.y + i * RECIPE_ROW_H, state));
  } else {
    drawCard(ctx, hits, v, state);
    if (v.emptyText) text(ctx, v.emptyText, 20, LIST_TOP + 30, { size: 15, colour: COLOURS.label });
    v.rows.forEach((r, i) => drawBatchRow(ctx, hits, r, v.labels, LIST_TOP + i * BATCH_ROW_H, state));
  }
  drawOutcome(ctx, v, MAIN.y + MAIN.h - 10);
}

/** The last act's outcome (refusals with the box's own words), or why nothing can be done. */
export function drawOutcome(ctx, v, y) {
  if (v.outcome) {
    outcomeIcon(ctx, v.outcome.phase, 10, y - 14, 18);
    clippedText(ctx, `${v.outcome.text}${v.outcome.detail ? ` — ${v.outcome.detail}` : ''}`, 36, y, SCREEN.w - 46,
      { size: 13, weight: 'bold' });
  } else if (v.loginText) {
    text(ctx, v.loginText, 10, y, { size: 13, colour: COLOURS.label });
  }
}

function drawCard(ctx, hits, v, state) {
  const { y, h } = CARD;
  ctx.fillStyle = COLOURS.panel;
  ctx.fillRect(4, y, SCREEN.w - 8, h);
  const a = v.active;
  if (!a) {
    text(ctx, v.noActiveText, 20, y + 40, { size: 17, weight: 'bold', colour: COLOURS.label });
    wrappedText(ctx, v.noActiveHint, 20, y + 66, 740, 18, { size: 13, colour: COLOURS.label, maxLines: 2 });
    return;
  }
  // A thick dark edge marks the batch in progress: information, not an alarm, so no colour.
  ctx.fillStyle = COLOURS.text;
  ctx.fillRect(4, y, 6, h);
  text(ctx, a.stateText, 22, y + 24, { size: 15, weight: 'bold', maxWidth: 300 });
  text(ctx, a.title, 22, y + 48, { size: 18, weight: 'bold', maxWidth: 420 });
  text(ctx, a.recipeText, 22, y + 70, { size: 15, maxWidth: 420 });
  clippedText(ctx, `${a.started} · ${a.zones}`, 22, y + 94, 420, { size: 12, colour: COLOURS.label });
  // Buttons: the record, then what this person may do, each in its own place (hold and resume share
  // one): a button never moves under a finger when the batch changes state.
  const buttons = [{ act: 'brec', label: v.labels.record }, ...a.actions];
  buttons.forEach((b) => {
    const id = `${b.act}:${a.lot}`;
    const slot = CARD_SLOTS[b.act];
    button(ctx, hits, id, 450 + (slot % 2) * 172, y + 4 + Math.floor(slot / 2) * 52, 168, 48, b.label, { state: state(id), size: 14 });
  });
}

function drawBatchRow(ctx, hits, r, labels, y, state) {
  const h = BATCH_ROW_H - 4;
  ctx.fillStyle = COLOURS.panel;
  ctx.fillRect(4, y, SCREEN.w - 8, h);
  if (r.state === 'RUNNING' || r.state === 'HELD') {
    ctx.fillStyle = COLOURS.text;
    ctx.fillRect(4, y, 6, h);
  }
  text(ctx, r.title, 20, y + 21, { size: 15, weight: 'bold', maxWidth: 420 });
  text(ctx, r.stateText, 450, y + 21, { size: 13, weight: r.waitingRelease ? 'bold' : 'normal', maxWidth: 200 });
  clippedText(ctx, r.when, 20, y + 43, 620, { size: 12, colour: COLOURS.label });
  const id = `brec:${r.lot}`;
  button(ctx, hits, id, 664, y + 3, 130, h - 6, labels.record, { state: state(id), size: 14 });
}

function drawRecipeRow(ctx, hits, r, labels, y, state) {
  const h = RECIPE_ROW_H - 4;
  ctx.fillStyle = COLOURS.panel;
  ctx.fillRect(4, y, SCREEN.w - 8, h);
  let tx = 16;
  if (r.problem) {
    ctx.strokeStyle = COLOURS.medium;
    ctx.lineWidth = 2;
    ctx.strokeRect(5, y + 1, SCREEN.w - 10, h - 2);
    alarmShape(ctx, 'sensor', 12, y + 6, 20);
    tx = 40;
  }
  text(ctx, r.title, tx, y + 20, { size: 15, weight: 'bold', maxWidth: 360 - tx });
  text(ctx, r.statusText, 370, y + 20, { size: 13, weight: 'bold', maxWidth: 150 });
  clippedText(ctx, r.detail, 16, y + 40, 510, { size: 12, colour: COLOURS.label });
  clippedText(ctx, r.problem || r.approval, 16, y + 58, 510, {
    size: 12, weight: r.problem ? 'bold' : 'normal', colour: r.problem ? COLOURS.text : COLOURS.label,
  });
  // Only what this person may do is offered.
  if (r.canApprove) {
    const id = `rapprove:${r.id}`;
    button(ctx, hits, id, 664, y + 5, 130, h - 10, labels.approve, { state: state(id), size: 14 });
  } else if (r.canStart) {
    const id = `bstart:${r.id}`;
    button(ctx, hits, id, 664, y + 5, 130, h - 10, labels.start, { state: state(id), size: 14 });
  }
}
