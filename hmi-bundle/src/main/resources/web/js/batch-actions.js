// What people do to recipes and batches (POST /api/recipes/{id}/approve, /api/batches...): start and
// complete (operator), hold/resume/abort with a reason (supervisor), approve and release by QA's
// electronic signature. Each act shows "sent", then the box's answer in words; the lists are read again.
// The buttons follow the rights table below; the box still decides (a refusal is shown, never hidden).

import { reasonOf, seg } from './api.js';

// A copy of the box's rights table (bundles/users RightsTable) for what the batches screen offers.
const RIGHTS = {
  operator: ['operate'],
  supervisor: ['operate', 'hold'],
  engineer: ['operate', 'hold'],
  admin: ['operate', 'hold'],
  quality: ['approve', 'release'],
};

/** What the logged-in person may do here: nothing without a session or before the one-time PIN is replaced. */
export function batchRights(who) {
  const held = who && !who.mustChangePin ? RIGHTS[String(who.role).toLowerCase()] ?? [] : [];
  return { operate: held.includes('operate'), hold: held.includes('hold'), approve: held.includes('approve'),
    release: held.includes('release'), loggedIn: Boolean(who) };
}

const REASON_BY_ERROR = {
  conflict: 'conflict',
  bad_request: 'bad_request',
  not_found: 'bunknown',
  unknown_batch: 'bunknown',
  unknown_recipe: 'bunknown',
  unavailable: 'bunavailable',
  no_batches: 'bunavailable',
  no_users: 'bunavailable',
  forbidden: 'role',
  must_change_pin: 'role',
  bad_credentials: 'pin',
  signature_refused: 'pin',
  locked: 'locked',
  unauthorized: 'session',
};

/** Why the box refused a recipe or batch act (its words come with it as the message). */
export function batchReason(status, body) {
  if (status === 0) return 'network';
  const error = body && typeof body.error === 'string' ? body.error.toLowerCase() : '';
  if (REASON_BY_ERROR[error]) return REASON_BY_ERROR[error];
  if (status === 409) return 'conflict';
  if (status === 503) return 'bunavailable';
  if (status === 404) return 'bunknown';
  return reasonOf(status, body);
}

/** CCPs of a record that are not MET: a release then needs a deviation. */
export function failingCcps(record) {
  return (record?.ccp ?? []).filter((c) => c.status !== 'MET');
}

export function createBatchActions({ api, session, polls, ui, signature, invalidate, i18n }) {
  async function send(act, id, method, path, body, after = () => {}) {
    ui.batchOutcome = { act, id, phase: 'sending' };
    invalidate();
    const { status, body: answer, error } = await api.act(method, path, body);
    const ok = status >= 200 && status < 300;
    const reason = ok ? null : batchReason(status, answer);
    const message = answer && typeof answer.message === 'string' ? answer.message : error ?? '';
    ui.batchOutcome = ok ? { act, id: after(answer) ?? id, phase: 'done' } : { act, id, phase: 'refused', reason, message };
    polls.batches.refresh();
    polls.recipes.refresh();
    if (polls.record) polls.record.refresh();
    invalidate();
    return ok ? { ok } : { ok, reason, message, answer };
  }

  function signer() {
    const who = session.view();
    return { printedName: who?.printedName ?? '?', role: who?.role ?? '?' };
  }

  function reasonOnly(meaning, act, lot, record) {
    signature.start({
      meaning, target: `batch:${lot}`, targetText: batchText(lot, record), signer: signer(), pinRequired: false,
      submit: ({ reason }) => send(act, lot, 'POST', `/api/batches/${seg(lot)}/${act.slice(1)}`, { reason }),
    });
  }

  function batchText(lot, record) {
    const r = record?.recipe;
    return r ? `batch:${lot} — ${r.name} v${r.version}` : `batch:${lot}`;
  }

  function deviationField(failing) {
    const list = failing.map((c) => `${c.id} ${i18n.t(`ccp.${c.status}`)}`).join(', ');
    return { key: 'deviation', label: i18n.t('brel.deviation', { list }), hint: i18n.t('brel.deviationHint') };
  }

  return {
    /** Starts a batch of an approved recipe; the box gives the next lot number of the day. */
    start(recipeId) {
      return send('bstart', recipeId, 'POST', '/api/batches', { recipe: recipeId },
        (answer) => (answer?.lot ? `${recipeId} → ${answer.lot}` : recipeId));
    },

    complete(lot) {
      return send('bcomplete', lot, 'POST', `/api/batches/${seg(lot)}/complete`, {});
    },

    hold(lot, record) { reasonOnly('batch hold', 'bhold', lot, record); },
    resume(lot, record) { reasonOnly('batch resume', 'bresume', lot, record); },
    abort(lot, record) { reasonOnly('batch abort', 'babort', lot, record); },

    /** QA's release of a COMPLETE batch, signed; with a CCP not met or without data the deviation is asked for. */
    release(lot, record) {
      const failing = failingCcps(record);
      const ccps = (record?.ccp ?? []).map((c) => `${c.id} ${i18n.t(`ccp.${c.status}`)}`).join(' · ');
      signature.start({
        meaning: 'batch release', target: `batch:${lot}`, targetText: batchText(lot, record), signer: signer(),
        detailText: ccps ? i18n.t('brel.ccps', { list: ccps }) : i18n.t('brel.noCcps'),
        extra: failing.length ? deviationField(failing) : null,
        submit: async ({ pin, reason, extra }) => {
          const body = extra ? { pin, reason, deviation: extra } : { pin, reason };
          const result = await send('brelease', lot, 'POST', `/api/batches/${seg(lot)}/release`, body);
          if (result.ok) return result;
          // The CCPs are evaluated again at release: follow what the box found.
          const message = result.message ?? '';
          if (result.reason === 'conflict' && /'deviation'/.test(message) && !extra) {
            return { ...result, extra: deviationField([{ id: 'CCP', status: 'NOT_MET' }]) };
          }
          if (result.reason === 'bad_request' && /no deviation to accept/.test(message)) return { ...result, extra: null };
          return result;
        },
      });
    },

    /** QA approves a DRAFT recipe: the signature names its version and the exact content (sha256). */
    approve(recipe) {
      const target = `recipe:${recipe.id}@${recipe.version}#${recipe.sha256}`;
      signature.start({
        meaning: 'recipe approval', target,
        targetText: i18n.t('rapp.target', { id: recipe.id, name: recipe.name, version: recipe.version }),
        detailText: i18n.t('rapp.hash', { sha: recipe.sha256 }),
        signer: signer(),
        submit: ({ pin, reason }) => send('rapprove', recipe.id, 'POST', `/api/recipes/${seg(recipe.id)}/approve`,
          { pin, reason, sha256: recipe.sha256 }),
      });
    },
  };
}
