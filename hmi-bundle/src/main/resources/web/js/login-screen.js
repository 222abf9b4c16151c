// The login screen: user name on the letter keyboard, PIN on the PIN pad, then (first login with a
// one-time PIN) the new PIN twice. Wrong PIN, lockout and a lost server each get their own words.

import { COLOURS, SCREEN, button, outcomeIcon, text, wrappedText } from './draw-kit.js';
import { PIN_CHARS, TextField, USER_CHARS, drawField, drawLetterKeyboard, drawPinPad } from './keyboard.js';
import { TOP_BAR_H } from './chrome.js';

const MIN_PIN = 6;

export class LoginScreen {
  /** @param session the {@link Session}; onDone () => void when someone is logged in (or gave up) */
  constructor(session, onDone) {
    this.session = session;
    this.onDone = onDone;
    this.reset();
  }

  reset(message = null, user = null) {
    this.step = 'credentials';
    this.fields = {
      user: new TextField({ max: 32, allowed: USER_CHARS }),
      pin: new TextField({ max: 32, allowed: PIN_CHARS }),
      newPin: new TextField({ max: 32, allowed: PIN_CHARS }),
      repeat: new TextField({ max: 32, allowed: PIN_CHARS }),
    };
    this.fields.user.set(user ?? '');
    this.active = user ? 'pin' : 'user';
    this.busy = false;
    this.message = message; // {kind: 'error'|'info', key, detail}
  }

  /** Touch targets of this screen start with "login:". */
  activate(id) {
    const [, what, arg] = id.split(':');
    if (this.busy) return undefined;
    if (what === 'field') this.active = arg;
    else if (what === 'key') this.fields[this.active].press(arg);
    else if (what === 'next') this.active = 'pin';
    else if (what === 'submit') return this.submit();
    else if (what === 'cancel') return this.cancel();
    return undefined;
  }

  async submit() {
    if (this.step === 'credentials') {
      const user = this.fields.user.text;
      const pin = this.fields.pin.text;
      if (!user) return this.#say('error', 'login.needUser', '', 'user');
      if (!pin) return this.#say('error', 'login.needPin', '', 'pin');
      this.busy = true;
      const result = await this.session.login(user, pin);
      this.busy = false;
      if (result.ok && this.session.mustChangePin) {
        this.step = 'newPin';
        this.active = 'newPin';
        return this.#say('info', 'login.mustChange', '', 'newPin');
      }
      if (result.ok) return this.#finish();
      this.fields.pin.set('');
      return this.#say('error', `login.${result.reason}`, result.reason === 'locked' ? result.message : '', 'pin');
    }
    const { newPin, repeat, pin } = this.fields;
    if (newPin.text.length < MIN_PIN) return this.#say('error', 'login.short', '', 'newPin');
    if (newPin.text !== repeat.text) {
      repeat.set('');
      return this.#say('error', 'login.mismatch', '', 'repeat');
    }
    this.busy = true;
    const result = await this.session.changePin(pin.text, newPin.text);
    this.busy = false;
    if (result.ok) return this.#finish();
    newPin.set('');
    repeat.set('');
    return this.#say('error', result.reason === 'bad_request' ? 'login.weak' : `login.${result.reason}`,
      result.message, 'newPin');
  }

  async cancel() {
    // A session still on its one-time PIN can do nothing: give it back.
    if (this.step === 'newPin' && this.session.loggedIn) await this.session.logout();
    this.reset();
    this.onDone();
  }

  #finish() {
    this.reset();
    this.onDone();
  }

  #say(kind, key, detail, focus) {
    this.message = { kind, key, detail };
    this.active = focus;
  }

  view(i18n) {
    const f = this.fields;
    const credentials = this.step === 'credentials';
    const fields = credentials
      ? [
        { id: 'user', label: i18n.t('login.user'), value: f.user.text, secret: false },
        { id: 'pin', label: i18n.t('login.pinField'), value: f.pin.text, secret: true },
      ]
      : [
        { id: 'newPin', label: i18n.t('login.newPin'), value: f.newPin.text, secret: true },
        { id: 'repeat', label: i18n.t('login.repeat'), value: f.repeat.text, secret: true },
      ];
    return {
      step: this.step,
      title: i18n.t(credentials ? 'login.title' : 'login.changeTitle'),
      fields: fields.map((x) => ({ ...x, active: x.id === this.active })),
      active: this.active,
      keyboard: this.active === 'user' ? 'letters' : 'pin',
      busy: this.busy,
      message: this.message ? {
        kind: this.message.kind, key: this.message.key,
        text: i18n.t(this.message.key), detail: this.message.detail || '',
      } : null,
      hint: i18n.t(credentials ? 'login.hint' : 'login.changeHint'),
      submitLabel: i18n.t(credentials ? 'login.submit' : 'login.save'),
      nextLabel: i18n.t('login.next'),
      cancelLabel: i18n.t('confirm.no'),
    };
  }
}

export function drawLogin(ctx, view, hits, pressedId) {
  const top = TOP_BAR_H + 1;
  ctx.fillStyle = COLOURS.panel;
  ctx.fillRect(0, top, SCREEN.w, SCREEN.h - top);
  const state = (id) => (view.busy ? 'disabled' : pressedId === id ? 'pressed' : 'normal');
  text(ctx, view.title, 16, top + 28, { size: 20, weight: 'bold' });

  const boxes = view.step === 'credentials'
    ? [{ x: 16, y: top + 62, w: 300, h: 52 }, { x: 330, y: top + 62, w: 190, h: 52 }]
    : [{ x: 16, y: top + 62, w: 250, h: 52 }, { x: 280, y: top + 62, w: 240, h: 52 }];
  view.fields.forEach((f, i) => drawField(ctx, hits, `login:field:${f.id}`, boxes[i], {
    label: f.label, value: f.value, secret: f.secret, active: f.active,
  }));
  button(ctx, hits, 'login:cancel', 536, top + 62, 116, 52, view.cancelLabel, { state: state('login:cancel'), size: 16 });
  const submitId = view.active === 'user' ? 'login:next' : 'login:submit';
  button(ctx, hits, submitId, 662, top + 62, 124, 52, view.active === 'user' ? view.nextLabel : view.submitLabel,
    { state: state(submitId), size: 17 });

  // What happened, or what to do.
  const msgY = top + 140;
  if (view.message) {
    const error = view.message.kind === 'error';
    if (error) outcomeIcon(ctx, 'refused', 16, msgY - 14, 20);
    const lines = wrappedText(ctx, view.message.text, error ? 46 : 16, msgY, 740, 18, { size: 15, weight: 'bold' });
    if (view.message.detail) {
      wrappedText(ctx, view.message.detail, error ? 46 : 16, msgY + lines * 18, 740, 16,
        { size: 12, colour: COLOURS.label, maxLines: 2 });
    }
  } else {
    wrappedText(ctx, view.hint, 16, msgY, 760, 18, { size: 14, colour: COLOURS.label, maxLines: 2 });
  }

  const kb = { x: 8, y: top + 196, w: SCREEN.w - 16, h: SCREEN.h - top - 202 };
  if (view.keyboard === 'letters') drawLetterKeyboard(ctx, hits, 'login:key', kb, pressedId);
  else drawPinPad(ctx, hits, 'login:key', { x: 240, y: kb.y, w: 320, h: kb.h }, pressedId);
}
