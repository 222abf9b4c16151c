// Writes to the plant through the box's REST API, and the bearer token they need.
// Every answer is turned into one of a few reasons the operator can act on.

const TOKEN_KEY = 'brewpi.hmi.token';
const REQUEST_LIMIT_MS = 10000; // the server itself gives up on the PLC after 3 s

/**
 * The kiosk opens the HMI as /hmi/#token=XYZ: keep the token, and take it out of the address bar
 * at once so it is neither shown nor bookmarked. "#token=" (empty) forgets a stored token.
 * @returns the token to use, or null (read-only)
 */
export function takeToken(location, history, storage) {
  const match = /(?:^#|&)token=([^&]*)/.exec(location.hash || '');
  if (match) {
    const token = decodeURIComponent(match[1]);
    if (token) storage.setItem(TOKEN_KEY, token);
    else storage.removeItem(TOKEN_KEY);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return storage.getItem(TOKEN_KEY) || null;
}

const REASON_BY_ERROR = {
  out_of_range: 'range',
  range: 'range',
  read_only: 'read_only',
  interlocked: 'interlock',
  interlock: 'interlock',
  failsafe: 'failsafe',
  timeout: 'timeout',
  offline: 'offline',
  not_connected: 'offline',
  no_driver: 'offline',
  unauthorized: 'auth',
  forbidden: 'auth',
  unknown_tag: 'unknown',
  unknown_zone: 'unknown',
  bad_type: 'bad_request',
  bad_request: 'bad_request',
  bad_value: 'bad_request',
};

/**
 * What a write came to. Only an HTTP 200 with outcome DONE is done: anything else, including an
 * answer we cannot read, is not.
 * @returns {{done: boolean, outcome: string, reason: string|null, message: string}}
 */
export function classifyAnswer(status, body) {
  const outcome = body && typeof body.outcome === 'string' ? body.outcome : null;
  const message = body && typeof body.message === 'string' ? body.message : '';
  if (status === 200 && outcome === 'DONE') return { done: true, outcome, reason: null, message };

  const error = body && typeof body.error === 'string' ? body.error.toLowerCase() : '';
  let reason = REASON_BY_ERROR[error] ?? null;
  if (!reason) {
    if (status === 401 || status === 403) reason = 'auth';
    else if (outcome === 'TIMEOUT' || status === 504) reason = 'timeout';
    else if (outcome === 'NOT_SENT' || status === 503) reason = 'not_sent';
    else if (status === 404) reason = 'unknown';
    else if (status === 409) reason = 'interlock';
    else if (status === 400 || status === 422) reason = 'bad_request';
    else reason = 'other';
  }
  return { done: false, outcome: outcome ?? `HTTP ${status}`, reason, message };
}

export class PlantApi {
  constructor({ token, fetch: fetchImpl = globalThis.fetch.bind(globalThis) }) {
    this.token = token;
    this.fetch = fetchImpl;
  }

  get canWrite() {
    return Boolean(this.token);
  }

  /** The zones for a first paint, before the live feed has sent its snapshot. */
  async zones() {
    const response = await this.fetch('/api/zones', { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET /api/zones: HTTP ${response.status}`);
    const body = await response.json();
    return Array.isArray(body) ? body : body.zones;
  }

  writeTag(zone, tag, value) {
    return this.#send('PUT', `/api/zones/${encodeURIComponent(zone)}/tags/${encodeURIComponent(tag)}`,
      { value });
  }

  resetFailsafe(zone) {
    return this.#send('POST', `/api/zones/${encodeURIComponent(zone)}/reset`, {});
  }

  async #send(method, path, body) {
    if (!this.token) return { done: false, outcome: 'NOT_SENT', reason: 'auth', message: '' };
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REQUEST_LIMIT_MS);
    try {
      const response = await this.fetch(path, {
        method,
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          Authorization: `Bearer ${this.token}`,
        },
        body: JSON.stringify(body),
        signal: abort.signal,
      });
      let answer = null;
      try {
        answer = await response.json();
      } catch (e) {
        // not JSON: judged by the status alone
      }
      return classifyAnswer(response.status, answer);
    } catch (e) {
      return { done: false, outcome: 'NOT_SENT', reason: 'network', message: String(e.message || e) };
    } finally {
      clearTimeout(timer);
    }
  }
}
