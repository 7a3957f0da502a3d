// The options page: server address, token, profile, and which sites are checked. Everything is
// kept in chrome.storage.local, where the worker and the content scripts read it.

import { describeGrammar } from "../lib/api.js";
import { BUILT_IN_SITES, normaliseSiteOrigin, originToMatchPattern } from "../lib/platforms.js";
import { PROFILES, isManaged, loadSettings, normaliseServerUrl, saveSettings } from "../lib/settings.js";

const $ = (id) => document.getElementById(id);
let customSites = [];
let current = { managed: [] }; // the settings in force, with what the organisation manages

/** Show a setting pushed by the organisation (enterprise policy) as read-only. */
function markManaged(input, where = input) {
  input.disabled = true;
  input.dataset.managed = "true";
  const note = document.createElement("span");
  note.className = "managed";
  note.textContent = "Set by your organisation";
  where.after(note);
}

function say(id, text, kind) {
  const node = $(id);
  node.textContent = text;
  node.className = kind || "";
}

function choice(type, name, value, label, checked) {
  const wrapper = document.createElement("div");
  wrapper.className = "choice";
  const input = document.createElement("input");
  input.type = type;
  input.name = name;
  input.value = value;
  input.id = `${name}-${value}`;
  input.checked = checked;
  const text = document.createElement("label");
  text.htmlFor = input.id;
  text.textContent = label;
  wrapper.append(input, text);
  return wrapper;
}

function renderCustomSites() {
  const list = $("custom-sites");
  list.replaceChildren();
  if (customSites.length === 0) {
    const empty = document.createElement("li");
    empty.textContent = "None yet.";
    list.append(empty);
  }
  for (const origin of customSites) {
    const item = document.createElement("li");
    item.textContent = `${origin} `;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Remove";
    remove.addEventListener("click", async () => {
      customSites = customSites.filter((site) => site !== origin);
      await saveSettings({ customSites });
      chrome.permissions.remove({ origins: [originToMatchPattern(origin)] }).catch(() => {});
      renderCustomSites();
    });
    item.append(remove);
    list.append(item);
  }
}

async function addSite() {
  let origin;
  try {
    origin = normaliseSiteOrigin($("new-site").value);
  } catch (error) {
    say("save-result", error.message, "invalid");
    return;
  }
  // Asked straight from the click, as Chrome requires: the user grants this one site.
  const granted = await chrome.permissions.request({ origins: [originToMatchPattern(origin)] });
  if (!granted) {
    say("save-result", `Without your permission Socialcheck cannot read drafts on ${origin}.`, "invalid");
    return;
  }
  if (!customSites.includes(origin)) customSites.push(origin);
  await saveSettings({ customSites });
  $("new-site").value = "";
  renderCustomSites();
  say("save-result", `Socialcheck now checks drafts on ${origin}. Reload its open tabs.`, "good");
}

async function save(event) {
  event.preventDefault();
  const changes = {};
  if (!isManaged(current, "serverUrl")) {
    let serverUrl;
    try {
      serverUrl = normaliseServerUrl($("server-url").value);
    } catch (error) {
      say("save-result", error.message, "invalid");
      $("server-url").focus();
      return;
    }
    // Requested straight from the click (no await before it), as Chrome requires; for
    // 127.0.0.1 and localhost the extension has permission already and nobody is asked.
    const pattern = originToMatchPattern(serverUrl);
    if (!(await chrome.permissions.request({ origins: [pattern] }))) {
      say("save-result", `Socialcheck needs your permission to reach ${serverUrl}. Nothing was saved.`, "invalid");
      return;
    }
    changes.serverUrl = serverUrl;
  }
  const form = new FormData($("settings"));
  // Managed settings are not the user's to save: their own value is kept underneath.
  const own = (await chrome.storage.local.get("sites")).sites || {};
  changes.sites = Object.fromEntries(
    BUILT_IN_SITES.map((site) => [site.id, isManaged(current, `sites.${site.id}`) ? own[site.id] ?? true : form.getAll("site").includes(site.id)]),
  );
  if (!isManaged(current, "token")) changes.token = $("token").value;
  if (!isManaged(current, "profile")) changes.profile = form.get("profile");
  if (!isManaged(current, "customSites")) changes.customSites = customSites;
  current = await saveSettings(changes);
  $("server-url").value = current.serverUrl;
  say("save-result", "Saved.", "good");
}

async function testConnection() {
  say("connection-result", "Trying…");
  const answer = await chrome.runtime.sendMessage({ type: "health" });
  if (answer && answer.ok) {
    say("connection-result", `Connected: version ${answer.result.version || "unknown"}; grammar: ${describeGrammar(answer.result.engines)}.`, "good");
  } else {
    say("connection-result", answer ? answer.error.message : "The extension’s worker did not answer.", "invalid");
  }
}

function showManaged(settings) {
  if (isManaged(settings, "serverUrl")) markManaged($("server-url"));
  if (isManaged(settings, "token")) markManaged($("token"));
  if (isManaged(settings, "profile")) {
    for (const input of document.querySelectorAll('input[name="profile"]')) input.disabled = true;
    markManaged(document.createElement("input"), $("profiles").lastElementChild);
  }
  for (const site of BUILT_IN_SITES) {
    if (isManaged(settings, `sites.${site.id}`)) markManaged($(`site-${site.id}`), $(`site-${site.id}`).nextElementSibling);
  }
  if (isManaged(settings, "customSites")) {
    for (const button of $("custom-sites").querySelectorAll("button")) button.disabled = true;
    markManaged($("new-site"));
    $("add-site").disabled = true;
  }
  $("managed-note").hidden = settings.managed.length === 0;
}

async function main() {
  const settings = await loadSettings();
  current = settings;
  $("server-url").value = settings.serverUrl;
  $("token").value = settings.token;
  for (const profile of PROFILES) {
    $("profiles").append(choice("radio", "profile", profile.id, profile.label, settings.profile === profile.id));
  }
  for (const site of BUILT_IN_SITES) {
    $("sites").append(choice("checkbox", "site", site.id, `${site.label} (${site.hosts.join(", ")})`, settings.sites[site.id]));
  }
  customSites = [...settings.customSites];
  renderCustomSites();
  showManaged(settings);
  $("settings").addEventListener("submit", save);
  $("add-site").addEventListener("click", addSite);
  $("test-connection").addEventListener("click", testConnection);
}

main();
