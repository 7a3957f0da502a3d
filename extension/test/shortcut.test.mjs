import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { matchesShortcut, parseShortcut } from "../lib/shortcut.js";
import { chosenPlatform, rememberPlatform, siteKey, validChoice } from "../lib/siteplatform.js";

const key = (code, mods = {}) => ({ code, key: code.replace(/^Key/, "").toLowerCase(), altKey: false, ctrlKey: false, shiftKey: false, metaKey: false, ...mods });

describe("the panel's shortcut", () => {
  it("matches Chrome's shortcut string by the physical key, with exactly its modifiers", () => {
    assert.deepEqual(parseShortcut("Alt+Shift+S"), { alt: true, ctrl: false, shift: true, meta: false, key: "S" });
    assert.equal(matchesShortcut(key("KeyS", { altKey: true, shiftKey: true }), "Alt+Shift+S"), true);
    assert.equal(matchesShortcut({ ...key("KeyS", { altKey: true, shiftKey: true }), key: "Í" }, "Alt+Shift+S"), true);
    assert.equal(matchesShortcut(key("KeyS", { altKey: true }), "Alt+Shift+S"), false);
    assert.equal(matchesShortcut(key("KeyS", { altKey: true, shiftKey: true, ctrlKey: true }), "Alt+Shift+S"), false);
    assert.equal(matchesShortcut(key("KeyS"), ""), false, "an unbound shortcut matches nothing");
  });
});

function memoryStorage() {
  const data = {};
  return {
    data,
    async get(key) {
      return key in data ? { [key]: structuredClone(data[key]) } : {};
    },
    async set(items) {
      Object.assign(data, structuredClone(items));
    },
  };
}

describe("the network chosen for a site", () => {
  it("is remembered per site, forgotten when set back to any network, and refused when unknown", async () => {
    const storage = memoryStorage();
    const hootsuite = siteKey({ protocol: "https:", host: "hootsuite.com" });
    assert.equal(hootsuite, "https://hootsuite.com");
    assert.equal(await chosenPlatform(hootsuite, storage), null);
    await rememberPlatform(hootsuite, "x", storage);
    await rememberPlatform("https://buffer.com", "linkedin", storage);
    assert.equal(await chosenPlatform(hootsuite, storage), "x");
    assert.equal(await chosenPlatform("https://buffer.com", storage), "linkedin");
    await rememberPlatform(hootsuite, "generic", storage);
    assert.equal(await chosenPlatform(hootsuite, storage), null);
    await assert.rejects(rememberPlatform(hootsuite, "myspace", storage), RangeError);
    storage.data.sitePlatforms["https://later.com"] = "damaged";
    assert.equal(await chosenPlatform("https://later.com", storage), null);
    assert.equal(validChoice("__proto__"), null);
  });
});
