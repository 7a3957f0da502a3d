// Which network a page belongs to, and which sites the extension checks.

/** The networks the extension knows, with the hosts it runs on by default. */
export const BUILT_IN_SITES = Object.freeze([
  { id: "x", label: "X", hosts: ["x.com", "twitter.com"] },
  { id: "facebook", label: "Facebook", hosts: ["facebook.com"] },
  { id: "linkedin", label: "LinkedIn", hosts: ["linkedin.com"] },
  { id: "instagram", label: "Instagram", hosts: ["instagram.com"] },
  { id: "threads", label: "Threads", hosts: ["threads.net", "threads.com"] },
  { id: "bluesky", label: "Bluesky", hosts: ["bsky.app"] },
  {
    id: "mastodon",
    label: "Mastodon",
    // Any other instance is switched on from the popup; the page itself says it is Mastodon.
    hosts: ["mastodon.social", "mastodon.online", "mstdn.social", "fosstodon.org", "hachyderm.io", "mastodon.ac.uk"],
  },
]);

export const PLATFORM_LABELS = Object.freeze({
  ...Object.fromEntries(BUILT_IN_SITES.map((site) => [site.id, site.label])),
  generic: "Any site",
});

function hostMatches(hostname, host) {
  return hostname === host || hostname.endsWith(`.${host}`);
}

/** The built-in site a hostname belongs to, or null. */
export function builtInSiteFor(hostname) {
  const name = String(hostname || "").toLowerCase();
  return BUILT_IN_SITES.find((site) => site.hosts.some((host) => hostMatches(name, host))) || null;
}

/**
 * The platform id to check a draft against.
 * @param {string} hostname the page's host
 * @param {{looksLikeMastodon?: boolean}} signals what the page's DOM says about itself
 */
export function detectPlatform(hostname, { looksLikeMastodon = false } = {}) {
  const site = builtInSiteFor(hostname);
  if (site) return site.id;
  if (looksLikeMastodon) return "mastodon";
  return "generic";
}

/** Match patterns for the content script on every built-in host. */
export function builtInMatchPatterns() {
  return BUILT_IN_SITES.flatMap((site) => site.hosts.map((host) => `https://*.${host}/*`));
}

/**
 * A site the user typed or the popup offered, as an origin ("https://example.org").
 * Throws a RangeError with a message the options page can show.
 */
export function normaliseSiteOrigin(input) {
  const raw = String(input || "").trim();
  if (!raw) throw new RangeError("Type a web address, such as https://mastodon.example.ac.uk");
  let url;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw new RangeError(`“${raw}” is not a web address.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new RangeError("Only http and https sites can be checked.");
  }
  return `${url.protocol}//${url.hostname}`;
}

/** The match pattern for a site origin (every port and path on that host). */
export function originToMatchPattern(origin) {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/**
 * Whether the extension should check drafts on this page.
 * @param {URL|string} pageUrl
 * @param {{sites: Record<string, boolean>, customSites: string[]}} settings
 */
export function isSiteEnabled(pageUrl, settings) {
  const url = new URL(pageUrl);
  const site = builtInSiteFor(url.hostname);
  if (site) return settings.sites[site.id] !== false;
  return settings.customSites.some((origin) => {
    try {
      const custom = new URL(origin);
      return custom.protocol === url.protocol && custom.hostname === url.hostname;
    } catch {
      return false;
    }
  });
}

/** "Profile or page settings" pages, where an image put into a file input is an avatar. */
export function looksLikeProfilePage(pageUrl) {
  const url = new URL(pageUrl);
  return /(profile|settings|edit|avatar|photo|picture|account|about|page)/i.test(url.pathname + url.hash);
}
