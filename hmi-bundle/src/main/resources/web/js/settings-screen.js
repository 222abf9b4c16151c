// The Settings screen (engineers and administrators): the box's configurations from GET /api/config,
// one value changed at a time with an electronic signature (meaning "configuration change", target
// config:<pid>) through PUT /api/config/<pid>. Secrets are shown masked and cannot be touched; the
// box decides what may change (a .cfg file in conf/), this screen only lists what it allows.

import { COLOURS, SCREEN, button, outcomeIcon, text } from './draw-kit.js';
import { MAIN } from './chrome.js';
import { REASON_CHARS, TextField, drawField, drawLetterKeyboard } from './keyboard.js';
import { reasonOf, seg } from './api.js';

export const CONFIGURE_ROLES = ['engineer', 'admin'];
const ROWS = 5;
const ROW_H = 52; // 48 px targets and a gap
const MASK = '****';
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** What kind of value the box holds: a .cfg file holds text, so the current text says. */
export function kindOf(value) {
  const s = String(value ?? '').trim();
  if (/^(true|false)$/i.test(s)) return 'bool';
  if (NUMBER.test(s)) return 'number';
  return 'text';
}

export class SettingsScreen {
  constructor({ api, signature, session, invalidate }) {
    this.api = api;
    this.signature = signature;
    this.session = session;
    this.invalidate = invalidate;
    this.configs = null;   // the editable configurations, once read
    this.status = 'idle';  // idle | loading | ok | error
    this.error = null;
    this.page = 0;
    this.propPage = 0;
    this.selected = null;  // pid
    this.edit = null;      // {pid, key, kind, old, field, bool, error}
    this.outcome = null;   // {phase: 'done'|'refused', key, value, reason, message}
  }

  get allowed() {
    return CONFIGURE_ROLES.includes(this.session.view()?.role);
  }

  /** Reads the configurations with the session's token (reading needs a login). */
  async load() {
    this.status = 'loading';
    this.invalidate();
    const { status, body } = await this.api.act('GET', '/api/config');
    if (status === 200 && Array.isArray(body?.configurations)) {
      this.configs = body.configurations.filter((c) => c.editable);
      this.status = 'ok';
      if (!this.configs.some((c) => c.pid === this.selected)) this.selected = this.configs[0]?.pid ?? null;
    } else {
      this.status = 'error';
      this.error = status === 0 ? 'network' : reasonOf(status, body);
    }
    this.invalidate();
  }

  config() {
    return this.configs?.find((c) => c.pid === this.selected) ?? null;
  }

  /** Touch targets of the screen start with "set:". */
  activate(id, i18n) {
    const [, what, ...rest] = id.split(':');
    const arg = rest.join(':');
    if (what === 'cfg') { this.selected = arg; this.propPage = 0; this.outcome = null; }
    else if (what === 'page') this.page = Math.max(0, this.page + (arg === 'up' ? -1 : 1));
    else if (what === 'ppage') this.propPage = Math.max(0, this.propPage + (arg === 'up' ? -1 : 1));
    else if (what === 'prop') this.#startEdit(arg);
    else if (what === 'key' && this.edit) { this.edit.error = null; this.edit.field.press(arg); }
    else if (what === 'bool' && this.edit) { this.edit.error = null; this.edit.bool = arg === 'true'; }
    else if (what === 'cancel') this.edit = null;
    else if (what === 'next') this.#sign(i18n);
    else if (what === 'reload') return this.load();
    return undefined;
  }

  #startEdit(key) {
    const c = this.config();
    const old = c?.properties?.[key];
    if (!c || old === undefined || old === MASK) return;
    const kind = kindOf(old);
    const field = new TextField({ max: 120, allowed: kind === 'number' ? /^[0-9.,-]$/ : REASON_CHARS });
    field.set(kind === 'text' ? String(old) : '');
    this.edit = { pid: c.pid, key, kind, old: String(old), field, bool: String(old).toLowerCase() === 'true', error: null };
    this.outcome = null;
  }

  /** The value to send, typed as the box wants it, or a refusal key. */
  value(i18n) {
    const e = this.edit;
    if (e.kind === 'bool') return e.bool === (e.old.toLowerCase() === 'true') ? { error: 'same' } : { value: e.bool };
    const typed = e.field.text.trim();
    if (!typed) return { error: 'empty' };
    if (e.kind === 'number') {
      const n = i18n.parseNumber(typed);
      if (!n.ok) return { error: 'nan' };
      return n.value === Number(e.old) ? { error: 'same' } : { value: n.value };
    }
    return typed === e.old ? { error: 'same' } : { value: typed };
  }

  #sign(i18n) {
    const e = this.edit;
    if (!e) return;
    const v = this.value(i18n);
    if (v.error) {
      e.error = v.error;
      return;
    }
    const who = this.session.view();
    this.signature.start({
      meaning: 'configuration change', target: `config:${e.pid}`,
      targetText: `config:${e.pid} — ${e.key}: ${e.old} → ${v.value}`,
      signer: { printedName: who?.printedName ?? '?', role: who?.role ?? '?' },
      submit: ({ pin, reason }) => this.submit(e, v.value, pin, reason),
    });
  }

  /** Sends the signed change; the dialog shows a refusal, the screen the outcome. */
  async submit(edit, value, pin, reason) {
    const { status, body, error } = await this.api.act('PUT', `/api/config/${seg(edit.pid)}`,
      { properties: { [edit.key]: value }, pin, reason });
    const ok = status === 200;
    const why = ok ? null : status === 0 ? 'network' : reasonOf(status, body);
    const message = body && typeof body.message === 'string' ? body.message : error ?? '';
    this.outcome = ok ? { phase: 'done', key: edit.key, value: String(value) }
      : { phase: 'refused', key: edit.key, value: String(value), reason: why, message };
    if (ok) {
      this.edit = null;
      await this.load();
    }
    this.invalidate();
    return ok ? { ok } : { ok, reason: why, message };
  }

  view(i18n) {
    const c = this.config();
    const configs = this.configs ?? [];
    const pages = Math.max(1, Math.ceil(configs.length / ROWS));
    this.page = Math.min(this.page, pages - 1);
    const props = c ? Object.entries(c.properties ?? {}) : [];
    const propPages = Math.max(1, Math.ceil(props.length / ROWS));
    this.propPage = Math.min(this.propPage, propPages - 1);
    const e = this.edit;
    return {
      allowed: this.allowed,
      title: i18n.t('set.title'),
      status: this.status,
      statusText: this.status === 'loading' ? i18n.t('poll.waiting')
        : this.status === 'error' ? i18n.t('set.error', { reason: i18n.t(`reason.${this.error}`) })
          : this.allowed ? '' : i18n.t('set.onlyEngineers'),
      configsTitle: i18n.t('set.configs', { n: configs.length }),
      configs: configs.slice(this.page * ROWS, (this.page + 1) * ROWS).map((x) => ({
        pid: x.pid, file: x.file ?? '', selected: x.pid === this.selected })),
      page: this.page, pages,
      selected: c ? c.pid : null,
      props: props.slice(this.propPage * ROWS, (this.propPage + 1) * ROWS).map(([key, value]) => ({
        key, value: Array.isArray(value) ? value.join(', ') : String(value), secret: value === MASK,
        hint: value === MASK ? i18n.t('set.secret') : i18n.t('set.change') })),
      propPage: this.propPage, propPages,
      outcome: this.outcome ? {
        phase: this.outcome.phase,
        text: this.outcome.phase === 'done' ? i18n.t('set.done', { key: this.outcome.key, value: this.outcome.value })
          : i18n.t('set.refused', { key: this.outcome.key, reason: i18n.t(`reason.${this.outcome.reason}`) }),
        detail: this.outcome.message ?? '',
      } : null,
      edit: e ? {
        pid: e.pid, key: e.key, kind: e.kind, old: e.old, typed: e.field.text, bool: e.bool,
        title: `${e.pid} · ${e.key}`,
        oldText: i18n.t('set.current', { value: e.old }),
        newLabel: i18n.t('set.new'),
        error: e.error ? i18n.t(e.error === 'same' ? 'set.same' : `reason.${e.error}`) : null,
        labels: { cancel: i18n.t('confirm.no'), next: i18n.t('set.sign') },
      } : null,
      reloadLabel: i18n.t('set.reload'),
    };
  }
}

export function drawSettings(ctx, v, hits, pressedId) {
  const top = MAIN.y;
  ctx.fillStyle = COLOURS.background;
  ctx.fillRect(0, top, SCREEN.w, MAIN.h);
  const state = (id) => (pressedId === id ? 'pressed' : 'normal');
  if (v.edit) {
    drawEdit(ctx, v.edit, hits, state);
    return;
  }
  text(ctx, v.configsTitle, 12, top + 32, { size: 15, weight: 'bold', maxWidth: 280 });
  if (v.statusText) text(ctx, v.statusText, 306, top + 32, { size: 13, weight: 'bold', maxWidth: 380 });
  else if (v.outcome) {
    outcomeIcon(ctx, v.outcome.phase, 306, top + 17, 20);
    text(ctx, v.outcome.text, 334, top + 32, { size: 13, weight: 'bold', maxWidth: 350 });
  }
  button(ctx, hits, 'set:reload', SCREEN.w - 104, top + 2, 98, 48, v.reloadLabel, { state: state('set:reload'), size: 13 });
  if (!v.allowed) return;
  const y0 = top + 54;
  v.configs.forEach((c, i) => {
    const id = `set:cfg:${c.pid}`;
    const y = y0 + i * ROW_H;
    button(ctx, hits, id, 6, y, 290, ROW_H - 4, '', { state: c.selected ? 'selected' : state(id) });
    const colour = c.selected ? '#ffffff' : COLOURS.text;
    text(ctx, c.pid, 14, y + 20, { size: 14, weight: 'bold', colour, maxWidth: 274 });
    text(ctx, c.file, 14, y + 38, { size: 11, colour: c.selected ? '#ffffff' : COLOURS.label, maxWidth: 274 });
  });
  pager(ctx, hits, 'set:page', 6, v.page, v.pages, state);
  v.props.forEach((p, i) => {
    const id = `set:prop:${p.key}`;
    const y = y0 + i * ROW_H;
    button(ctx, hits, id, 306, y, SCREEN.w - 312, ROW_H - 4, '', {
      state: p.secret ? 'disabled' : state(id), enabled: !p.secret });
    text(ctx, p.key, 314, y + 19, { size: 12, colour: COLOURS.label, maxWidth: 300 });
    text(ctx, p.value, 314, y + 39, { size: 15, weight: 'bold', maxWidth: 380 });
    text(ctx, p.hint, SCREEN.w - 16, y + 28, { size: 12, colour: COLOURS.label, align: 'right', maxWidth: 90 });
  });
  pager(ctx, hits, 'set:ppage', 306, v.propPage, v.propPages, state);
}

function pager(ctx, hits, prefix, x, page, pages, state) {
  if (pages <= 1) return;
  const y = MAIN.y + MAIN.h - 50;
  button(ctx, hits, `${prefix}:up`, x, y, 96, 48, '▲', { state: page > 0 ? state(`${prefix}:up`) : 'disabled', enabled: page > 0 });
  text(ctx, `${page + 1} / ${pages}`, x + 146, y + 30, { size: 14, weight: 'bold', align: 'center' });
  button(ctx, hits, `${prefix}:down`, x + 196, y, 96, 48, '▼', {
    state: page < pages - 1 ? state(`${prefix}:down`) : 'disabled', enabled: page < pages - 1 });
}

function drawEdit(ctx, e, hits, state) {
  const top = MAIN.y;
  ctx.fillStyle = COLOURS.panel;
  ctx.fillRect(0, top, SCREEN.w, MAIN.h);
  text(ctx, e.title, 12, top + 24, { size: 16, weight: 'bold', maxWidth: SCREEN.w - 24 });
  text(ctx, e.oldText, 12, top + 46, { size: 13, maxWidth: SCREEN.w - 24 });
  const fy = top + 74;
  if (e.kind === 'bool') {
    for (const [i, b] of ['true', 'false'].entries()) {
      const id = `set:bool:${b}`;
      button(ctx, hits, id, 12 + i * 136, fy, 128, 56, b, { state: String(e.bool) === b ? 'selected' : state(id) });
    }
  } else {
    drawField(ctx, hits, 'set:field', { x: 12, y: fy, w: 500, h: 48 }, { label: e.newLabel, value: e.typed, active: true });
  }
  if (e.error) {
    outcomeIcon(ctx, 'refused', 12, fy + 62, 18);
    text(ctx, e.error, 38, fy + 76, { size: 13, weight: 'bold', maxWidth: 480 });
  }
  button(ctx, hits, 'set:cancel', 546, fy, 116, 50, e.labels.cancel, { state: state('set:cancel'), size: 16 });
  button(ctx, hits, 'set:next', 670, fy, 118, 50, e.labels.next, { state: state('set:next'), size: 16 });
  if (e.kind !== 'bool') {
    const ky = fy + 88;
    drawLetterKeyboard(ctx, hits, 'set:key', { x: 6, y: ky, w: SCREEN.w - 12, h: MAIN.y + MAIN.h - ky - 2 }, null,
      { accents: true });
  }
}
