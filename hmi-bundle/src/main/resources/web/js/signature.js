// The electronic signature (21 CFR Part 11 §11.50/§11.200 as the model): the person re-enters their
// PIN and gives a reason; the dialog shows what the signature means, what it applies to and whose
// name it will carry. Nothing is sent without a reason (and a PIN, where one is needed).

import { COLOURS, SCREEN, button, outcomeIcon, text, wrappedText } from './draw-kit.js';
import { PIN_CHARS, REASON_CHARS, TextField, drawField, drawLetterKeyboard, drawPinPad } from './keyboard.js';
import { TOP_BAR_H } from './chrome.js';

export class SignatureDialog {
  constructor() {
    this.request = null;
  }

  get open() {
    return this.request !== null;
  }

  /**
   * @param request.meaning the signature's meaning as the box records it ('alarm shelve', 'interlock bypass')
   * @param request.target what it applies to ('alarm:fv1.pv.hi'), and request.targetText in words
   * @param request.signer {printedName, role}
   * @param request.minutes choices of duration in minutes (0 = one-shot), or null for none
   * @param request.pinRequired false for acts that take only a reason (unshelve, unbypass)
   * @param request.detailText one more line about the target (a recipe's hash, a batch's CCPs), or none
   * @param request.extra a second required text, e.g. {key: 'deviation', label, hint}, or null
   * @param request.submit async ({pin, reason, minutes, extra}) => {ok} | {ok: false, reason, message, extra?}
   *        (a refusal may ask for the extra text, or drop it: {@code extra} spec or null)
   */
  start(request) {
    this.request = { pinRequired: true, minutes: null, detailText: '', extra: null, ...request };
    this.reason = new TextField({ max: 200, allowed: REASON_CHARS });
    this.pin = new TextField({ max: 32, allowed: PIN_CHARS });
    this.extra = new TextField({ max: 280, allowed: REASON_CHARS });
    this.minutes = this.request.minutes ? this.request.minutes[0] : null;
    this.active = 'reason';
    this.error = null;
    this.busy = false;
  }

  close() {
    this.request = null;
  }

  /** Touch targets of the dialog start with "sig:". */
  activate(id) {
    if (!this.open || this.busy) return undefined;
    const [, what, arg] = id.split(':');
    if (what === 'field' || what === 'key') this.error = null; // the operator is correcting it
    if (what === 'field') this.active = arg;
    else if (what === 'key') this.#field(this.active).press(arg);
    else if (what === 'min') this.minutes = Number(arg);
    else if (what === 'cancel') this.close();
    else if (what === 'sign') return this.sign();
    return undefined;
  }

  #field(name) {
    return name === 'pin' ? this.pin : name === 'extra' ? this.extra : this.reason;
  }

  async sign() {
    const reason = this.reason.text.trim();
    const extra = this.request.extra ? this.extra.text.trim() : undefined;
    if (!reason) return this.#refuse('needReason', '', 'reason');
    if (this.request.extra && !extra) return this.#refuse(`need.${this.request.extra.key}`, '', 'extra');
    if (this.request.pinRequired && !this.pin.text) return this.#refuse('needPin', '', 'pin');
    this.busy = true;
    this.error = null;
    const result = await this.request.submit({
      pin: this.request.pinRequired ? this.pin.text : undefined, reason, minutes: this.minutes, ...(extra ? { extra } : {}),
    });
    this.busy = false;
    if (!this.open) return undefined; // closed meanwhile (logout)
    if (result.ok) {
      this.close();
      return undefined;
    }
    this.pin.set('');
    if (result.extra !== undefined) {
      // The box knows better (e.g. CCPs evaluated again at release): ask for the text, or stop asking.
      this.request.extra = result.extra;
      if (!result.extra && this.active === 'extra') this.active = 'reason';
    }
    return this.#refuse(result.reason, result.message ?? '', result.reason === 'pin' ? 'pin' : this.active);
  }

  #refuse(key, detail, focus) {
    this.error = { key, detail };
    this.active = focus;
  }

  view(i18n) {
    if (!this.open) return null;
    const r = this.request;
    return {
      title: i18n.t('sig.title'),
      meaning: r.meaning,
      meaningText: i18n.t('sig.meaning', { meaning: i18n.t(`meaning.${r.meaning}`), raw: r.meaning }),
      target: r.target,
      targetText: i18n.t('sig.target', { target: r.targetText || r.target }),
      signerText: r.pinRequired
        ? i18n.t('sig.signer', { name: r.signer.printedName, role: i18n.t(`role.${r.signer.role}`) })
        : i18n.t('sig.actor', { name: r.signer.printedName }),
      recordText: r.pinRequired ? i18n.t('sig.record') : '',
      detailText: r.detailText || '',
      extra: r.extra ? { key: r.extra.key, label: r.extra.label, hint: r.extra.hint ?? '', value: this.extra.text } : null,
      pinRequired: r.pinRequired,
      reason: this.reason.text,
      pinLength: this.pin.text.length,
      active: this.active,
      minutesLabel: i18n.t('sig.minutes'),
      minutes: r.minutes ? r.minutes.map((m) => ({
        value: m, label: m === 0 ? i18n.t('sig.oneShot') : `${m} min`, selected: m === this.minutes,
      })) : null,
      error: this.error ? {
        key: this.error.key,
        text: i18n.has(`sigerr.${this.error.key}`) ? i18n.t(`sigerr.${this.error.key}`) : i18n.t(`reason.${this.error.key}`),
        detail: this.error.detail,
      } : null,
      busy: this.busy,
      labels: { reason: i18n.t('sig.reason'), pin: i18n.t('sig.pin'), cancel: i18n.t('confirm.no'),
        sign: i18n.t(r.pinRequired ? 'sig.sign' : 'confirm.yes'), reasonHint: i18n.t('sig.reasonHint') },
    };
  }
}

/**
 * Draws the dialog over the screen (top bar stays visible); only the dialog and the language can be touched.
 * With a second text (a deviation) the lines move closer so every key stays at least 48 px high.
 */
export function drawSignature(ctx, v, hits, pressedId) {
  const lang = hits.byId('lang');
  hits.clear();
  if (lang) hits.targets.push(lang);
  const top = TOP_BAR_H + 1;
  const compact = Boolean(v.extra);
  ctx.fillStyle = COLOURS.panel;
  ctx.fillRect(0, top, SCREEN.w, SCREEN.h - top);
  ctx.fillStyle = COLOURS.buttonSelected;
  ctx.fillRect(0, top, SCREEN.w, compact ? 30 : 32);
  text(ctx, `${v.title} — ${v.meaningText}`, 12, top + (compact ? 21 : 22), { size: 15, weight: 'bold', colour: '#ffffff', maxWidth: SCREEN.w - 24 });
  const state = (id) => (v.busy ? 'disabled' : pressedId === id ? 'pressed' : 'normal');
  const infoW = v.minutes ? 440 : 770;

  if (compact) {
    text(ctx, v.targetText, 12, top + 48, { size: 13, weight: 'bold', maxWidth: infoW });
    text(ctx, [v.signerText, v.recordText].filter(Boolean).join(' · '), 12, top + 66, { size: 12, maxWidth: infoW });
  } else if (v.detailText) {
    text(ctx, v.targetText, 12, top + 50, { size: 13, weight: 'bold', maxWidth: infoW });
    text(ctx, v.detailText, 12, top + 68, { size: 12, maxWidth: infoW });
    text(ctx, [v.signerText, v.recordText].filter(Boolean).join(' · '), 12, top + 88, { size: 12, maxWidth: infoW });
  } else {
    text(ctx, v.targetText, 12, top + 52, { size: 13, weight: 'bold', maxWidth: infoW });
    text(ctx, v.signerText, 12, top + 72, { size: 13, maxWidth: infoW });
    if (v.recordText) text(ctx, v.recordText, 12, top + 91, { size: 11, colour: COLOURS.label, maxWidth: infoW });
  }
  if (v.minutes) {
    text(ctx, v.minutesLabel, 464, top + 46, { size: 12, colour: COLOURS.label });
    const bw = (SCREEN.w - 470 - 6 - 3 * 4) / v.minutes.length;
    v.minutes.forEach((m, i) => {
      const id = `sig:min:${m.value}`;
      button(ctx, hits, id, 464 + i * (bw + 4), top + 52, bw, 48, m.label, {
        state: m.selected ? 'selected' : state(id), size: 14,
      });
    });
  }

  const fy = top + (compact ? 87 : 113);
  const reasonW = v.pinRequired ? 470 : 776;
  drawField(ctx, hits, 'sig:field:reason', { x: 12, y: fy, w: reasonW, h: 48 }, {
    label: v.labels.reason, value: v.reason, active: v.active === 'reason', placeholder: v.labels.reasonHint,
  });
  if (v.pinRequired) {
    drawField(ctx, hits, 'sig:field:pin', { x: 494, y: fy, w: 294, h: 48 }, {
      label: v.labels.pin, value: '•'.repeat(v.pinLength), secret: true, active: v.active === 'pin',
    });
  }

  let my = fy + 54;
  if (compact) {
    // The second text on its own row, the buttons beside it; the refusal on a line below.
    my = fy + 62;
    drawField(ctx, hits, 'sig:field:extra', { x: 12, y: my, w: 520, h: 48 }, {
      label: v.extra.label, value: v.extra.value, active: v.active === 'extra', placeholder: v.extra.hint,
    });
    if (v.error) {
      outcomeIcon(ctx, 'refused', 12, my + 53, 14);
      text(ctx, `${v.error.text}${v.error.detail ? ` — ${v.error.detail}` : ''}`, 32, my + 65,
        { size: 13, weight: 'bold', maxWidth: SCREEN.w - 44 });
    }
  } else if (v.error) {
    outcomeIcon(ctx, 'refused', 12, my + 6, 20);
    wrappedText(ctx, v.error.text, 40, my + 20, 490, 16, { size: 14, weight: 'bold', maxLines: 1 });
    if (v.error.detail) text(ctx, v.error.detail, 40, my + 40, { size: 11, colour: COLOURS.label, maxWidth: 490 });
  }
  button(ctx, hits, 'sig:cancel', 546, my, 116, compact ? 48 : 50, v.labels.cancel, { state: state('sig:cancel'), size: 16 });
  button(ctx, hits, 'sig:sign', 670, my, 118, compact ? 48 : 50, v.labels.sign, { state: state('sig:sign'), size: 17 });

  const ky = compact ? my + 71 : my + 56;
  const kb = { x: 6, y: ky, w: SCREEN.w - 12, h: SCREEN.h - ky - 2 };
  if (v.active === 'pin') drawPinPad(ctx, hits, 'sig:key', { x: 240, y: ky, w: 320, h: kb.h }, pressedId);
  else drawLetterKeyboard(ctx, hits, 'sig:key', kb, pressedId, { accents: true });
}
