// Everything the extension draws on a page lives in one shadow root, outside the editors:
// badges, the finding card, textarea overlays and the image panel. Text from the server is
// only ever set with textContent.

import { PLATFORM_LABELS } from "../lib/platforms.js";

const HOST_ID = "socialcheck-ui";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Keep the editor's focus and selection when a button of ours is pressed. */
function keepFocus(button) {
  button.addEventListener("mousedown", (event) => event.preventDefault());
  return button;
}

const CATEGORY_LABELS = {
  tone: "Tone",
  offensive: "Offensive language",
  inclusive: "Inclusive language",
  privacy: "Privacy",
  brand: "Brand",
  accessibility: "Accessibility",
  platform: "Platform limits",
  clarity: "Clarity",
  review: "Needs sign-off",
  grammar: "Grammar",
  spelling: "Spelling",
};
const SEVERITY_LABELS = { error: "Must fix", warning: "Should fix", info: "Advice" };

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
  }

  isOurs(node) {
    return node === this.host || this.host.contains(node);
  }

  // ---- badge -------------------------------------------------------------------------------

  createBadge(onClick) {
    const badge = keepFocus(el("button", "badge"));
    badge.type = "button";
    badge.addEventListener("click", onClick);
    this.layer.append(badge);
    return badge;
  }

  /** state: {kind: "checking"|"result"|"error", platform, counts, length, limit, grammarOn, message} */
  renderBadge(badge, state) {
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
    badge.title = "Socialcheck: what the social media handbook says about this draft";
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

  // ---- card --------------------------------------------------------------------------------

  /**
   * Show the card for a finding (or a plain notice), next to `anchor` (a DOMRect).
   * actions: {onSuggestion(text), onIgnore()}
   */
  showCard({ finding, notice, anchor, pinned, owner, actions = {} }) {
    this.hideCard();
    const card = el("div", `card ${finding ? finding.severity : "notice"}`);
    card.setAttribute("role", "dialog");
    card.addEventListener("mousedown", (event) => event.preventDefault());
    if (finding) {
      card.dataset.rule = finding.rule;
      const head = el("div", "card-head");
      head.append(el("span", `pill ${finding.severity}`, SEVERITY_LABELS[finding.severity] || finding.severity));
      head.append(el("span", "category", CATEGORY_LABELS[finding.category] || finding.category));
      card.append(head);
      card.append(el("p", "message", finding.message));
      if (finding.guideline) {
        const guideline = el("p", "guideline");
        guideline.append(el("strong", "", "Handbook: "), document.createTextNode(finding.guideline));
        card.append(guideline);
      }
      const suggestions = Array.isArray(finding.suggestions) ? finding.suggestions : [];
      if (suggestions.length) {
        const list = el("div", "suggestions");
        for (const suggestion of suggestions.slice(0, 5)) {
          const button = keepFocus(el("button", "suggestion", suggestion === "" ? "Remove it" : suggestion));
          button.type = "button";
          button.dataset.suggestion = suggestion;
          button.addEventListener("click", () => actions.onSuggestion && actions.onSuggestion(suggestion));
          list.append(button);
        }
        card.append(list);
      }
      const footer = el("div", "card-foot");
      const ignore = keepFocus(el("button", "ignore", "Ignore for this draft"));
      ignore.type = "button";
      ignore.addEventListener("click", () => actions.onIgnore && actions.onIgnore());
      footer.append(ignore);
      card.append(footer);
    } else {
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
    this.cardState = { finding, owner, pinned: Boolean(pinned), hovered: false, anchor };
    this.placeCard(anchor);
    return card;
  }

  placeCard(anchor) {
    if (!this.card || !anchor) return;
    const width = this.card.offsetWidth;
    const height = this.card.offsetHeight;
    let top = anchor.bottom + 6;
    if (top + height > window.innerHeight - 4) top = Math.max(4, anchor.top - height - 6);
    const left = Math.min(Math.max(4, anchor.left), window.innerWidth - width - 4);
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

  destroy() {
    this.host.remove();
  }
}
