// Who is logged in on this panel. A person logs in with user + PIN (POST /api/session); the session
// token lives in sessionStorage (a reload keeps it, closing the browser does not) and is checked
// against the box at start. The box ends a session after its inactivity time: the HMI follows that
// locally (no request needed) and on any 401.

const STORAGE_KEY = 'brewpi.hmi.session';

/** Why the panel is logged out, shown once on the login screen or the user button. */
export const ENDED = { LOGOUT: 'logout', IDLE: 'idle', EXPIRED: 'expired' };

export class Session {
  /**
   * @param options.storage sessionStorage (or a stand-in)
   * @param options.clock () => epoch ms
   * @param options.onChange () => void, whenever who is logged in changes
   */
  constructor({ storage, clock = () => Date.now(), onChange = () => {} }) {
    this.storage = storage;
    this.clock = clock;
    this.onChange = onChange;
    this.api = null;
    this.user = null;
    this.endedBecause = null;
    this.lastUser = null; // whose session the box ended, to offer the name again
    const saved = readSaved(storage);
    if (saved) this.user = saved;
  }

  /** Set once the API exists (they need each other). */
  attach(api) {
    this.api = api;
  }

  get token() {
    return this.user?.token ?? null;
  }

  get loggedIn() {
    return Boolean(this.user);
  }

  get mustChangePin() {
    return Boolean(this.user?.mustChangePin);
  }

  /** What the HMI shows and the test hook returns (never the token). */
  view() {
    if (!this.user) return null;
    const { user, printedName, role, mustChangePin, idleTimeoutSeconds } = this.user;
    return { user, printedName, role, mustChangePin, idleTimeoutSeconds };
  }

  /**
   * @returns {{ok: true} | {ok: false, reason: 'pin'|'locked'|'network'|'bad_request'|'other', message}}
   */
  async login(user, pin) {
    const { status, body, error } = await this.api.act('POST', '/api/session', { user, pin }, { token: null });
    if (status === 200 && body && typeof body.token === 'string') {
      this.#set({
        token: body.token, user: body.user, printedName: body.printedName || body.user, role: body.role,
        mustChangePin: Boolean(body.mustChangePin), idleTimeoutSeconds: body.idleTimeoutSeconds || 0,
      });
      this.endedBecause = null;
      return { ok: true };
    }
    return refusal(status, body, error);
  }

  /** Replaces the one-time PIN (or any PIN); the session stays and may now act. */
  async changePin(pin, newPin) {
    // Sent without the session token: a wrong old PIN (401) is not the end of the session.
    const { status, body, error } = await this.api.act('POST', '/api/session/pin',
      { user: this.user.user, pin, newPin }, { token: null });
    if (status === 204 || status === 200) {
      this.#set({ ...this.user, mustChangePin: false });
      return { ok: true };
    }
    return refusal(status, body, error);
  }

  async logout() {
    const token = this.token;
    this.#end(ENDED.LOGOUT);
    if (token) await this.api.act('DELETE', '/api/session', undefined, { token });
  }

  /** The box no longer knows the token (inactivity, restart): back to the login screen. */
  expired() {
    if (this.user) this.#end(ENDED.EXPIRED);
  }

  /** Called for every request sent with the token: the box's idle clock restarts then. */
  touched() {
    if (this.user) {
      this.user.lastRequestAt = this.clock();
      this.#save();
    }
  }

  /** Ends the session here once the box has surely ended it for inactivity. */
  checkIdle() {
    const u = this.user;
    if (!u || !u.idleTimeoutSeconds || !u.lastRequestAt) return;
    if (this.clock() - u.lastRequestAt > u.idleTimeoutSeconds * 1000) this.#end(ENDED.IDLE);
  }

  /** At start: is the stored session still open on the box? */
  async verify() {
    if (!this.user) return;
    const { status, body } = await this.api.act('GET', '/api/session');
    if (status === 200 && body) {
      this.#set({ ...this.user, printedName: body.printedName || this.user.printedName, role: body.role,
        mustChangePin: Boolean(body.mustChangePin) });
    }
  }

  #set(user) {
    this.user = { ...user, lastRequestAt: user.lastRequestAt ?? this.clock() };
    this.#save();
    this.onChange();
  }

  #end(why) {
    this.lastUser = why === ENDED.LOGOUT ? null : this.user?.user ?? null;
    this.user = null;
    this.endedBecause = why;
    this.storage.removeItem(STORAGE_KEY);
    this.onChange();
  }

  #save() {
    this.storage.setItem(STORAGE_KEY, JSON.stringify(this.user));
  }
}

function readSaved(storage) {
  try {
    const saved = JSON.parse(storage.getItem(STORAGE_KEY));
    return saved && typeof saved.token === 'string' ? saved : null;
  } catch (e) {
    return null;
  }
}

function refusal(status, body, error) {
  const message = body && typeof body.message === 'string' ? body.message : error ?? '';
  if (status === 0) return { ok: false, reason: 'network', message };
  if (status === 401) return { ok: false, reason: 'pin', message };
  if (status === 429) return { ok: false, reason: 'locked', message };
  if (status === 400) return { ok: false, reason: 'bad_request', message };
  if (status === 403) return { ok: false, reason: 'role', message };
  return { ok: false, reason: 'other', message };
}
