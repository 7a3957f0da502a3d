// Everything the extension draws on a page lives in one shadow root, outside the editors:
// badges, the finding card, textarea overlays and the image panel. Text from the server is
// only ever set with textContent.

import { PLATFORM_LABELS } from "../lib/platforms.js";
import { CATEGORY_LABELS, SEVERITY_LABELS, fallbackAdvice } from "../lib/review.js";
import { el, keepFocus } from "./dom.js";
import { FindingsPanel } from "./panel.js";

const HOST_ID = "socialcheck-ui";

let nextId = 0;
const uniqueId = (prefix) => `socialcheck-${prefix}-${(nextId += 1)}`;

export class UiRoot {
  constructor() {
    this.host = document.createElement("div");
    this.host.id = HOST_ID;
    // The page's styles must not reach in, nor ours out; the host takes no space.
    this.host.style.cssText = "all: initial; position: fixed; top: 0; left: 0; width: 0; height: 0; z-index: 2147483646;";
    this.shadow = this.host.attachShadow({ mode: "open" });
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = chrome.runtime.getURL("content/ui.css");
    this.shadow.append(style);
    this.layer = el("div", "layer");
    this.shadow.append(this.layer);
    (document.body || document.documentElement).append(this.host);
    this.card = null;
    this.cardState = null;
    this.panel = new FindingsPanel(this);
  }

  isOurs(node) {
    return node === this.host || this.host.contains(node);
  }

  // ---- badge -------------------------------------------------------------------------------

  /**
   * A badge under an editor: a button with the counts (it opens the panel) and, on a site the
   * extension does not know, a choice of network beside it.
   */
  createBadge(onClick, { choosePlatform = false, onPlatform = () => {} } = {}) {
    const group = el("div", "badge-group");
    if (choosePlatform) {
      const picker = document.createElement("select");
      picker.className = "platform-picker";
      picker.setAttribute("aria-label", "Network this post is for (remembered for this site)");
      picker.title = "Network this post is for: its length limit and counting apply. Remembered for this site.";
      for (const [id, label] of Object.entries(PLATFORM_LABELS)) {
        const option = document.createElement("option");
        option.value = id;
        option.textContent = id === "generic" ? "Any network" : label;
        picker.append(option);
      }
      picker.addEventListener("change", () => onPlatform(picker.value));
      group.append(picker);
    }
    const badge = keepFocus(el("button", "badge"));
    badge.type = "button";
    badge.setAttribute("aria-haspopup", "dialog");
    badge.addEventListener("click", onClick);
    group.append(badge);
    this.layer.append(group);
    return group;
  }

  badgeButton(group) {
    return group.querySelector(".badge");
  }

  removeBadge(group) {
    group.remove();
  }

  /** state: {kind: "checking"|"result"|"error", platform, counts, length, limit, grammarOn, message} */
  renderBadge(group, state) {
    const badge = this.badgeButton(group);
    const picker = group.querySelector(".platform-picker");
    if (picker && picker.value !== state.platform) picker.value = state.platform;
    badge.replaceChildren();
    badge.dataset.state = state.kind;
    badge.dataset.platform = state.platform;
    badge.append(el("span", "brand", "Socialcheck"));
    badge.append(el("span", "platform", PLATFORM_LABELS[state.platform] || state.platform));
    if (state.kind === "error") {
      badge.append(el("span", "problem", state.short || "Server not running"));
      badge.title = state.message || "";
      return;
    }
    badge.title = "Socialcheck: what the social media handbook says about this draft (opens the list of findings)";
    if (state.kind === "checking" && !state.counts) {
      badge.append(el("span", "muted", "Checking…"));
      return;
    }
    const counts = state.counts || { error: 0, warning: 0, info: 0 };
    for (const [severity, noun] of [
      ["error", "error"],
      ["warning", "warning"],
      ["info", "tip"],
    ]) {
      const count = counts[severity] || 0;
      const part = el("span", `count ${severity}`, `${count} ${noun}${count === 1 ? "" : "s"}`);
      part.dataset.severity = severity;
      part.dataset.count = String(count);
      badge.append(part);
    }
    if (typeof state.length === "number") {
      const over = typeof state.limit === "number" && state.length > state.limit;
      const length = el("span", over ? "length over" : "length", typeof state.limit === "number" ? `${state.length}/${state.limit}` : `${state.length} characters`);
      length.dataset.length = String(state.length);
      if (typeof state.limit === "number") length.dataset.limit = String(state.limit);
      badge.append(length);
    }
    const grammar = el("span", state.grammarOn ? "grammar on" : "grammar off", state.grammarOn ? "Grammar on" : "Grammar off");
    grammar.title = state.grammarText ? `Grammar engines: ${state.grammarText}` : "";
    badge.append(grammar);
    if (state.kind === "checking") badge.append(el("span", "muted", "…"));
    const total = (counts.error || 0) + (counts.warning || 0) + (counts.info || 0);
    badge.setAttribute("aria-label", `Socialcheck: ${total} finding${total === 1 ? "" : "s"} for ${PLATFORM_LABELS[state.platform] || state.platform}. Open the list of findings.`);
  }

  /** Layout read: the badge's size (call in the read phase of a frame). */
  measureBadge(badge) {
    return { width: badge.offsetWidth, height: badge.offsetHeight };
  }

  /** Layout write: put the badge under the editor's bottom right corner. */
  placeBadge(badge, editorRect, { width, height }) {
    const top = Math.min(editorRect.bottom + 4, window.innerHeight - height - 4);
    const left = Math.max(4, editorRect.right - width);
    badge.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
    badge.hidden = editorRect.bottom < 0 || editorRect.top > window.innerHeight;
  }

  // ---- margin markers: findings about a whole sentence or post ------------------------------

  createMarkerLayer() {
    const layer = el("div", "markers");
    this.layer.append(layer);
    return layer;
  }

  /** One marker a wide finding; pointing at it (or focusing it) shows its card. */
  renderMarkers(layer, findings, { onPoint }) {
    const markers = findings.map((finding) => {
      const marker = keepFocus(el("button", `marker ${finding.severity}`));
      marker.type = "button";
      marker.dataset.rule = finding.rule;
      marker.setAttribute("aria-label", `${CATEGORY_LABELS[finding.category] || finding.category}: ${finding.message}`);
      marker.addEventListener("mouseenter", () => onPoint(finding, marker.getBoundingClientRect(), false));
      marker.addEventListener("click", () => onPoint(finding, marker.getBoundingClientRect(), true));
      return marker;
    });
    layer.replaceChildren(...markers);
  }

  /** Layout write: each marker in the margin left of the editor, beside its lines. */
  placeMarkers(layer, editorRect, spans) {
    const markers = [...layer.children];
    markers.forEach((marker, i) => {
      const span = spans[i];
      if (!span) {
        marker.hidden = true;
        return;
      }
      const top = Math.max(span.top, editorRect.top);
      const bottom = Math.min(span.bottom, editorRect.bottom);
      marker.hidden = bottom <= top || editorRect.bottom < 0 || editorRect.top > window.innerHeight;
      // Side by side when several cover the same lines; outside the box if there is room.
      const lane = i % 3;
      const outside = editorRect.left >= 8 + lane * 6;
      const left = outside ? editorRect.left - 7 - lane * 6 : editorRect.left + 1 + lane * 6;
      marker.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
      marker.style.height = `${Math.max(8, Math.round(bottom - top))}px`;
    });
  }

  // ---- card --------------------------------------------------------------------------------

  /**
   * Show the card for a finding (or a plain notice), next to `anchor` (a DOMRect).
   * actions: {onSuggestion(text), onIgnore()}
   */
  showCard({ finding, notice, anchor, pinned, owner, fromPanel = false, word = "", alsoHere = [], actions = {} }) {
    this.hideCard();
    const card = el("div", `card ${finding ? finding.severity : "notice"}`);
    card.setAttribute("role", "dialog");
    card.addEventListener("mousedown", (event) => {
      if (!(event.target instanceof HTMLAnchorElement)) event.preventDefault();
    });
    if (finding) {
      card.dataset.rule = finding.rule;
      const head = el("div", "card-head");
      const title = el("span", "category", CATEGORY_LABELS[finding.category] || finding.category);
      title.id = uniqueId("card-title");
      head.append(el("span", `pill ${finding.severity}`, SEVERITY_LABELS[finding.severity] || finding.severity), title);
      card.append(head);
      const message = el("p", "message", finding.message);
      message.id = uniqueId("card-message");
      card.append(message);
      card.setAttribute("aria-labelledby", title.id);
      card.setAttribute("aria-describedby", message.id);
      const suggestions = Array.isArray(finding.suggestions) ? finding.suggestions : [];
      // Every card says what to do: the suggestions, or else the policy's advice.
      const advice = finding.advice || fallbackAdvice(finding);
      if (!suggestions.length && advice) {
        const what = el("p", "advice");
        what.append(el("strong", "", "What to do: "), document.createTextNode(advice));
        card.append(what);
      }
      if (finding.guideline) {
        const guideline = el("p", "guideline");
        guideline.append(el("strong", "", "Handbook: "));
        if (finding.guidelineUrl) {
          const link = el("a", "guideline-link", finding.guideline);
          link.href = finding.guidelineUrl;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
          link.title = "Opens the handbook in a new tab";
          guideline.append(link);
        } else {
          guideline.append(document.createTextNode(finding.guideline));
        }
        card.append(guideline);
      }
      if (suggestions.length) {
        const list = el("div", "suggestions");
        list.setAttribute("role", "group");
        list.setAttribute("aria-label", "Suggestions");
        for (const suggestion of suggestions.slice(0, 5)) {
          const button = keepFocus(el("button", "suggestion", suggestion === "" ? "Remove it" : suggestion));
          button.type = "button";
          button.dataset.suggestion = suggestion;
          button.setAttribute("aria-label", suggestion === "" ? "Remove it" : `Replace with ${suggestion}`);
          button.addEventListener("click", () => actions.onSuggestion && actions.onSuggestion(suggestion));
          list.append(button);
        }
        card.append(list);
      }
      if (alsoHere.length) {
        const also = el("p", "also-here");
        also.append(el("strong", "", "Also about these words: "));
        for (const other of alsoHere) {
          const button = keepFocus(el("button", "also", CATEGORY_LABELS[other.finding.category] || other.finding.category));
          button.type = "button";
          button.dataset.rule = other.finding.rule;
          button.addEventListener("click", other.onShow);
          also.append(button, " ");
        }
        card.append(also);
      }
      const footer = el("div", "card-foot");
      if (finding.category === "spelling" && word.trim()) {
        const add = keepFocus(el("button", "add-word", `Add “${word.trim()}” to dictionary`));
        add.type = "button";
        add.dataset.word = word.trim();
        add.addEventListener("click", () => actions.onAddWord && actions.onAddWord(word.trim()));
        footer.append(add);
      }
      const ignore = keepFocus(el("button", "ignore", "Ignore for this draft"));
      ignore.type = "button";
      ignore.addEventListener("click", () => actions.onIgnore && actions.onIgnore());
      footer.append(ignore);
      card.append(footer);
    } else {
      card.setAttribute("aria-label", "Socialcheck");
      card.append(el("p", "message", notice));
    }
    const close = keepFocus(el("button", "close", "×"));
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", () => this.hideCard());
    card.append(close);
    card.addEventListener("mouseenter", () => {
      if (this.cardState) this.cardState.hovered = true;
    });
    card.addEventListener("mouseleave", () => {
      if (this.cardState) this.cardState.hovered = false;
    });
    this.layer.append(card);
    this.card = card;
    this.cardState = { finding, owner, pinned: Boolean(pinned), hovered: false, anchor, fromPanel };
    this.placeCard(anchor);
    return card;
  }

  placeCard(anchor) {
    if (!this.card || !anchor) return;
    const width = this.card.offsetWidth;
    const height = this.card.offsetHeight;
    let top = anchor.bottom + 6;
    if (top + height > window.innerHeight - 4) top = Math.max(4, anchor.top - height - 6);
    // Keep clear of the panel, when it is open.
    const right = this.panel.isOpen() ? window.innerWidth - this.panel.width() - 8 : window.innerWidth;
    const left = Math.max(4, Math.min(Math.max(4, anchor.left), right - width - 4));
    this.card.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }

  hideCard() {
    if (this.card) this.card.remove();
    this.card = null;
    this.cardState = null;
  }

  // ---- textarea overlay ----------------------------------------------------------------------

  createOverlay() {
    const frame = el("div", "overlay");
    const mirror = el("div", "mirror");
    frame.append(mirror);
    this.layer.prepend(frame);
    return { frame, mirror };
  }

  // ---- image panel ---------------------------------------------------------------------------

  showImagePanel({ title, onClose }) {
    if (this.imagePanel) this.imagePanel.remove();
    const panel = el("section", "image-panel");
    panel.setAttribute("aria-label", "Profile image check");
    const head = el("div", "card-head");
    head.append(el("strong", "", title));
    const close = el("button", "close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", () => {
      panel.remove();
      if (onClose) onClose();
    });
    panel.append(head, close);
    const body = el("div", "image-body", "Checking the image…");
    panel.append(body);
    this.layer.append(panel);
    this.imagePanel = panel;
    return body;
  }

  /** The element focused inside our shadow root, if any. */
  focused() {
    return this.shadow.activeElement;
  }

  destroy() {
    this.host.remove();
  }
}
