// Reads one REST resource again and again (alarms, interlocks, E-stop, health). What the box
// answered is kept with how it answered, so a screen can say "not running" (404/503) or "box not
// answering" instead of showing old data as current.

/**
 * status: 'waiting' (no answer yet), 'ok', 'missing' (404: the service is not installed),
 * 'down' (503: installed but not running), 'error' (another HTTP status), 'unreachable' (no answer).
 */
export function pollStatus(httpStatus) {
  if (httpStatus === 200) return 'ok';
  if (httpStatus === 404) return 'missing';
  if (httpStatus === 503) return 'down';
  if (httpStatus === 0) return 'unreachable';
  return 'error';
}

export class Poller {
  /**
   * @param options.read (path) => Promise<{status, body}>, e.g. BoxApi.read
   * @param options.onChange () => void after every answer
   */
  constructor({ read, path, everyMs, onChange = () => {}, timers = globalThis, clock = () => Date.now() }) {
    this.read = read;
    this.path = path;
    this.everyMs = everyMs;
    this.onChange = onChange;
    this.timers = timers;
    this.clock = clock;
    this.status = 'waiting';
    this.httpStatus = null;
    this.body = null;
    this.at = 0;
    this.timer = null;
    this.inFlight = false;
    this.stopped = false;
  }

  start() {
    this.stopped = false;
    this.#poll();
  }

  /** No more reads, not even after an answer still on its way. */
  stop() {
    this.stopped = true;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Reads now (after an act, to show its result without waiting for the next round), and goes on polling. */
  refresh() {
    this.stopped = false;
    this.timers.clearTimeout(this.timer);
    return this.#poll();
  }

  get ok() {
    return this.status === 'ok';
  }

  async #poll() {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const { status, body } = await this.read(this.path);
      this.httpStatus = status;
      this.status = pollStatus(status);
      // A 503 with a body (health when DOWN) still says what is wrong; anything else is not data.
      this.body = status === 200 || (status === 503 && body) ? body : null;
      this.at = this.clock();
    } finally {
      this.inFlight = false;
      if (!this.stopped) this.timer = this.timers.setTimeout(() => this.#poll(), this.everyMs);
      this.onChange();
    }
  }
}
