// The network a user chose for a site the extension does not know (a scheduler such as
// Hootsuite, Buffer, Sprout Social, Meta Business Suite or Later), remembered per site in
// chrome.storage.local under one key of its own.

import { PLATFORM_LABELS } from "./platforms.js";

export const SITE_PLATFORMS_KEY = "sitePlatforms";
const MAX_SITES = 200;

/** What a choice is remembered under: the page's origin (scheme, host and port). */
export function siteKey(location) {
  return `${location.protocol}//${location.host}`;
}

/** A stored choice, or null for one that is missing or no longer a known network. */
export function validChoice(value) {
  return typeof value === "string" && Object.hasOwn(PLATFORM_LABELS, value) ? value : null;
}

export async function chosenPlatform(site, storage = globalThis.chrome.storage.local) {
  const stored = (await storage.get(SITE_PLATFORMS_KEY))[SITE_PLATFORMS_KEY];
  return stored && typeof stored === "object" ? validChoice(stored[site]) : null;
}

/** Remember a choice ("generic" forgets it). Keeps at most MAX_SITES, the newest. */
export async function rememberPlatform(site, platform, storage = globalThis.chrome.storage.local) {
  const choice = validChoice(platform);
  if (!choice) throw new RangeError(`“${platform}” is not a network the extension knows.`);
  const stored = (await storage.get(SITE_PLATFORMS_KEY))[SITE_PLATFORMS_KEY];
  const sites = stored && typeof stored === "object" ? { ...stored } : {};
  delete sites[site];
  if (choice !== "generic") sites[site] = choice;
  const kept = Object.fromEntries(Object.entries(sites).slice(-MAX_SITES));
  await storage.set({ [SITE_PLATFORMS_KEY]: kept });
  return kept;
}
