// The user's settings: defaults, validation, and reading them from chrome.storage.local, with
// the settings IT pushes through enterprise policy (chrome.storage.managed) winning over them.
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

/**
 * What IT pushed through enterprise policy (chrome.storage.managed, declared in
 * managed_schema.json). Firefox without a managed-storage manifest, or a browser without
 * the area, rejects the read: that is "nothing managed", not an error.
 */
export async function loadManaged(managed = globalThis.chrome?.storage?.managed) {
  if (!managed) return {};
  try {
    const items = await managed.get(null);
    return items && typeof items === "object" ? items : {};
  } catch {
    return {};
  }
}

/**
 * The user's settings with IT's managed ones laid over them: managed settings win.
 * `managed` lists what is managed, as setting names ("serverUrl") and, for sites, "sites.ID".
 */
export function applyManaged(stored = {}, managed = {}) {
  const user = withDefaults(stored);
  const pushed = {};
  const names = [];
  for (const key of KEYS) {
    // A pushed value that fails validation is ignored: the user's own setting stays in force.
    if (key !== "sites" && key in managed && isValidManaged(key, managed[key])) {
      pushed[key] = managed[key];
      names.push(key);
    }
  }
  const sites = { ...user.sites };
  if (managed.sites && typeof managed.sites === "object") {
    for (const id of Object.keys(sites)) {
      if (typeof managed.sites[id] === "boolean") {
        sites[id] = managed.sites[id];
        names.push(`sites.${id}`);
      }
    }
  }
  return { ...withDefaults({ ...user, ...pushed, sites }), managed: names };
}

function isValidManaged(key, value) {
  try {
    switch (key) {
      case "serverUrl":
        normaliseServerUrl(value);
        return true;
      case "token":
        return typeof value === "string";
      case "profile":
        return PROFILES.some((profile) => profile.id === value);
      case "customSites":
        return Array.isArray(value);
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/** Read the settings: chrome.storage.local, with managed settings (enterprise policy) winning. */
export async function loadSettings(storage = globalThis.chrome.storage.local, managed = globalThis.chrome?.storage?.managed) {
  return applyManaged(await storage.get(KEYS), await loadManaged(managed));
}

/** Whether a setting ("profile", or "sites.x") is set by the organisation and so read-only here. */
export function isManaged(settings, name) {
  return Array.isArray(settings.managed) && settings.managed.includes(name);
}

/** Save some settings (already validated by the caller's form); returns the settings now in force. */
export async function saveSettings(changes, storage = globalThis.chrome.storage.local, managed = globalThis.chrome?.storage?.managed) {
  const merged = withDefaults({ ...(await storage.get(KEYS)), ...changes });
  await storage.set(merged);
  return loadSettings(storage, managed);
}
