// When to check a draft, so that an underline follows the last keystroke quickly and a stale
// answer never overwrites a newer one.
//
// Each edit bumps a revision. A check runs after a pause in typing; its answer is used only if
// no edit happened while it was on its way. At most one check is in flight: an edit made
// meanwhile waits for it, and then the newest text is checked once (the old answer is
// superseded, never raced against the new one).
//
// The pause adapts to the typist: it is a few times their own gap between keystrokes, between
// `minDelayMs` and `maxDelayMs`. Someone typing steadily is never interrupted by a check, as
// with a fixed long pause, but the underline comes soon after they stop. Timers and the clock
// are injectable so node's tests can drive them.

export const PAUSE_FACTOR = 3; // a pause of this many typical gaps means the typist stopped
const GAPS_KEPT = 9;

export class CheckScheduler {
  /**
   * @param {object} options
   * @param {number} [options.delayMs] a fixed pause before a check (instead of the adaptive one)
   * @param {number} [options.minDelayMs] the shortest adaptive pause
   * @param {number} [options.maxDelayMs] the longest adaptive pause (and the one before any typing is seen)
   * @param {(text: string) => Promise<object>} options.check asks the server
   * @param {(result: object, text: string) => void} options.onResult a fresh answer
   * @param {(error: unknown, text: string) => void} [options.onError] a fresh failure
   */
  constructor({
    delayMs,
    minDelayMs = delayMs ?? 150,
    maxDelayMs = delayMs ?? 500,
    check,
    onResult,
    onError = () => {},
    // Wrapped: browsers refuse setTimeout called as a method of another object.
    setTimer = (callback, ms) => setTimeout(callback, ms),
    clearTimer = (id) => clearTimeout(id),
    now = () => (globalThis.performance ? performance.now() : Date.now()),
  }) {
    this.minDelayMs = minDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.check = check;
    this.onResult = onResult;
    this.onError = onError;
    this.setTimer = setTimer;
    this.clearTimer = clearTimer;
    this.now = now;
    this.revision = 0;
    this.text = null;
    this.timer = null;
    this.stopped = false;
    this.inFlight = null; // the promise of the check on its way
    this.queued = false; // a check is due as soon as the one in flight is back
    this.gaps = []; // recent gaps between edits, in ms (only those within a burst of typing)
    this.lastEditAt = null;
    this.checksSent = 0;
  }

  /** The pause to wait after an edit before checking. */
  delay() {
    if (this.gaps.length < 2) return this.maxDelayMs;
    const sorted = [...this.gaps].sort((a, b) => a - b);
    const typical = sorted[Math.floor(sorted.length / 2)];
    return Math.min(this.maxDelayMs, Math.max(this.minDelayMs, PAUSE_FACTOR * typical));
  }

  /** The draft changed: wait for a pause, then check. Unchanged text schedules nothing. */
  update(text) {
    if (this.stopped || text === this.text) return;
    const at = this.now();
    if (this.lastEditAt !== null && at - this.lastEditAt < this.maxDelayMs) {
      this.gaps.push(at - this.lastEditAt);
      if (this.gaps.length > GAPS_KEPT) this.gaps.shift();
    }
    this.lastEditAt = at;
    this.text = text;
    this.revision += 1;
    this.cancelTimer();
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.run();
    }, this.delay());
  }

  /** Check now (the user asked, or the editor is going away). */
  flush() {
    this.cancelTimer();
    return this.run();
  }

  /** Check the same text again now (settings or the dictionary changed); answers in flight become stale. */
  recheck() {
    this.revision += 1;
    return this.flush();
  }

  /** Stop for good: pending timers are cleared and answers in flight are dropped. */
  stop() {
    this.stopped = true;
    this.revision += 1;
    this.queued = false;
    this.cancelTimer();
  }

  cancelTimer() {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
  }

  run() {
    if (this.stopped || this.text === null) return Promise.resolve();
    if (this.inFlight) {
      // Never two at once: the newest text is checked when this one is back.
      this.queued = true;
      return this.inFlight;
    }
    const revision = this.revision;
    const text = this.text;
    this.checksSent += 1;
    this.inFlight = (async () => {
      try {
        let result;
        try {
          result = await this.check(text);
        } catch (error) {
          if (revision === this.revision && !this.stopped) this.onError(error, text);
          return;
        }
        // An edit (or a newer check) happened meanwhile: this answer is about an old draft.
        if (revision !== this.revision || this.stopped) return;
        this.onResult(result, text);
      } finally {
        this.inFlight = null;
        if (this.queued && !this.stopped) {
          this.queued = false;
          // Only if the draft moved on: an answer for the current revision was just used.
          if (revision !== this.revision) this.run();
        }
      }
    })();
    return this.inFlight;
  }
}

/** Run `fn` at most once per animation frame, with the latest arguments. */
export function frameThrottle(fn, requestFrame = globalThis.requestAnimationFrame) {
  let scheduled = false;
  let latest = [];
  return (...args) => {
    latest = args;
    if (scheduled) return;
    scheduled = true;
    requestFrame(() => {
      scheduled = false;
      fn(...latest);
    });
  };
}
