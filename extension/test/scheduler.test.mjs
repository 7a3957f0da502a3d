import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";

import { CheckScheduler, frameThrottle } from "../lib/scheduler.js";

/** A check whose answers the test releases by hand, in any order. */
function controlledCheck() {
  const calls = [];
  const check = (text) =>
    new Promise((resolve, reject) => {
      calls.push({ text, resolve, reject });
    });
  return { calls, check };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("CheckScheduler", () => {
  it("waits for a pause in typing and checks only the last text", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const { calls, check } = controlledCheck();
      const scheduler = new CheckScheduler({ delayMs: 500, check, onResult: () => {} });
      scheduler.update("H");
      mock.timers.tick(300);
      scheduler.update("HU");
      mock.timers.tick(300);
      scheduler.update("HUGE");
      mock.timers.tick(499);
      assert.equal(calls.length, 0);
      mock.timers.tick(1);
      assert.deepEqual(calls.map((call) => call.text), ["HUGE"]);
    } finally {
      mock.timers.reset();
    }
  });

  it("never races two checks: an edit made while one is in flight is checked once it is back", async () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const { calls, check } = controlledCheck();
      const results = [];
      const scheduler = new CheckScheduler({ delayMs: 100, check, onResult: (result, text) => results.push([result.id, text]) });
      scheduler.update("first");
      mock.timers.tick(100);
      scheduler.update("second");
      mock.timers.tick(100);
      scheduler.update("third");
      mock.timers.tick(100);
      assert.equal(calls.length, 1, "the second check waits for the first");
      calls[0].resolve({ id: "old" });
      await settle();
      assert.deepEqual(calls.map((call) => call.text), ["first", "third"], "superseded: only the newest text is checked next");
      calls[1].resolve({ id: "new" });
      await settle();
      assert.deepEqual(results, [["new", "third"]]);
      assert.equal(scheduler.checksSent, 2);
    } finally {
      mock.timers.reset();
    }
  });

  it("waits a few of the typist's own gaps, between the shortest and the longest pause", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    let clock = 0;
    try {
      const { calls, check } = controlledCheck();
      const scheduler = new CheckScheduler({ minDelayMs: 150, maxDelayMs: 500, check, onResult: () => {}, now: () => clock });
      assert.equal(scheduler.delay(), 500, "before any typing is seen: the long pause");
      // A steady typist, 100 ms a key: no check while they type, one soon after they stop.
      for (const letter of "Leicester") {
        scheduler.update(`${scheduler.text || ""}${letter}`);
        clock += 100;
        mock.timers.tick(100);
      }
      assert.equal(calls.length, 0);
      assert.equal(scheduler.delay(), 300);
      mock.timers.tick(199); // 100 ms have passed since the last key
      assert.equal(calls.length, 0);
      mock.timers.tick(1);
      assert.equal(calls.length, 1);
      // Keys pressed all at once (a paste, a test's typing): the shortest pause.
      const quick = new CheckScheduler({ minDelayMs: 150, maxDelayMs: 500, check, onResult: () => {}, now: () => clock });
      for (const text of ["a", "ab", "abc", "abcd"]) quick.update(text);
      assert.equal(quick.delay(), 150);
      // A slow typist is never checked sooner than with the long fixed pause.
      const slow = new CheckScheduler({ minDelayMs: 150, maxDelayMs: 500, check, onResult: () => {}, now: () => clock });
      for (const text of ["a", "ab", "abc", "abcd"]) {
        clock += 400;
        slow.update(text);
      }
      assert.equal(slow.delay(), 500);
    } finally {
      mock.timers.reset();
    }
  });

  it("sends no more checks per word than a fixed half-second pause, for a typist with pauses between words", () => {
    // A recorded-like rhythm: 90-140 ms between letters, 200-320 ms between words.
    const gaps = [];
    for (let word = 0; word < 40; word += 1) {
      for (let letter = 0; letter < 5; letter += 1) gaps.push(90 + ((word * 7 + letter * 13) % 50));
      gaps.push(200 + ((word * 37) % 120));
    }
    const count = (options) => {
      mock.timers.enable({ apis: ["setTimeout"] });
      let clock = 0;
      try {
        const scheduler = new CheckScheduler({ ...options, check: () => new Promise(() => {}), onResult: () => {}, now: () => clock });
        let sent = 0;
        scheduler.check = () => {
          sent += 1;
          return Promise.resolve({});
        };
        let text = "";
        for (const gap of gaps) {
          text += "x";
          scheduler.update(text);
          clock += gap;
          mock.timers.tick(gap);
        }
        mock.timers.tick(1000);
        return sent;
      } finally {
        mock.timers.reset();
      }
    };
    const fixed = count({ delayMs: 500 });
    const adaptive = count({ minDelayMs: 150, maxDelayMs: 500 });
    assert.ok(adaptive <= fixed, `adaptive ${adaptive} checks, fixed ${fixed}`);
    assert.ok(adaptive >= 1);
  });

  it("drops an answer when the user typed while it was on its way", async () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const { calls, check } = controlledCheck();
      const results = [];
      const scheduler = new CheckScheduler({ delayMs: 100, check, onResult: (result) => results.push(result.id) });
      scheduler.update("draft");
      mock.timers.tick(100);
      scheduler.update("draft!");
      calls[0].resolve({ id: "for draft" });
      await settle();
      assert.deepEqual(results, []);
      mock.timers.tick(100);
      calls[1].resolve({ id: "for draft!" });
      await settle();
      assert.deepEqual(results, ["for draft!"]);
    } finally {
      mock.timers.reset();
    }
  });

  it("reports only fresh failures and ignores unchanged text", async () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const { calls, check } = controlledCheck();
      const errors = [];
      const scheduler = new CheckScheduler({ delayMs: 100, check, onResult: () => {}, onError: (error) => errors.push(error.message) });
      scheduler.update("a");
      mock.timers.tick(100);
      scheduler.update("a"); // no change, no new check
      mock.timers.tick(100);
      assert.equal(calls.length, 1);
      calls[0].reject(new Error("server down"));
      await settle();
      assert.deepEqual(errors, ["server down"]);
      scheduler.update("ab");
      mock.timers.tick(100);
      scheduler.update("abc");
      calls[1].reject(new Error("stale failure"));
      await settle();
      assert.deepEqual(errors, ["server down"]);
    } finally {
      mock.timers.reset();
    }
  });

  it("rechecks the same text on demand and stops for good", async () => {
    const { calls, check } = controlledCheck();
    const results = [];
    const scheduler = new CheckScheduler({ delayMs: 100, check, onResult: (result) => results.push(result.id) });
    scheduler.update("text");
    scheduler.flush();
    scheduler.recheck();
    assert.equal(calls.length, 1, "the recheck waits for the check in flight");
    calls[0].resolve({ id: "before the profile changed" });
    await settle();
    assert.equal(calls.length, 2);
    calls[1].resolve({ id: "after" });
    await settle();
    assert.deepEqual(results, ["after"]);
    scheduler.update("more");
    scheduler.stop();
    await scheduler.flush();
    assert.equal(calls.length, 2);
  });
});

describe("frameThrottle", () => {
  it("runs once per frame with the latest arguments", () => {
    const frames = [];
    const seen = [];
    const throttled = frameThrottle((value) => seen.push(value), (callback) => frames.push(callback));
    throttled(1);
    throttled(2);
    throttled(3);
    assert.equal(frames.length, 1);
    frames[0]();
    assert.deepEqual(seen, [3]);
    throttled(4);
    assert.equal(frames.length, 2);
  });
});
