// The content script: finds compose boxes, gives each an EditorSession, runs one layout pass per
// animation frame for all of them, shows the finding card on hover or click, and checks profile
// images put into file inputs. It never changes the page's editors except when the user picks
// a suggestion.

import { readAsDataUrl, renderImageReport } from "../lib/imagereport.js";
import { detectPlatform, isSiteEnabled, looksLikeProfilePage } from "../lib/platforms.js";
import { loadSettings } from "../lib/settings.js";
import { SITE_PLATFORMS_KEY, chosenPlatform, rememberPlatform, siteKey } from "../lib/siteplatform.js";
import { matchesShortcut } from "../lib/shortcut.js";
import { EditorSession } from "./session.js";
import { UiRoot } from "./ui.js";

const MIN_EDITOR_HEIGHT = 16;
const HIDE_CARD_DELAY_MS = 350;

/** The network the page itself says it is (generic on a site the extension does not know). */
function detectedPlatform() {
  return detectPlatform(location.hostname, { looksLikeMastodon: Boolean(document.getElementById("mastodon")) });
}

/** The compose box an event target belongs to, or null. */
function editorFor(target) {
  if (!(target instanceof Element)) return null;
  if (target instanceof HTMLTextAreaElement) {
    return target.readOnly || target.disabled ? null : target;
  }
  if (!target.isContentEditable) return null;
  let root = target;
  while (root.parentElement && root.parentElement.isContentEditable) root = root.parentElement;
  return root;
}

class Page {
  constructor() {
    this.ui = new UiRoot();
    this.sessions = new Map();
    this.pointer = null;
    this.framePending = false;
    this.hideTimer = null;
    this.detected = detectedPlatform();
    // On a site of no known network (a scheduler such as Hootsuite or Buffer), the user says
    // which network the post is for, and it is remembered for the site.
    this.choosePlatform = this.detected === "generic";
    this.chosen = null;
    this.lastSession = null;
    this.panelShortcut = null;
  }

  platform() {
    return this.choosePlatform && this.chosen ? this.chosen : this.detected;
  }

  async loadPlatformChoice() {
    if (this.choosePlatform) this.chosen = await chosenPlatform(siteKey(location));
  }

  /** The session the user is working in: the focused editor's, else the last one used. */
  activeSession() {
    for (const [element, session] of this.sessions) {
      if (session && (element === document.activeElement || element.contains(document.activeElement))) return session;
    }
    if (this.lastSession && this.sessions.get(this.lastSession.element) === this.lastSession) return this.lastSession;
    return [...this.sessions.values()].find(Boolean) || null;
  }

  openPanel() {
    const session = this.activeSession();
    if (session) this.ui.panel.open(session);
    return Boolean(session);
  }

  start() {
    const targetOf = (event) => (event.composedPath ? event.composedPath()[0] : event.target);
    document.addEventListener("focusin", (event) => this.attach(editorFor(targetOf(event))), true);
    document.addEventListener("input", (event) => this.attach(editorFor(targetOf(event))), true);
    document.addEventListener("mousemove", (event) => this.onPointer(event, false), { capture: true, passive: true });
    document.addEventListener("click", (event) => this.onPointer(event, true), true);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.ui.hideCard();
      // The panel's shortcut, as bound under chrome://extensions/shortcuts. The browser
      // normally takes it first (the worker then asks us); this covers pages it reaches.
      if (this.panelShortcut && matchesShortcut(event, this.panelShortcut) && this.sessions.size) {
        if (this.openPanel()) {
          event.preventDefault();
          event.stopPropagation();
        }
      }
    }, true);
    chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
      if (message && message.type === "open-panel") sendResponse({ opened: this.openPanel() });
    });
    chrome.runtime
      .sendMessage({ type: "panel-shortcut" })
      .then((answer) => {
        if (answer && answer.ok) this.panelShortcut = answer.result.shortcut || null;
      })
      .catch(() => {});
    window.addEventListener("scroll", () => this.requestLayout(), { capture: true, passive: true });
    window.addEventListener("resize", () => this.requestLayout(), { passive: true });
    document.addEventListener("change", (event) => this.onFileChosen(targetOf(event)), true);
    // Editors come and go with the page's own navigation: forget the ones that left.
    new MutationObserver(() => this.dropDetached()).observe(document.documentElement, { childList: true, subtree: true });
    chrome.storage.onChanged.addListener((changes, area) => {
      if (area !== "local") return;
      if (SITE_PLATFORMS_KEY in changes && this.choosePlatform) {
        this.loadPlatformChoice().then(() => {
          for (const session of this.sessions.values()) if (session) session.setPlatform(this.platform());
        });
      }
      if ("profile" in changes || "serverUrl" in changes || "token" in changes || "dictionaryChangedAt" in changes) {
        for (const session of this.sessions.values()) if (session) session.recheck();
      }
      if ("sites" in changes || "customSites" in changes) {
        loadSettings().then((settings) => {
          if (!isSiteEnabled(location.href, settings)) this.stop();
        });
      }
    });
    const active = editorFor(document.activeElement);
    if (active) this.attach(active);
  }

  attach(element) {
    if (!element || this.sessions.has(element) || this.ui.isOurs(element)) return;
    const rect = element.getBoundingClientRect();
    if (rect.height < MIN_EDITOR_HEIGHT && !(element instanceof HTMLTextAreaElement)) return;
    let session;
    try {
      session = new EditorSession(element, {
        ui: this.ui,
        platform: this.platform(),
        choosePlatform: this.choosePlatform,
        onLayoutNeeded: () => this.requestLayout(),
        onChange: (changed) => {
          if (this.ui.panel.session === changed) this.ui.panel.render();
        },
      });
      session.onPlatformChosen = (id) => rememberPlatform(siteKey(location), id);
    } catch (error) {
      // Never break the page: this editor goes unchecked, and is not tried again.
      this.sessions.set(element, null);
      console.warn("Socialcheck cannot check this editor:", error);
      return;
    }
    this.sessions.set(element, session);
    element.addEventListener("focus", () => {
      this.lastSession = session;
    });
    this.lastSession = session;
    if (element instanceof HTMLTextAreaElement) {
      element.addEventListener("scroll", () => this.requestLayout(), { passive: true });
      new ResizeObserver(() => this.requestLayout()).observe(element);
    }
  }

  dropDetached() {
    for (const [element, session] of this.sessions) {
      if (!element.isConnected) {
        if (session) session.destroy();
        this.sessions.delete(element);
      }
    }
  }

  stop() {
    for (const session of this.sessions.values()) if (session) session.destroy();
    this.sessions.clear();
    this.ui.destroy();
  }

  requestLayout() {
    if (this.framePending) return;
    this.framePending = true;
    requestAnimationFrame(() => {
      this.framePending = false;
      this.layout();
    });
  }

  /** One pass per frame: every read first, then every write, so the page lays out once. */
  layout() {
    const sessions = [...this.sessions.values()].filter(Boolean);
    const measured = sessions.map((session) => session.measure());
    let hit = null;
    if (this.pointer) {
      const { x, y } = this.pointer;
      for (let i = 0; i < sessions.length && !hit; i += 1) {
        const { rect } = measured[i];
        if (x < rect.left - 4 || x > rect.right + 4 || y < rect.top - 4 || y > rect.bottom + 4) continue;
        const found = sessions[i].findingAtPoint(x, y);
        if (found) hit = { session: sessions[i], ...found };
      }
    }
    sessions.forEach((session, i) => session.place(measured[i]));
    if (this.pointer) this.updateCard(hit, this.pointer.click);
    else if (this.ui.cardState && this.ui.cardState.finding) this.repositionCard();
    this.pointer = null;
  }

  repositionCard() {
    const state = this.ui.cardState;
    const session = state.owner;
    if (!session || !this.sessions.has(session.element)) return;
    const rect = session.adapter.rectsFor(state.finding)[0];
    if (rect) this.ui.placeCard(rect);
  }

  onPointer(event, click) {
    if (this.sessions.size === 0) return;
    const path = event.composedPath ? event.composedPath() : [];
    if (path.includes(this.ui.host)) return; // on our own card or badge
    this.pointer = { x: event.clientX, y: event.clientY, click: click || (this.pointer && this.pointer.click) };
    this.requestLayout();
  }

  updateCard(hit, click) {
    const state = this.ui.cardState;
    if (hit) {
      clearTimeout(this.hideTimer);
      this.hideTimer = null;
      if (state && state.finding === hit.finding) {
        if (click) state.pinned = true;
        return;
      }
      if (state && state.pinned && !click) return;
      hit.session.showCardFor(hit.finding, click, hit.rect);
      return;
    }
    if (!state) return;
    if (click) {
      this.ui.hideCard();
      return;
    }
    if (state.pinned || this.hideTimer) return;
    this.hideTimer = setTimeout(() => {
      this.hideTimer = null;
      const current = this.ui.cardState;
      if (current && !current.pinned && !current.hovered) this.ui.hideCard();
    }, HIDE_CARD_DELAY_MS);
  }

  async onFileChosen(target) {
    if (!(target instanceof HTMLInputElement) || target.type !== "file" || !target.files) return;
    const image = [...target.files].find((file) => file.type.startsWith("image/"));
    if (!image || !looksLikeProfilePage(location.href)) return;
    const body = this.ui.showImagePanel({ title: `Profile image check: ${image.name}` });
    try {
      const dataUrl = await readAsDataUrl(image);
      const answer = await chrome.runtime.sendMessage({ type: "check-image", dataUrl, filename: image.name, platform: this.platform() });
      if (!answer || !answer.ok) {
        body.textContent = answer ? answer.error.message : "The extension’s worker did not answer.";
        return;
      }
      renderImageReport(body, answer.result);
    } catch (error) {
      body.textContent = `The image could not be checked: ${error.message || error}`;
    }
  }
}

export async function start() {
  const settings = await loadSettings();
  if (!isSiteEnabled(location.href, settings)) return;
  const page = new Page();
  await page.loadPlatformChoice();
  page.start();
}
