// The user's settings: defaults, validation, and reading them from chrome.storage.local.
// Every context (worker, content script, popup, options) reads them from storage, never from
// a worker global: the worker may be stopped at any time.

import { BUILT_IN_SITES, normaliseSiteOrigin } from "./platforms.js";

export const DEFAULT_SERVER_URL = "http://127.0.0.1:8765";
export const PROFILES = Object.freeze([
  { id: "corporate", label: "Corporate (central University accounts)" },
  { id: "department", label: "Department, school or service" },
]);

export const DEFAULT_SETTINGS = Object.freeze({
  serverUrl: DEFAULT_SERVER_URL,
  token: "",
  profile: "corporate",
  sites: Object.freeze(Object.fromEntries(BUILT_IN_SITES.map((site) => [site.id, true]))),
  customSites: Object.freeze([]),
});

/**
 * A server address the extension may call, without a trailing slash.
 * Throws a RangeError with a message the options page can show.
 */
export function normaliseServerUrl(input) {
  const raw = String(input || "").trim();
  if (!raw) throw new RangeError("Type the server’s address, such as http://127.0.0.1:8765");
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new RangeError(`“${raw}” is not a web address. It looks like http://127.0.0.1:8765`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new RangeError("The server’s address starts with http:// or https://");
  }
  if (url.search || url.hash) throw new RangeError("The server’s address has no ? or # part.");
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

/** Settings as stored, with defaults for anything missing and unknown values dropped. */
export function withDefaults(stored = {}) {
  const sites = { ...DEFAULT_SETTINGS.sites };
  if (stored.sites && typeof stored.sites === "object") {
    for (const id of Object.keys(sites)) {
      if (typeof stored.sites[id] === "boolean") sites[id] = stored.sites[id];
    }
  }
  let serverUrl = DEFAULT_SERVER_URL;
  try {
    if (stored.serverUrl) serverUrl = normaliseServerUrl(stored.serverUrl);
  } catch {
    serverUrl = DEFAULT_SERVER_URL;
  }
  const customSites = [];
  for (const origin of Array.isArray(stored.customSites) ? stored.customSites : []) {
    try {
      const clean = normaliseSiteOrigin(origin);
      if (!customSites.includes(clean)) customSites.push(clean);
    } catch {
      // A damaged entry is dropped rather than breaking every page.
    }
  }
  return {
    serverUrl,
    token: typeof stored.token === "string" ? stored.token.trim() : "",
    profile: PROFILES.some((profile) => profile.id === stored.profile) ? stored.profile : DEFAULT_SETTINGS.profile,
    sites,
    customSites,
  };
}

const KEYS = Object.keys(DEFAULT_SETTINGS);

/** Read the settings from chrome.storage.local. */
export async function loadSettings(storage = globalThis.chrome.storage.local) {
  return withDefaults(await storage.get(KEYS));
}

/** Save some settings (already validated by the caller's form). */
export async function saveSettings(changes, storage = globalThis.chrome.storage.local) {
  const merged = withDefaults({ ...(await storage.get(KEYS)), ...changes });
  await storage.set(merged);
  return merged;
}
