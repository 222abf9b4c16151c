// The batches screen's part of main.js: its polls of the open record, what it draws, what its touches
// and confirmations do. Kept apart so main.js stays the wiring of the whole panel.

import { Poller } from './poller.js';
import { batchesOf, buildBatchesView, drawBatches, recipesOf } from './batches-screen.js';
import { buildRecordView, drawRecord } from './batch-record.js';
import { batchRights, createBatchActions } from './batch-actions.js';

/** Confirmations of this screen (drawn by main.js like the others). */
export const BATCH_CONFIRMS = ['bstart', 'bcomplete'];
/** The polls of this screen, running only while it is shown. */
export const BATCH_POLLS = ['batches', 'recipes'];

export function createBatchScreen({ api, session, polls, ui, signature, invalidate, i18n, read }) {
  const acts = createBatchActions({ api, session, polls, ui, signature, invalidate, i18n });

  function openRecord(lot) {
    closeRecord();
    ui.record = { lot, tab: 'ccp', page: 0 };
    polls.record = new Poller({ read, path: `/api/batches/${encodeURIComponent(lot)}`, everyMs: 5000, onChange: invalidate });
    polls.record.start();
  }

  function closeRecord() {
    if (polls.record) polls.record.stop();
    polls.record = null;
    ui.record = null;
  }

  /** The open record of the lot (for the signature dialog's texts), else what the list knows of it. */
  function recordOf(lot) {
    const body = polls.record?.body;
    if (body && body.lot === lot) return body;
    const s = batchesOf(polls.batches).find((b) => b.lot === lot);
    return s ? { lot, recipe: { id: s.recipe, name: s.recipeName, version: s.recipeVersion }, ccp: [] } : null;
  }

  function page(key, arg, holder = ui) {
    holder[key] = Math.max(0, holder[key] + (arg === 'up' ? -1 : 1));
  }

  let shown = false;

  return {
    closeRecord,

    /** Starts the screen's polls when it is shown, stops them when it is left. */
    visible(now) {
      if (now === shown) return;
      shown = now;
      BATCH_POLLS.forEach((name) => (now ? polls[name].refresh() : polls[name].stop()));
    },

    /** Draws the list (or the open record) and puts what it shows into {@code state}. */
    render(ctx, hits, state, now) {
      const rights = batchRights(session.view());
      if (ui.record && polls.record) {
        state.batch = buildRecordView(polls.record, { ...ui.record, outcome: ui.batchOutcome }, i18n, { rights });
        ui.record.page = state.batch.page;
        drawRecord(ctx, state.batch, hits, ui.pressed);
        return;
      }
      state.batches = buildBatchesView(polls.batches, polls.recipes, { tab: ui.batchTab, page: ui.batchPage,
        recipePage: ui.recipePage, outcome: ui.batchOutcome }, i18n, { rights, now });
      if (ui.batchTab === 'recipes') ui.recipePage = state.batches.page; else ui.batchPage = state.batches.page;
      drawBatches(ctx, state.batches, hits, ui.pressed);
    },

    /** A touch of this screen; false when the target is not its own. */
    activate(kind, arg) {
      switch (kind) {
        case 'btab':
          ui.batchTab = arg;
          (arg === 'recipes' ? polls.recipes : polls.batches).refresh();
          return true;
        case 'bpage': page(ui.batchTab === 'recipes' ? 'recipePage' : 'batchPage', arg); return true;
        case 'brec': openRecord(arg); return true;
        case 'bback': closeRecord(); polls.batches.refresh(); return true;
        case 'rtab': if (ui.record) { ui.record.tab = arg; ui.record.page = 0; } return true;
        case 'rpage': if (ui.record) page('page', arg, ui.record); return true;
        case 'bstart': case 'bcomplete': ui.confirm = { kind, value: arg }; return true;
        case 'bhold': acts.hold(arg, recordOf(arg)); return true;
        case 'bresume': acts.resume(arg, recordOf(arg)); return true;
        case 'babort': acts.abort(arg, recordOf(arg)); return true;
        case 'brelease': acts.release(arg, recordOf(arg)); return true;
        case 'rapprove': {
          const recipe = recipesOf(polls.recipes).find((r) => r.id === arg);
          if (recipe) acts.approve(recipe);
          return true;
        }
        default: return false;
      }
    },

    /** The words of a confirmation of this screen. */
    confirmView(confirm, base) {
      if (confirm.kind === 'bstart') {
        const r = recipesOf(polls.recipes).find((x) => x.id === confirm.value) ?? { name: confirm.value, version: '?', zones: [] };
        return { ...base, text: i18n.t('confirm.bstart', { name: r.name || r.id, version: r.version }),
          hint: i18n.t('confirm.bstartHint', { zones: (r.zones ?? []).join(', ') || '—' }), yes: i18n.t('confirm.yes') };
      }
      return { ...base, text: i18n.t('confirm.bcomplete', { lot: confirm.value }), hint: i18n.t('confirm.bcompleteHint'),
        yes: i18n.t('confirm.yes') };
    },

    /** Does what was confirmed; returns the promise of the act. */
    confirmed(confirm) {
      if (confirm.kind === 'bstart') return acts.start(confirm.value).then((r) => { if (r.ok) ui.batchTab = 'batches'; });
      return acts.complete(confirm.value);
    },
  };
}
