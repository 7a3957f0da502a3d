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

  it("never lets a stale answer overwrite a newer one, whatever order they arrive in", async () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const { calls, check } = controlledCheck();
      const results = [];
      const scheduler = new CheckScheduler({ delayMs: 100, check, onResult: (result, text) => results.push([result.id, text]) });
      scheduler.update("first");
      mock.timers.tick(100);
      scheduler.update("second");
      mock.timers.tick(100);
      assert.equal(calls.length, 2);
      calls[1].resolve({ id: "new" });
      await settle();
      calls[0].resolve({ id: "old" });
      await settle();
      assert.deepEqual(results, [["new", "second"]]);
    } finally {
      mock.timers.reset();
    }
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
    assert.equal(calls.length, 2);
    calls[0].resolve({ id: "before the profile changed" });
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
