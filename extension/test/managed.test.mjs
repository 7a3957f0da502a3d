import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { BUILT_IN_SITES } from "../lib/platforms.js";
import { DEFAULT_SETTINGS, PROFILES, applyManaged, isManaged, loadManaged, loadSettings, saveSettings } from "../lib/settings.js";

const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(EXTENSION, "manifest.json"), "utf8"));
const schema = JSON.parse(readFileSync(join(EXTENSION, manifest.storage.managed_schema), "utf8"));

function memoryStorage(initial = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    async get(keys) {
      const wanted = keys === null ? [...data.keys()] : keys;
      return Object.fromEntries(wanted.filter((key) => data.has(key)).map((key) => [key, structuredClone(data.get(key))]));
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) data.set(key, structuredClone(value));
    },
  };
}

describe("managed_schema.json", () => {
  it("is a schema Chrome accepts: an object at the top, no additionalProperties, a type on each", () => {
    assert.equal(schema.type, "object");
    assert.equal(schema.additionalProperties, undefined);
    const walk = (node) => {
      assert.equal(typeof node.type, "string");
      for (const child of Object.values(node.properties || {})) walk(child);
      if (node.items) walk(node.items);
    };
    walk(schema);
  });

  it("lets IT set every setting the extension has, and the profiles and sites it knows", () => {
    assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(DEFAULT_SETTINGS).sort());
    assert.deepEqual(schema.properties.profile.enum, PROFILES.map((profile) => profile.id));
    assert.deepEqual(Object.keys(schema.properties.sites.properties), BUILT_IN_SITES.map((site) => site.id));
  });

  it("keeps the extension's ID stable with a key", () => {
    assert.match(manifest.key, /^MIIB[A-Za-z0-9+/=]+$/);
  });
});

describe("managed settings", () => {
  it("win over the user's own and are listed as managed", () => {
    const stored = { serverUrl: "http://127.0.0.1:9000", token: "mine", profile: "department", sites: { x: false, facebook: false } };
    const managed = { serverUrl: "https://socialcheck.example.ac.uk/", profile: "corporate", sites: { x: true } };
    const settings = applyManaged(stored, managed);
    assert.equal(settings.serverUrl, "https://socialcheck.example.ac.uk");
    assert.equal(settings.profile, "corporate");
    assert.equal(settings.token, "mine");
    assert.equal(settings.sites.x, true);
    assert.equal(settings.sites.facebook, false); // not managed: the user's choice stands
    assert.deepEqual(settings.managed.sort(), ["profile", "serverUrl", "sites.x"]);
    assert.ok(isManaged(settings, "sites.x") && !isManaged(settings, "token"));
  });

  it("ignore a pushed value that is not valid, keeping the user's", () => {
    const settings = applyManaged({ serverUrl: "http://127.0.0.1:9000" }, { serverUrl: "not a url", profile: "nobody", sites: { x: "yes" } });
    assert.equal(settings.serverUrl, "http://127.0.0.1:9000");
    assert.equal(settings.profile, "corporate");
    assert.deepEqual(settings.managed, []);
  });

  it("are read from chrome.storage.managed, and saving never writes them into local storage", async () => {
    const local = memoryStorage({ profile: "department" });
    const managed = memoryStorage({ profile: "corporate", token: "from-it-0123456789" });
    assert.equal((await loadSettings(local, managed)).profile, "corporate");
    const after = await saveSettings({ serverUrl: "http://127.0.0.1:8800" }, local, managed);
    assert.equal(after.profile, "corporate");
    assert.equal(after.serverUrl, "http://127.0.0.1:8800");
    assert.equal(local.data.get("profile"), "department");
    assert.equal(local.data.get("token"), "");
  });

  it("are none where the browser has no managed storage or refuses to read it (Firefox without a policy)", async () => {
    assert.deepEqual(await loadManaged(undefined), {});
    assert.deepEqual(await loadManaged({ get: async () => { throw new Error("Managed storage manifest not found"); } }), {});
  });
});
