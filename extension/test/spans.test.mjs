import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  changedRegion,
  countBySeverity,
  findingAt,
  findingKey,
  rebaseFindings,
  replaceSpan,
  visibleFindings,
} from "../lib/spans.js";

const finding = (rule, start, end, severity = "warning") => ({ rule, start, end, severity, category: "tone" });

describe("replaceSpan", () => {
  it("replaces exactly the span after an emoji", () => {
    const draft = "🎉 HUGE news from Leicester Uni";
    const start = draft.indexOf("Leicester Uni");
    const { text, caret } = replaceSpan(draft, start, start + "Leicester Uni".length, "the University of Leicester");
    assert.equal(text, "🎉 HUGE news from the University of Leicester");
    assert.equal(caret, text.length);
  });

  it("deletes with an empty replacement and inserts with an empty span", () => {
    assert.deepEqual(replaceSpan("a  b", 1, 2, ""), { text: "a b", caret: 1 });
    assert.deepEqual(replaceSpan("ab", 1, 1, "-"), { text: "a-b", caret: 2 });
  });

  for (const [start, end] of [
    [-1, 2],
    [3, 2],
    [0, 99],
    [0.5, 2],
  ]) {
    it(`refuses the span ${start}-${end}`, () => {
      assert.throws(() => replaceSpan("hello", start, end, "x"), RangeError);
    });
  }
});

describe("changedRegion", () => {
  it("finds an insertion", () => assert.deepEqual(changedRegion("abcd", "abXcd"), { start: 2, oldEnd: 2, newEnd: 3 }));
  it("finds a deletion", () => assert.deepEqual(changedRegion("abXcd", "abcd"), { start: 2, oldEnd: 3, newEnd: 2 }));
  it("handles repeated letters without overlapping", () =>
    assert.deepEqual(changedRegion("aaa", "aaaa"), { start: 3, oldEnd: 3, newEnd: 4 }));
});

describe("rebaseFindings", () => {
  const old = "HUGE news from Leicester Uni";
  const shouting = finding("tone.shouting", 0, 4);
  const brand = finding("brand.name", 15, 28);

  it("shifts findings after an edit and keeps those before it", () => {
    const typed = "HUGE news today from Leicester Uni";
    const [a, b] = rebaseFindings([shouting, brand], old, typed);
    assert.deepEqual([a.start, a.end], [0, 4]);
    assert.equal(typed.slice(b.start, b.end), "Leicester Uni");
  });

  it("drops a finding the edit touches, such as a word being extended", () => {
    const typed = "HUGEST news from Leicester Uni";
    const kept = rebaseFindings([shouting, brand], old, typed);
    assert.deepEqual(kept.map((f) => f.rule), ["brand.name"]);
    assert.equal(typed.slice(kept[0].start, kept[0].end), "Leicester Uni");
  });

  it("shifts by UTF-16 units when an emoji is typed in front, and never mutates its input", () => {
    const input = [shouting, brand];
    const typed = `🎉 ${old}`;
    const kept = rebaseFindings(input, old, typed);
    // "HUGE" borders the insertion (the word may be changing) so it waits for the next answer.
    assert.deepEqual(kept.map((f) => f.rule), ["brand.name"]);
    assert.equal(kept[0].start, 18);
    assert.equal(typed.slice(kept[0].start, kept[0].end), "Leicester Uni");
    assert.equal(input[1].start, 15);
    assert.deepEqual(rebaseFindings(input, old, old), input);
  });
});

describe("visibleFindings, findingKey and counts", () => {
  const text = "HUGE news, HUGE day";
  const first = finding("tone.shouting", 0, 4);
  const second = finding("tone.shouting", 11, 15);
  const info = finding("clarity.long", 0, 19, "info");

  it("ignoring a finding hides every finding of that rule on the same words", () => {
    const ignored = new Set([findingKey(first, text)]);
    assert.deepEqual(visibleFindings([first, second, info], text, ignored), [info]);
  });

  it("drops findings that do not fit the text", () => {
    assert.deepEqual(visibleFindings([finding("x", 5, 99)], text, new Set()), []);
  });

  it("counts every severity", () => {
    assert.deepEqual(countBySeverity([first, second, info, finding("p", 0, 1, "error")]), { error: 1, warning: 2, info: 1 });
    assert.deepEqual(countBySeverity([]), { error: 0, warning: 0, info: 0 });
  });

  it("finds the most severe, then the narrowest, finding under an offset", () => {
    const error = finding("privacy.email", 2, 3, "error");
    assert.equal(findingAt([info, first], 2), first);
    assert.equal(findingAt([info, first, error], 2), error);
    assert.equal(findingAt([first], 9), null);
  });
});
