// The audible alarm: a short tone pattern (Web Audio, no sound files) repeated every few seconds
// while an active alarm waits for acknowledgement; the pitch and rhythm say the priority. Browsers
// keep audio suspended until the first touch, so the panel says when it cannot sound yet.

const REPEAT_MS = 3000;
const PATTERNS = {
  // [frequency Hz, start s, length s]
  critical: [[880, 0, 0.18], [880, 0.25, 0.18], [880, 0.5, 0.18]],
  high: [[740, 0, 0.22], [740, 0.3, 0.22]],
  medium: [[620, 0, 0.3]],
  low: [[520, 0, 0.25]],
};

export class Horn {
  /** @param AudioContextClass window.AudioContext (absent under Node or in old browsers) */
  constructor({ AudioContextClass = globalThis.AudioContext, timers = globalThis } = {}) {
    this.AudioContextClass = AudioContextClass;
    this.timers = timers;
    this.audio = null;
    this.priority = null;
    this.timer = null;
    this.beeps = 0;
  }

  /** Called on every touch: the browser allows audio from here on. */
  unlock() {
    if (!this.AudioContextClass) return;
    if (!this.audio) this.audio = new this.AudioContextClass();
    if (this.audio.state === 'suspended') this.audio.resume();
  }

  /** The horn's state follows the alarms: {@code priority} of the worst unacknowledged active alarm, or null. */
  follow(priority) {
    if (priority === this.priority) return;
    this.priority = priority;
    this.timers.clearInterval(this.timer);
    this.timer = null;
    if (priority) {
      this.#beep();
      this.timer = this.timers.setInterval(() => this.#beep(), REPEAT_MS);
    }
  }

  get sounding() {
    return this.priority !== null;
  }

  /** Audio the browser refuses until a touch: worth saying on screen. */
  get blocked() {
    return !this.AudioContextClass || !this.audio || this.audio.state !== 'running';
  }

  #beep() {
    if (!this.priority) return;
    if (!this.audio && this.AudioContextClass) {
      try {
        this.audio = new this.AudioContextClass(); // allowed when the kiosk permits autoplay
      } catch (e) {
        return;
      }
    }
    if (!this.audio || this.audio.state !== 'running') return;
    const t0 = this.audio.currentTime + 0.02;
    for (const [freq, start, len] of PATTERNS[this.priority] ?? PATTERNS.medium) {
      const osc = this.audio.createOscillator();
      const gain = this.audio.createGain();
      osc.type = 'square';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t0 + start);
      gain.gain.exponentialRampToValueAtTime(0.25, t0 + start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + start + len);
      osc.connect(gain).connect(this.audio.destination);
      osc.start(t0 + start);
      osc.stop(t0 + start + len + 0.02);
    }
    this.beeps++;
  }
}
