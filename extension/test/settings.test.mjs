import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  builtInMatchPatterns,
  detectPlatform,
  isSiteEnabled,
  looksLikeProfilePage,
  normaliseSiteOrigin,
  originToMatchPattern,
} from "../lib/platforms.js";
import { DEFAULT_SERVER_URL, loadSettings, normaliseServerUrl, saveSettings, withDefaults } from "../lib/settings.js";

/** chrome.storage.local's get/set, kept in a Map (the shape the extension calls). */
function memoryStorage(initial = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    async get(keys) {
      return Object.fromEntries(keys.filter((key) => data.has(key)).map((key) => [key, structuredClone(data.get(key))]));
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) data.set(key, structuredClone(value));
    },
  };
}

describe("detectPlatform", () => {
  const cases = [
    ["x.com", "x"],
    ["mobile.twitter.com", "x"],
    ["www.facebook.com", "facebook"],
    ["www.linkedin.com", "linkedin"],
    ["www.instagram.com", "instagram"],
    ["www.threads.net", "threads"],
    ["bsky.app", "bluesky"],
    ["mastodon.social", "mastodon"],
    ["notx.com", "generic"],
    ["example.org", "generic"],
  ];
  for (const [host, platform] of cases) it(`${host} is ${platform}`, () => assert.equal(detectPlatform(host), platform));
  it("an unknown host whose page says it is Mastodon", () =>
    assert.equal(detectPlatform("social.example.ac.uk", { looksLikeMastodon: true }), "mastodon"));
});

describe("sites", () => {
  it("match patterns cover every built-in host and its subdomains", () => {
    const patterns = builtInMatchPatterns();
    assert.ok(patterns.includes("https://*.x.com/*"));
    assert.ok(patterns.includes("https://*.bsky.app/*"));
    assert.ok(patterns.every((pattern) => /^https:\/\/\*\.[a-z.]+\/\*$/.test(pattern)));
  });

  it("normalises what a user types to an origin without port or path", () => {
    assert.equal(normaliseSiteOrigin(" mastodon.example.ac.uk/home "), "https://mastodon.example.ac.uk");
    assert.equal(normaliseSiteOrigin("http://127.0.0.1:8080/page.html"), "http://127.0.0.1");
    assert.equal(originToMatchPattern("http://127.0.0.1"), "http://127.0.0.1/*");
    assert.throws(() => normaliseSiteOrigin(""), /web address/);
    assert.throws(() => normaliseSiteOrigin("ftp://example.org"), /http and https/);
  });

  it("switches built-in sites off and custom sites on", () => {
    const settings = withDefaults({ sites: { x: false }, customSites: ["http://127.0.0.1"] });
    assert.equal(isSiteEnabled("https://x.com/compose/post", settings), false);
    assert.equal(isSiteEnabled("https://www.linkedin.com/feed/", settings), true);
    assert.equal(isSiteEnabled("http://127.0.0.1:5555/compose.html", settings), true);
    assert.equal(isSiteEnabled("https://127.0.0.1/", settings), false);
    assert.equal(isSiteEnabled("https://example.org/", settings), false);
  });

  it("recognises profile and page-settings pages", () => {
    assert.equal(looksLikeProfilePage("https://x.com/settings/profile"), true);
    assert.equal(looksLikeProfilePage("https://bsky.app/profile/someone.bsky.social"), true);
    assert.equal(looksLikeProfilePage("https://x.com/home"), false);
  });
});

describe("settings", () => {
  it("fills in defaults and drops damaged values", () => {
    const settings = withDefaults({ serverUrl: "not a url", profile: "marketing", sites: { x: "yes" }, customSites: ["", "a.example"] });
    assert.equal(settings.serverUrl, DEFAULT_SERVER_URL);
    assert.equal(settings.profile, "corporate");
    assert.equal(settings.sites.x, true);
    assert.deepEqual(settings.customSites, ["https://a.example"]);
  });

  it("checks the server address", () => {
    assert.equal(normaliseServerUrl(" http://127.0.0.1:9000/ "), "http://127.0.0.1:9000");
    assert.equal(normaliseServerUrl("https://check.example.ac.uk/socialcheck/"), "https://check.example.ac.uk/socialcheck");
    assert.throws(() => normaliseServerUrl("127.0.0.1:8765"), /not a web address/);
    assert.throws(() => normaliseServerUrl("localhost:8765"), /starts with http:\/\/ or https:\/\//);
    assert.throws(() => normaliseServerUrl("http://a.example/?x=1"), /no \? or #/);
    assert.throws(() => normaliseServerUrl(""), /server’s address/);
  });

  it("saves and loads through chrome.storage.local's interface", async () => {
    const storage = memoryStorage({ token: " secret " });
    await saveSettings({ profile: "department", customSites: ["http://localhost:3000"] }, storage);
    const loaded = await loadSettings(storage);
    assert.equal(loaded.profile, "department");
    assert.equal(loaded.token, "secret");
    assert.deepEqual(loaded.customSites, ["http://localhost"]);
    assert.equal(storage.data.get("profile"), "department");
  });
});
