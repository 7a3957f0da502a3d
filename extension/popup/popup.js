// The popup: server status, the active profile, this site on or off, and the image checker.
// It asks the service worker for everything that touches the server.

import { describeGrammar, describePack, describePackProblem } from "../lib/api.js";
import { readAsDataUrl, renderImageReport } from "../lib/imagereport.js";
import { BUILT_IN_SITES, PLATFORM_LABELS, builtInSiteFor, normaliseSiteOrigin, originToMatchPattern } from "../lib/platforms.js";
import { PROFILES, isManaged, loadSettings, saveSettings } from "../lib/settings.js";

const $ = (id) => document.getElementById(id);

async function ask(message) {
  const answer = await chrome.runtime.sendMessage(message);
  if (!answer) throw new Error("The extension’s worker did not answer. Close the popup and open it again.");
  if (!answer.ok) throw Object.assign(new Error(answer.error.message), answer.error);
  return answer.result;
}

function showStartHelp(container, message) {
  container.replaceChildren();
  container.append(document.createTextNode(message));
  container.append(document.createElement("br"));
  container.append(document.createTextNode("In a terminal: "));
  const serve = document.createElement("code");
  serve.textContent = "socialcheck serve";
  const autostart = document.createElement("code");
  autostart.textContent = "socialcheck autostart on";
  container.append(serve, document.createTextNode(" (or, to start it at every login, "), autostart, document.createTextNode(")."));
  container.hidden = false;
}

async function showServer(settings) {
  $("server-url").textContent = settings.serverUrl;
  const status = $("server-status");
  try {
    const health = await ask({ type: "health" });
    status.dataset.state = "ok";
    status.textContent = health.status === "ok" || !health.status ? "Running and reachable" : `Reachable (${health.status})`;
    $("server-version").textContent = health.version || "unknown";
    $("grammar-engine").textContent = describeGrammar(health.engines);
    $("policy-pack").textContent = health.pack ? describePack(health.pack) : health.policy || "unknown";
    if (health.pack && health.pack.hash) $("policy-pack").title = `${health.pack.hash} from ${health.pack.source}`;
    const problem = describePackProblem(health.pack);
    $("pack-problem").textContent = problem;
    $("pack-problem").hidden = !problem;
    $("server-help").hidden = true;
  } catch (error) {
    status.dataset.state = "down";
    status.textContent = error.code === "server-unreachable" ? "Not running" : "Not available";
    if (error.code === "server-unreachable") showStartHelp($("server-help"), error.message);
    else {
      $("server-help").textContent = error.message;
      $("server-help").hidden = false;
    }
  }
}

function fillProfiles(settings) {
  const select = $("profile");
  for (const profile of PROFILES) {
    const option = document.createElement("option");
    option.value = profile.id;
    option.textContent = profile.label;
    select.append(option);
  }
  select.value = settings.profile;
  if (isManaged(settings, "profile")) {
    select.disabled = true;
    select.title = "Set by your organisation";
  }
  select.addEventListener("change", () => saveSettings({ profile: select.value }));
}

async function showSite(settings) {
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  if (!tab || !tab.url || !/^https?:/.test(tab.url)) return;
  const url = new URL(tab.url);
  const site = builtInSiteFor(url.hostname);
  const section = $("site-section");
  const status = $("site-status");
  const button = $("site-toggle");
  section.hidden = false;
  const render = (current) => {
    const on = site ? current.sites[site.id] : current.customSites.includes(normaliseSiteOrigin(url.origin));
    status.textContent = `Checking is ${on ? "on" : "off"} for ${url.hostname}${site ? ` (${site.label})` : ""}.`;
    button.textContent = on ? "Switch off for this site" : "Switch on for this site";
    return on;
  };
  let on = render(settings);
  if (isManaged(settings, site ? `sites.${site.id}` : "customSites")) {
    button.disabled = true;
    button.title = "Set by your organisation";
  }
  button.addEventListener("click", async () => {
    const origin = normaliseSiteOrigin(url.origin);
    // Asked first, before any await, while Chrome still counts the click: it asks the user.
    const permission = !site && !on ? chrome.permissions.request({ origins: [originToMatchPattern(origin)] }) : null;
    const current = await loadSettings();
    if (site) {
      const next = await saveSettings({ sites: { ...current.sites, [site.id]: !on } });
      on = render(next);
      return;
    }
    if (on) {
      const next = await saveSettings({ customSites: current.customSites.filter((item) => item !== origin) });
      on = render(next);
      return;
    }
    if (!(await permission)) {
      status.textContent = `Socialcheck needs your permission to read drafts on ${url.hostname}.`;
      return;
    }
    const next = await saveSettings({ customSites: [...current.customSites, origin] });
    on = render(next);
    await ask({ type: "sync-sites" });
    await chrome.scripting.insertCSS({ target: { tabId: tab.id }, files: ["content/page.css"] });
    await chrome.scripting.executeScript({ target: { tabId: tab.id }, files: ["content/loader.js"] });
  });
}

function fillPlatforms() {
  const select = $("image-platform");
  for (const id of BUILT_IN_SITES.map((site) => site.id)) {
    const option = document.createElement("option");
    option.value = id;
    option.textContent = PLATFORM_LABELS[id];
    select.append(option);
  }
  select.value = "x";
}

async function checkImage(file) {
  const result = $("image-result");
  result.replaceChildren();
  if (!file) return;
  if (!file.type.startsWith("image/")) {
    result.textContent = `“${file.name}” is not an image. Drop a PNG, JPEG, GIF or WebP file.`;
    result.className = "error-text";
    return;
  }
  result.className = "";
  result.textContent = `Checking ${file.name}…`;
  try {
    const dataUrl = await readAsDataUrl(file);
    const report = await ask({ type: "check-image", dataUrl, filename: file.name, platform: $("image-platform").value });
    renderImageReport(result, report);
    result.dataset.checked = file.name;
  } catch (error) {
    result.className = "error-text";
    result.textContent = error.message;
  }
}

function wireImageChecker() {
  const zone = $("drop-zone");
  const input = $("image-file");
  zone.addEventListener("click", () => input.click());
  zone.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") input.click();
  });
  input.addEventListener("change", () => checkImage(input.files[0]));
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    checkImage(event.dataTransfer.files[0]);
  });
  // A file dropped anywhere on the popup is meant for the checker, not to open in a tab.
  document.addEventListener("dragover", (event) => event.preventDefault());
  document.addEventListener("drop", (event) => {
    if (event.target === zone || zone.contains(event.target)) return;
    event.preventDefault();
    checkImage(event.dataTransfer.files[0]);
  });
}

async function main() {
  const settings = await loadSettings();
  fillProfiles(settings);
  fillPlatforms();
  wireImageChecker();
  showSite(settings).catch(() => {});
  await showServer(settings);
}

main();
