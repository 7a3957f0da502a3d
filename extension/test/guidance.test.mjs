import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { CLIENT_HEADER, dictionaryRequest, findingGuidance } from "../lib/api.js";

const manifest = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "manifest.json"), "utf8"));

describe("the panel's command", () => {
  it("is declared under commands with a default users can rebind", () => {
    const command = manifest.commands["open-panel"];
    assert.equal(command.suggested_key.default, "Alt+Shift+S");
    assert.match(command.description, /findings/);
  });
});

describe("the dictionary's requests", () => {
  const settings = { serverUrl: "http://127.0.0.1:8765", token: "t" };
  it("lists, adds with a JSON body, and removes by path, always with the client header", () => {
    assert.equal(dictionaryRequest(settings).init.method, "GET");
    const add = dictionaryRequest(settings, "add", "Hartley");
    assert.equal(add.init.method, "POST");
    assert.deepEqual(JSON.parse(add.init.body), { word: "Hartley" });
    const remove = dictionaryRequest(settings, "remove", "O'Neill/x");
    assert.equal(remove.url, "http://127.0.0.1:8765/v1/dictionary/O'Neill%2Fx");
    assert.equal(remove.init.method, "DELETE");
    for (const request of [add, remove]) assert.equal(request.init.headers[CLIENT_HEADER], "extension");
  });
});

describe("a finding's guidance", () => {
  const policy = {
    guidelines: [
      { id: "tone", title: "Manner and tone", url: "https://le.ac.uk/social-media" },
      { id: "quality", title: "Quality: correct spelling", url: "javascript:alert(1)" },
    ],
    rules: [{ id: "tone.punctuation", guideline: "tone", advice: "Keep a single “!”." }],
  };
  const guide = findingGuidance(policy);
  it("adds the rule's advice and its handbook point's URL", () => {
    assert.deepEqual(guide({ rule: "tone.punctuation", guideline: "Manner and tone" }), {
      rule: "tone.punctuation",
      guideline: "Manner and tone",
      advice: "Keep a single “!”.",
      guidelineUrl: "https://le.ac.uk/social-media",
    });
  });
  it("finds an engine finding's handbook point by its title, and links only http(s)", () => {
    assert.equal(guide({ rule: "spelling.harper.SpellCheck", guideline: "Manner and tone" }).guidelineUrl, "https://le.ac.uk/social-media");
    assert.equal(guide({ rule: "x", guideline: "Quality: correct spelling" }).guidelineUrl, "");
    assert.equal(findingGuidance(null)({ rule: "x" }).advice, "");
  });
});
