// The service worker: the only part of the extension that talks to the Socialcheck server.
// Content scripts, the popup and the options page send it messages. It keeps no state in
// globals (Chrome stops it when idle): settings live in chrome.storage.local and the last
// known server state in chrome.storage.session.

import {
  ServerError,
  describePack,
  dictionaryRequest,
  findingGuidance,
  healthRequest,
  imageCheckRequest,
  policyRequest,
  send,
  textCheckRequest,
} from "./lib/api.js";
import { originToMatchPattern } from "./lib/platforms.js";
import { loadSettings } from "./lib/settings.js";

const CUSTOM_SCRIPT_ID = "socialcheck-custom-sites";
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

async function rememberServerState(state) {
  await chrome.storage.session.set({ serverState: { ...state, at: Date.now() } });
  await chrome.action.setBadgeText({ text: state.reachable ? "" : "!" });
  if (!state.reachable) await chrome.action.setBadgeBackgroundColor({ color: "#b00020" });
  // The toolbar button's tooltip names the policy pack in force (from /v1/health).
  if (state.reachable && state.pack) await chrome.action.setTitle({ title: `Socialcheck · ${describePack(state.pack)}` });
  else if (!state.reachable) await chrome.action.setTitle({ title: "Socialcheck · server not running" });
}

function failure(error) {
  if (error instanceof ServerError) return { ok: false, error: error.toJSON() };
  return { ok: false, error: { code: "internal", message: `Something went wrong in the extension: ${error}` } };
}

// The policy document of each server, for the cards' advice and handbook links: asked for once
// per worker life (it changes only when the server restarts with another pack).
const policyDocuments = new Map();

function guidanceFor(settings) {
  let pending = policyDocuments.get(settings.serverUrl);
  if (!pending) {
    pending = send(policyRequest(settings), settings.serverUrl, { timeoutMs: 5000 }).then(findingGuidance, (error) => {
      policyDocuments.delete(settings.serverUrl); // asked again next time
      throw error;
    });
    policyDocuments.set(settings.serverUrl, pending);
  }
  return pending;
}

async function checkText({ text, platform }) {
  if (typeof text !== "string") throw new ServerError("bad-request", "There is no text to check.");
  const settings = await loadSettings();
  const guidance = guidanceFor(settings).catch(() => null); // asked at the same time as the check
  const ask = (platformId) =>
    send(
      textCheckRequest({ serverUrl: settings.serverUrl, token: settings.token, text, platform: platformId, profile: settings.profile }),
      settings.serverUrl,
    );
  let result;
  try {
    result = await ask(platform || "generic");
  } catch (error) {
    // A policy without this network still checks the words, against no platform limit.
    if (error instanceof ServerError && error.status === 400 && /platform/i.test(`${error.code} ${error.message}`) && platform !== "generic") {
      result = await ask("generic");
      result.platformFallback = platform;
    } else {
      throw error;
    }
  }
  const guide = await guidance;
  if (guide && Array.isArray(result.findings)) result.findings = result.findings.map(guide);
  return result;
}

async function dictionary({ action, word }) {
  const settings = await loadSettings();
  if ((action === "add" || action === "remove") && (typeof word !== "string" || !word.trim())) {
    throw new ServerError("bad-request", "There is no word to add or remove.");
  }
  const answer = await send(dictionaryRequest(settings, action, typeof word === "string" ? word.trim() : ""), settings.serverUrl);
  // Every checked box in every tab rechecks: a cached answer must not survive the change.
  if (action === "add" || action === "remove") await chrome.storage.local.set({ dictionaryChangedAt: Date.now() });
  return answer;
}

async function panelShortcut() {
  const command = (await chrome.commands.getAll()).find((c) => c.name === "open-panel");
  return { shortcut: command ? command.shortcut : "" };
}

/** The panel's shortcut was pressed: the tab's content script opens the panel. */
async function openPanelInTab(tabId) {
  if (typeof tabId !== "number") return false;
  try {
    const answer = await chrome.tabs.sendMessage(tabId, { type: "open-panel" });
    return Boolean(answer && answer.opened);
  } catch {
    return false; // no content script on this page
  }
}
globalThis.openPanelInTab = openPanelInTab; // for the browser tests, which cannot press browser shortcuts

chrome.commands.onCommand.addListener((command, tab) => {
  if (command === "open-panel" && tab) openPanelInTab(tab.id);
});

function dataUrlToBlob(dataUrl) {
  const match = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(String(dataUrl || ""));
  if (!match || !match[2]) throw new ServerError("bad-request", "The image could not be read.");
  const binary = atob(match[3]);
  if (binary.length > MAX_IMAGE_BYTES) throw new ServerError("too-large", "That image is larger than 20 MB, too large to check.");
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: match[1] || "application/octet-stream" });
}

async function checkImage({ dataUrl, filename, platform }) {
  const settings = await loadSettings();
  const image = dataUrlToBlob(dataUrl);
  return send(
    imageCheckRequest({
      serverUrl: settings.serverUrl,
      token: settings.token,
      image,
      filename,
      // Profile images have no "generic" platform: without one the server uses its default.
      platform: platform && platform !== "generic" ? platform : undefined,
      profile: settings.profile,
    }),
    settings.serverUrl,
  );
}

async function health() {
  const settings = await loadSettings();
  try {
    const answer = await send(healthRequest(settings), settings.serverUrl, { timeoutMs: 5000 });
    await rememberServerState({ reachable: true, version: answer.version ?? null, engines: answer.engines ?? null, pack: answer.pack ?? null });
    return { ...answer, serverUrl: settings.serverUrl };
  } catch (error) {
    await rememberServerState({ reachable: false, error: error instanceof ServerError ? error.toJSON() : String(error) });
    throw error;
  }
}

const HANDLERS = {
  "check-text": checkText,
  "check-image": checkImage,
  health,
  "sync-sites": async () => ({ registered: await syncCustomSites() }),
  "dictionary-list": () => dictionary({ action: "list" }),
  "dictionary-add": ({ word }) => dictionary({ action: "add", word }),
  "dictionary-remove": ({ word }) => dictionary({ action: "remove", word }),
  "panel-shortcut": panelShortcut,
};

chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  const handler = message && HANDLERS[message.type];
  if (!handler) return false;
  handler(message)
    .then(async (result) => {
      if (message.type !== "health" && message.type !== "panel-shortcut") {
        const state = (await chrome.storage.session.get("serverState")).serverState;
        if (!state || !state.reachable) await rememberServerState({ reachable: true, engines: result.engines ?? null });
      }
      sendResponse({ ok: true, result });
    })
    .catch(async (error) => {
      if (error instanceof ServerError && error.code === "server-unreachable") {
        await rememberServerState({ reachable: false, error: error.toJSON() }).catch(() => {});
      }
      sendResponse(failure(error));
    });
  return true; // the answer comes asynchronously
});

/**
 * Register the content script for the sites the user switched on beyond the built-in ones,
 * where the extension has permission for them.
 */
async function syncCustomSites() {
  const settings = await loadSettings();
  const matches = [];
  for (const origin of settings.customSites) {
    const pattern = originToMatchPattern(origin);
    if (await chrome.permissions.contains({ origins: [pattern] })) matches.push(pattern);
  }
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [CUSTOM_SCRIPT_ID] });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [CUSTOM_SCRIPT_ID] });
  if (matches.length) {
    await chrome.scripting.registerContentScripts([
      {
        id: CUSTOM_SCRIPT_ID,
        matches,
        js: ["content/loader.js"],
        css: ["content/page.css"],
        runAt: "document_idle",
        persistAcrossSessions: true,
      },
    ]);
  }
  return matches;
}

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && "customSites" in changes) syncCustomSites().catch(console.error);
});
chrome.permissions.onAdded.addListener(() => syncCustomSites().catch(console.error));
chrome.permissions.onRemoved.addListener(() => syncCustomSites().catch(console.error));

chrome.runtime.onInstalled.addListener(async (details) => {
  // Keep the user's settings on update; only a new install opens the options page.
  await syncCustomSites().catch(console.error);
  if (details.reason === "install") {
    await chrome.storage.session.set({ installedAt: Date.now() });
  }
});
chrome.runtime.onStartup.addListener(() => syncCustomSites().catch(console.error));
