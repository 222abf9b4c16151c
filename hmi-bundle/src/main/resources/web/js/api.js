// The box's REST API as the HMI uses it. Reads are open and carry no token (a poll must not keep a
// session alive, or the server's inactivity logout would never come); every act carries the
// logged-in person's session token. Every answer is turned into a reason the operator can act on.

const LEGACY_TOKEN_KEY = 'brewpi.hmi.token';
const REQUEST_LIMIT_MS = 10000; // the server itself gives up on the PLC after 3 s

/**
 * The kiosk used to open the HMI as /hmi/#token=XYZ with the bootstrap admin token. Writes now need
 * a person logged in with a PIN, so such a token is taken out of the address bar and any stored copy
 * is forgotten: an admin secret must not sit in the panel's storage, and no write may be anonymous.
 * @returns true when a token was found (in the address or in storage) and dropped
 */
export function dropKioskToken(location, history, storage) {
  let found = false;
  if (/(?:^#|&)token=/.test(location.hash || '')) {
    history.replaceState(null, '', location.pathname + location.search);
    found = true;
  }
  if (storage.getItem(LEGACY_TOKEN_KEY) !== null) {
    storage.removeItem(LEGACY_TOKEN_KEY);
    found = true;
  }
  return found;
}

const REASON_BY_ERROR = {
  out_of_range: 'range',
  range: 'range',
  read_only: 'read_only',
  interlocked: 'interlock',
  interlock: 'interlock',
  estop: 'estop',
  failsafe: 'failsafe',
  timeout: 'timeout',
  offline: 'offline',
  not_connected: 'offline',
  no_driver: 'offline',
  unauthorized: 'session',
  forbidden: 'role',
  must_change_pin: 'role',
  bad_credentials: 'pin',
  signature_refused: 'pin',
  locked: 'locked',
  unknown_tag: 'unknown',
  unknown_zone: 'unknown',
  bad_type: 'bad_request',
  bad_request: 'bad_request',
  bad_value: 'bad_request',
};

/**
 * What a write came to. Only an HTTP 200 with outcome DONE is done: anything else, including an
 * answer we cannot read, is not.
 * @returns {{done: boolean, outcome: string, reason: string|null, message: string, source?: string}}
 */
export function classifyAnswer(status, body) {
  const outcome = body && typeof body.outcome === 'string' ? body.outcome : null;
  const message = body && typeof body.message === 'string' ? body.message : '';
  if (status === 200 && outcome === 'DONE') return { done: true, outcome, reason: null, message };
  return { done: false, outcome: outcome ?? `HTTP ${status}`, reason: reasonOf(status, body, outcome), message,
    source: body && typeof body.source === 'string' ? body.source : null };
}

/** The reason for a refused request of any kind (writes, acts, logins). */
export function reasonOf(status, body, outcome = null) {
  const error = body && typeof body.error === 'string' ? body.error.toLowerCase() : '';
  const known = REASON_BY_ERROR[error];
  if (known) return known;
  if (status === 401) return 'session';
  if (status === 403) return 'role';
  if (status === 429) return 'locked';
  if (outcome === 'TIMEOUT' || status === 504) return 'timeout';
  if (outcome === 'NOT_SENT' || status === 503) return 'not_sent';
  if (status === 404) return 'unknown';
  if (status === 409) return 'interlock';
  if (status === 400 || status === 422) return 'bad_request';
  return 'other';
}

/**
 * One HTTP client for everything: {@link #read} for polls, {@link #act} for what a person does.
 * @param options.session something with {@code token} (null when nobody is logged in) and
 *        {@code expired()} (called on a 401 to an act: the server has ended the session)
 */
export class BoxApi {
  constructor({ session, fetch: fetchImpl = globalThis.fetch.bind(globalThis) }) {
    this.session = session;
    this.fetch = fetchImpl;
  }

  get canWrite() {
    return Boolean(this.session.token) && !this.session.mustChangePin;
  }

  /**
   * A GET without credentials.
   * @returns {{status: number, body: object|null}} status 0 when the box did not answer
   */
  async read(path) {
    return this.#call('GET', path, undefined, null);
  }

  /** A request made by the logged-in person (or, for logins, by nobody yet: {@code token} null). */
  async act(method, path, body, { token = this.session.token } = {}) {
    const answer = await this.#call(method, path, body, token);
    if (token && answer.status !== 0) this.session.touched();
    // A wrong PIN in a signature (401 bad_credentials) is the signer's mistake, not the end of the session.
    if (answer.status === 401 && token && answer.body?.error !== 'bad_credentials') this.session.expired();
    return answer;
  }

  /** The zones for a first paint, before the live feed has sent its snapshot. */
  async zones() {
    const { status, body } = await this.read('/api/zones');
    if (status !== 200) throw new Error(`GET /api/zones: HTTP ${status}`);
    return Array.isArray(body) ? body : body.zones;
  }

  writeTag(zone, tag, value) {
    return this.#command('PUT', `/api/zones/${encodeURIComponent(zone)}/tags/${encodeURIComponent(tag)}`, { value });
  }

  resetFailsafe(zone) {
    return this.#command('POST', `/api/zones/${encodeURIComponent(zone)}/reset`, {});
  }

  async #command(method, path, body) {
    if (!this.canWrite) return { done: false, outcome: 'NOT_SENT', reason: 'session', message: '' };
    const { status, body: answer, error } = await this.act(method, path, body);
    if (status === 0) return { done: false, outcome: 'NOT_SENT', reason: 'network', message: error ?? '' };
    return classifyAnswer(status, answer);
  }

  async #call(method, path, body, token) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REQUEST_LIMIT_MS);
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      const response = await this.fetch(path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: abort.signal,
      });
      let answer = null;
      try {
        answer = await response.json();
      } catch (e) {
        // not JSON (or no body): judged by the status alone
      }
      return { status: response.status, body: answer };
    } catch (e) {
      return { status: 0, body: null, error: String(e.message || e) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A path segment, encoded. */
export function seg(id) {
  return encodeURIComponent(id);
}
