// What a person does on the alarm and interlock screens: acknowledge, shelve (signed), reset,
// bypass (signed), the E-stop reset. Each act shows "sent", then the box's answer; the list is read
// again at once so the result is seen without waiting for the next poll.

import { reasonOf, seg } from './api.js';

const SHELVE_MINUTES = [0, 30, 60, 240];
const BYPASS_MINUTES = [15, 30, 60, 120];

export function createActions({ api, session, polls, ui, signature, invalidate }) {
  /** Sends one act; its outcome goes to {@code ui[slot]}. @returns {{ok, reason?, message?}} */
  async function send(slot, act, id, method, path, body, poll) {
    ui[slot] = { act, id, phase: 'sending' };
    invalidate();
    const { status, body: answer, error } = await api.act(method, path, body);
    const ok = status >= 200 && status < 300;
    const reason = ok ? null : status === 0 ? 'network' : reasonOf(status, answer);
    const message = answer && typeof answer.message === 'string' ? answer.message : error ?? '';
    ui[slot] = ok ? { act, id, phase: 'done' } : { act, id, phase: 'refused', reason, message };
    poll.refresh();
    invalidate();
    return ok ? { ok } : { ok, reason, message };
  }

  function signer() {
    const who = session.view();
    return { printedName: who?.printedName ?? '?', role: who?.role ?? '?' };
  }

  function alarmText(id) {
    const alarm = (polls.alarms.body?.alarms ?? []).find((a) => a.id === id);
    return alarm ? `alarm:${id} — ${alarm.message || ''}` : `alarm:${id}`;
  }

  function interlockText(id) {
    const il = (polls.interlocks.body?.interlocks ?? []).find((i) => i.id === id);
    return il ? `interlock:${id} — ${il.text || ''}` : `interlock:${id}`;
  }

  return {
    ackAlarm(id) {
      return send('alarmOutcome', 'ack', id, 'POST', `/api/alarms/${seg(id)}/ack`, {}, polls.alarms);
    },

    shelveAlarm(id) {
      signature.start({
        meaning: 'alarm shelve', target: `alarm:${id}`, targetText: alarmText(id), signer: signer(),
        minutes: SHELVE_MINUTES,
        submit: ({ pin, reason, minutes }) => send('alarmOutcome', 'shelve', id, 'POST',
          `/api/alarms/${seg(id)}/shelve`, { pin, reason, minutes }, polls.alarms),
      });
    },

    unshelveAlarm(id) {
      signature.start({
        meaning: 'alarm unshelve', target: `alarm:${id}`, targetText: alarmText(id), signer: signer(),
        pinRequired: false,
        submit: ({ reason }) => send('alarmOutcome', 'unshelve', id, 'POST', `/api/alarms/${seg(id)}/unshelve`,
          { reason }, polls.alarms),
      });
    },

    resetInterlock(id) {
      return send('ilOutcome', 'ilreset', id, 'POST', `/api/interlocks/${seg(id)}/reset`, {}, polls.interlocks);
    },

    bypassInterlock(id) {
      signature.start({
        meaning: 'interlock bypass', target: `interlock:${id}`, targetText: interlockText(id), signer: signer(),
        minutes: BYPASS_MINUTES,
        submit: ({ pin, reason, minutes }) => send('ilOutcome', 'bypass', id, 'POST',
          `/api/interlocks/${seg(id)}/bypass`, { pin, reason, minutes }, polls.interlocks),
      });
    },

    unbypassInterlock(id) {
      signature.start({
        meaning: 'interlock unbypass', target: `interlock:${id}`, targetText: interlockText(id), signer: signer(),
        pinRequired: false,
        submit: ({ reason }) => send('ilOutcome', 'unbypass', id, 'POST', `/api/interlocks/${seg(id)}/unbypass`,
          { reason }, polls.interlocks),
      });
    },

    resetEstop() {
      return send('ilOutcome', 'estopReset', 'estop', 'POST', '/api/estop/reset', {}, polls.estop)
        .then((r) => { polls.interlocks.refresh(); return r; });
    },
  };
}
