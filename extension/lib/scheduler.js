// Debounced checking where a stale answer never overwrites a newer one.
//
// Each edit bumps a revision. A check runs after `delayMs` without edits; its answer is used only
// if no edit happened while it was on its way. Timers are injectable so node's tests can drive
// the clock.

export class CheckScheduler {
  /**
   * @param {object} options
   * @param {number} options.delayMs pause in typing before a check
   * @param {(text: string) => Promise<object>} options.check asks the server
   * @param {(result: object, text: string) => void} options.onResult a fresh answer
   * @param {(error: unknown, text: string) => void} [options.onError] a fresh failure
   */
  constructor({
    delayMs,
    check,
    onResult,
    onError = () => {},
    // Wrapped: browsers refuse setTimeout called as a method of another object.
    setTimer = (callback, ms) => setTimeout(callback, ms),
    clearTimer = (id) => clearTimeout(id),
  }) {
    this.delayMs = delayMs;
    this.check = check;
    this.onResult = onResult;
    this.onError = onError;
    this.setTimer = setTimer;
    this.clearTimer = clearTimer;
    this.revision = 0;
    this.text = null;
    this.timer = null;
    this.stopped = false;
  }

  /** The draft changed: wait for a pause, then check. Unchanged text schedules nothing. */
  update(text) {
    if (this.stopped || text === this.text) return;
    this.text = text;
    this.revision += 1;
    this.cancelTimer();
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.run();
    }, this.delayMs);
  }

  /** Check now (the user asked, or the editor is going away). */
  flush() {
    this.cancelTimer();
    return this.run();
  }

  /** Check the same text again now (settings changed); answers in flight become stale. */
  recheck() {
    this.revision += 1;
    return this.flush();
  }

  /** Stop for good: pending timers are cleared and answers in flight are dropped. */
  stop() {
    this.stopped = true;
    this.revision += 1;
    this.cancelTimer();
  }

  cancelTimer() {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
  }

  async run() {
    if (this.stopped || this.text === null) return;
    const revision = this.revision;
    const text = this.text;
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
