import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { groupFindings, isSafeFix, pickPointed, pieces, reviewOrder, safeFixes, splitByWidth } from "../lib/review.js";

const f = (rule, start, end, extra = {}) => ({ rule, start, end, severity: "warning", category: "clarity", suggestions: [], ...extra });

describe("underlines that never hide each other", () => {
  const text = "We will leverage synergies to unlock a step change in what our partners can achieve together.";
  const sentence = f("clarity.sentence_length", 0, text.length, { severity: "info" });
  const leverage = f("clarity.jargon", 8, 16);
  const synergies = f("clarity.jargon", 17, 26);

  it("draws the words and puts the sentence beside them", () => {
    const { narrow, wide } = splitByWidth([sentence, leverage, synergies]);
    assert.deepEqual(narrow, [leverage, synergies]);
    assert.deepEqual(wide, [sentence]);
  });

  it("cuts overlapping findings into pieces, each keeping every finding over it", () => {
    const phrase = f("offensive.mild", 0, 13, { category: "offensive" }); // "What a bloody"
    const word = f("offensive.profanity", 7, 13, { category: "offensive", severity: "error" }); // "bloody"
    const cut = pieces([phrase, word], 20);
    assert.deepEqual(cut.map((p) => [p.start, p.end, p.covering.length]), [[0, 7, 1], [7, 13, 2]]);
  });

  it("opens the word's finding, not the wider one around it", () => {
    const phrase = f("offensive.mild", 0, 13, { severity: "error" });
    const word = f("offensive.profanity", 7, 13, { severity: "warning" });
    assert.equal(pickPointed([phrase, word]), word);
    assert.equal(pickPointed([sentence, leverage]), leverage);
  });
});

describe("the panel's groups and safe fixes", () => {
  const findings = [
    f("brand.name_forms", 20, 33, { category: "brand", suggestions: ["University of Leicester"] }),
    f("tone.shouting", 3, 7, { category: "tone" }),
    f("privacy.phone", 40, 52, { category: "privacy", severity: "error" }),
    f("inclusive.gendered", 60, 68, { category: "inclusive", suggestions: ["chair"] }),
    f("spelling.harper.SpellCheck", 70, 76, { category: "spelling", suggestions: ["Hartley", "Heartily"] }),
    f("clarity.readability", 0, 90, { severity: "info", suggestions: [] }),
  ];

  it("groups by severity, then category, with counts, and lists every finding once", () => {
    const groups = groupFindings(findings);
    assert.deepEqual(groups.map((g) => [g.severity, g.count]), [["error", 1], ["warning", 4], ["info", 1]]);
    assert.deepEqual(groups[1].categories.map((c) => [c.category, c.findings.length]), [["tone", 1], ["brand", 1], ["inclusive", 1], ["spelling", 1]]);
    assert.equal(reviewOrder(findings).length, findings.length);
    assert.equal(new Set(reviewOrder(findings)).size, findings.length);
  });

  it("takes only unambiguous house fixes, last first, never two over the same words", () => {
    assert.deepEqual(findings.filter(isSafeFix).map((x) => x.rule), ["brand.name_forms", "inclusive.gendered"]);
    const overlapping = f("brand.spelling", 25, 30, { category: "brand", suggestions: ["x"] });
    assert.deepEqual(safeFixes([...findings, overlapping]).map((x) => x.rule), ["inclusive.gendered", "brand.name_forms"]);
    assert.equal(isSafeFix(f("brand.x", 0, 3, { category: "brand", suggestions: [""] })), false, "a removal is read first");
  });
});
