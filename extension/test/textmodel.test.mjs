import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { buildTextModel, offsetToPoint, pointToOffset, spanToBoundaries } from "../lib/textmodel.js";
import { h, text } from "./dom.mjs";

/** The text a DOM range over the model's boundaries covers, computed from the nodes. */
function coveredText(model, boundaries) {
  const nodes = model.segments.map((segment) => segment.node);
  const from = nodes.indexOf(boundaries.startNode);
  const to = nodes.indexOf(boundaries.endNode);
  if (from === to) return boundaries.startNode.nodeValue.slice(boundaries.startOffset, boundaries.endOffset);
  let out = boundaries.startNode.nodeValue.slice(boundaries.startOffset);
  for (let i = from + 1; i < to; i += 1) out += `|${nodes[i].nodeValue}`;
  return `${out}|${boundaries.endNode.nodeValue.slice(0, boundaries.endOffset)}`;
}

describe("buildTextModel", () => {
  const cases = [
    ["plain text", h("div", "Hello world"), "Hello world"],
    ["Chrome's plain contenteditable (first line bare, then divs)", h("div", "one", h("div", "two"), h("div", "three")), "one\ntwo\nthree"],
    ["a <br> between lines", h("div", "one", h("br"), "two"), "one\ntwo"],
    ["a trailing <br> holds the line open and is not a newline", h("div", "one", h("br")), "one"],
    [
      "Lexical paragraphs with an empty one between",
      h("div", h("p", h("span", "Hello")), h("p", h("br")), h("p", h("span", "World"))),
      "Hello\n\nWorld",
    ],
    [
      "Draft.js blocks",
      h("div", h("div", h("div", h("span", h("span", "first")))), h("div", h("div", h("span", h("span", "second"))))),
      "first\nsecond",
    ],
    [
      "ProseMirror's trailing break after text",
      h("div", h("p", "text", h("br")), h("p", "more")),
      "text\nmore",
    ],
    ["an empty first paragraph", h("div", h("p", h("br")), h("p", "x")), "\nx"],
    ["text after a block", h("div", h("div", "a"), "tail"), "a\ntail"],
    ["no-break spaces read as spaces", h("div", "a\u00a0b"), "a b"],
    ["scripts and styles are not text", h("div", "a", h("style", "p{}"), "b"), "ab"],
    ["an empty editor", h("div"), ""],
    ["an empty Lexical editor", h("div", h("p", h("br"))), ""],
  ];
  for (const [name, root, expected] of cases) {
    it(name, () => assert.equal(buildTextModel(root).text, expected));
  }

  it("maps every text node to its place in the text", () => {
    const root = h("div", h("p", "🎉 HUGE"), h("p", " news"));
    const model = buildTextModel(root);
    for (const segment of model.segments) {
      assert.equal(model.text.slice(segment.start, segment.end), segment.node.nodeValue);
    }
  });
});

describe("spanToBoundaries", () => {
  it("keeps UTF-16 offsets after an emoji (a surrogate pair counts 2)", () => {
    const draft = "🎉 HUGE news from Leicester Uni";
    const root = h("div", h("p", draft));
    const model = buildTextModel(root);
    const start = draft.indexOf("HUGE");
    assert.equal(start, 3);
    const boundaries = spanToBoundaries(model, start, start + 4);
    assert.equal(coveredText(model, boundaries), "HUGE");
  });

  it("covers a span split over several text nodes", () => {
    const root = h("div", h("p", h("span", "Leicester "), h("strong", "Uni"), h("span", " rocks")));
    const model = buildTextModel(root);
    const start = model.text.indexOf("Leicester Uni");
    const boundaries = spanToBoundaries(model, start, start + "Leicester Uni".length);
    assert.equal(coveredText(model, boundaries), "Leicester |Uni");
  });

  it("starts in the next paragraph when a span starts at a line break boundary", () => {
    const root = h("div", h("p", "one"), h("p", "two"));
    const model = buildTextModel(root);
    assert.equal(model.text, "one\ntwo");
    const boundaries = spanToBoundaries(model, 4, 7);
    assert.equal(boundaries.startNode.nodeValue, "two");
    assert.equal(boundaries.startOffset, 0);
    assert.equal(coveredText(model, boundaries), "two");
  });

  it("ends in the previous node when a span ends at a node boundary", () => {
    const root = h("div", h("span", "abc"), h("span", "def"));
    const model = buildTextModel(root);
    const boundaries = spanToBoundaries(model, 0, 3);
    assert.equal(boundaries.endNode.nodeValue, "abc");
    assert.equal(boundaries.endOffset, 3);
  });

  it("refuses spans outside the text or empty", () => {
    const model = buildTextModel(h("div", "short"));
    assert.equal(spanToBoundaries(model, 2, 99), null);
    assert.equal(spanToBoundaries(model, -1, 2), null);
    assert.equal(spanToBoundaries(model, 3, 3), null);
    assert.equal(spanToBoundaries(buildTextModel(h("div")), 0, 1), null);
  });
});

describe("offsetToPoint and pointToOffset", () => {
  it("are inverse for every offset inside text nodes", () => {
    const root = h("div", h("p", "ab", h("em", "cd")), h("p", "ef"));
    const model = buildTextModel(root);
    for (let offset = 0; offset <= model.text.length; offset += 1) {
      if (model.text[offset] === "\n") continue;
      const point = offsetToPoint(model, offset, "forward");
      assert.equal(pointToOffset(model, point.node, point.offset), offset, `offset ${offset}`);
    }
  });

  it("answers null for a node the model does not know", () => {
    const model = buildTextModel(h("div", "x"));
    assert.equal(pointToOffset(model, text("other"), 0), null);
  });
});
