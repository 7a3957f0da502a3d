// The findings panel: every finding of one editor, grouped by severity and category with
// counts; next and previous, apply, ignore, add to dictionary, and "apply all safe fixes".
// Keyboard: ↑/↓ (or j/k) move, Enter applies the first suggestion, Delete ignores,
// A adds a spelling to the dictionary, Esc goes back to the editor.

import { groupFindings as groupsOf, isSafeFix, safeFixes } from "../lib/review.js";
import { el, keepFocus } from "./dom.js";

const PANEL_WIDTH = 340;
const KEYS_HELP = "↑ ↓ move · Enter apply · Delete ignore · A add to dictionary · Esc back to the editor";

function keyOf(finding) {
  return `${finding.rule}\u0000${finding.start}\u0000${finding.end}`;
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

export class FindingsPanel {
  constructor(ui) {
    this.ui = ui;
    this.session = null;
    this.element = null;
    this.currentKey = null; // the finding the user is on, kept across re-renders
    this.currentIndex = 0;
    this.busy = false;
  }

  isOpen() {
    return Boolean(this.element);
  }

  width() {
    return PANEL_WIDTH;
  }

  /** Open for a session (or switch to it) and put the keyboard on the current finding. */
  open(session, { focus = true } = {}) {
    if (this.session !== session) {
      this.currentKey = null;
      this.currentIndex = 0;
    }
    this.session = session;
    if (!this.element) this.build();
    this.render();
    if (focus) this.focusCurrent();
  }

  close({ restoreFocus = true } = {}) {
    const session = this.session;
    if (this.element) this.element.remove();
    this.element = null;
    this.session = null;
    if (this.ui.cardState && this.ui.cardState.fromPanel) this.ui.hideCard();
    // Back where the user was typing.
    if (restoreFocus && session && session.element.isConnected) session.element.focus();
  }

  build() {
    const panel = el("section", "panel");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-label", "Socialcheck findings");
    panel.addEventListener("keydown", (event) => this.onKey(event));
    panel.addEventListener("mousedown", (event) => {
      // Buttons keep the panel's focus; links behave as links.
      if (event.target instanceof HTMLButtonElement) event.preventDefault();
    });
    const head = el("div", "panel-head");
    const title = el("h2", "panel-title", "Socialcheck");
    const close = el("button", "close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close the findings panel");
    close.addEventListener("click", () => this.close());
    head.append(title, close);
    this.summary = el("p", "panel-summary");
    this.summary.setAttribute("role", "status");
    this.summary.setAttribute("aria-live", "polite");
    const tools = el("div", "panel-tools");
    this.previousButton = el("button", "previous", "Previous");
    this.nextButton = el("button", "next", "Next");
    this.safeButton = el("button", "apply-safe", "Apply all safe fixes");
    for (const button of [this.previousButton, this.nextButton, this.safeButton]) {
      button.type = "button";
      tools.append(button);
    }
    this.previousButton.setAttribute("aria-keyshortcuts", "ArrowUp");
    this.nextButton.setAttribute("aria-keyshortcuts", "ArrowDown");
    this.previousButton.addEventListener("click", () => this.move(-1));
    this.nextButton.addEventListener("click", () => this.move(1));
    this.safeButton.addEventListener("click", () => this.applySafe());
    this.body = el("div", "panel-body");
    const keys = el("p", "panel-keys", KEYS_HELP);
    panel.append(head, this.summary, tools, this.body, keys);
    this.ui.layer.append(panel);
    this.element = panel;
  }

  list() {
    return this.session ? this.session.reviewList() : [];
  }

  /** Re-render from the session's findings, keeping the user's place and focus. */
  render() {
    if (!this.element || !this.session) return;
    const session = this.session;
    const hadFocus = this.element.contains(this.ui.focused());
    const findings = this.list();
    const counts = { error: 0, warning: 0, info: 0 };
    for (const finding of findings) counts[finding.severity] = (counts[finding.severity] || 0) + 1;
    let summary;
    if (session.status.kind === "error") summary = session.status.message;
    else if (session.status.kind === "checking" && !session.lastResult) summary = "Checking…";
    else if (!findings.length) summary = "Nothing to fix: this draft follows the social media handbook.";
    else summary = `${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}, ${plural(counts.info, "tip")}`;
    // A live region: screen readers hear it when it changes, so it is not set again unchanged.
    if (this.summary.textContent !== summary) this.summary.textContent = summary;
    const safe = safeFixes(findings).length;
    this.safeButton.textContent = `Apply all safe fixes (${safe})`;
    this.safeButton.disabled = safe === 0 || this.busy;
    this.previousButton.disabled = this.nextButton.disabled = findings.length === 0;

    let index = findings.findIndex((f) => keyOf(f) === this.currentKey);
    if (index < 0) index = Math.min(this.currentIndex, findings.length - 1);
    this.currentIndex = Math.max(0, index);
    this.currentKey = findings[this.currentIndex] ? keyOf(findings[this.currentIndex]) : null;

    const groups = [];
    let position = 0;
    for (const group of groupsOf(findings)) {
      const section = el("section", `group ${group.severity}`);
      section.dataset.severity = group.severity;
      const heading = el("h3", "group-title");
      heading.append(el("span", `pill ${group.severity}`, group.label), el("span", "group-count", String(group.count)));
      section.append(heading);
      for (const category of group.categories) {
        const block = el("div", "category-group");
        block.dataset.category = category.category;
        block.append(el("h4", "category-title", `${category.label} (${category.findings.length})`));
        const list = el("ul", "items");
        for (const finding of category.findings) {
          list.append(this.item(finding, position, position === this.currentIndex));
          position += 1;
        }
        block.append(list);
        section.append(block);
      }
      groups.push(section);
    }
    this.body.replaceChildren(...groups);
    if (hadFocus) this.focusCurrent();
  }

  item(finding, index, current) {
    const session = this.session;
    const words = session.text.slice(finding.start, finding.end);
    const item = el("li", current ? "item current" : "item");
    item.dataset.rule = finding.rule;
    item.dataset.index = String(index);
    item.dataset.severity = finding.severity;
    const main = el("button", "item-main");
    main.type = "button";
    main.tabIndex = current ? 0 : -1;
    if (current) main.setAttribute("aria-current", "true");
    const shown = words.length > 60 ? `${words.slice(0, 57)}…` : words;
    main.append(el("span", "item-words", shown ? `“${shown}”` : "The whole post"), el("span", "item-message", finding.message));
    main.setAttribute("aria-label", `${finding.severity}: ${shown ? `“${shown}”. ` : ""}${finding.message}`);
    main.addEventListener("click", () => this.select(index, { focus: true }));
    main.addEventListener("focus", () => {
      if (this.currentIndex !== index) this.select(index, { focus: false });
    });
    item.append(main);
    const actions = el("div", "item-actions");
    const suggestions = Array.isArray(finding.suggestions) ? finding.suggestions : [];
    if (suggestions.length) {
      const apply = keepFocus(el("button", isSafeFix(finding) ? "item-apply safe" : "item-apply", suggestions[0] === "" ? "Remove it" : `Use “${suggestions[0]}”`));
      apply.type = "button";
      apply.tabIndex = -1;
      apply.addEventListener("click", () => this.apply(finding, suggestions[0]));
      actions.append(apply);
    }
    if (finding.category === "spelling" && words.trim()) {
      const add = keepFocus(el("button", "item-add-word", "Add to dictionary"));
      add.type = "button";
      add.tabIndex = -1;
      add.addEventListener("click", () => this.addWord(words.trim()));
      actions.append(add);
    }
    const ignore = keepFocus(el("button", "item-ignore", "Ignore"));
    ignore.type = "button";
    ignore.tabIndex = -1;
    ignore.addEventListener("click", () => this.ignore(finding));
    actions.append(ignore);
    item.append(actions);
    return item;
  }

  currentFinding() {
    return this.list()[this.currentIndex] || null;
  }

  /** Make a finding the current one: its words scroll into view with its card beside them. */
  select(index, { focus = true } = {}) {
    const findings = this.list();
    if (!findings.length) return;
    this.currentIndex = ((index % findings.length) + findings.length) % findings.length;
    this.currentKey = keyOf(findings[this.currentIndex]);
    for (const item of this.body.querySelectorAll(".item")) {
      const current = Number(item.dataset.index) === this.currentIndex;
      item.classList.toggle("current", current);
      const main = item.querySelector(".item-main");
      main.tabIndex = current ? 0 : -1;
      if (current) main.setAttribute("aria-current", "true");
      else main.removeAttribute("aria-current");
      if (current) item.scrollIntoView({ block: "nearest" });
    }
    this.session.reveal(findings[this.currentIndex]);
    if (focus) this.focusCurrent();
  }

  move(delta) {
    this.select(this.currentIndex + delta);
  }

  focusCurrent() {
    if (!this.element) return;
    const main = this.body.querySelector(".item.current .item-main") || this.nextButton;
    main.focus({ preventScroll: false });
  }

  /** Run a change that moves focus to the editor (as typing does), then come back. */
  async change(work) {
    if (this.busy) return;
    this.busy = true;
    try {
      await work();
    } finally {
      this.busy = false;
      if (this.element) {
        this.render();
        this.focusCurrent();
      }
    }
  }

  apply(finding, suggestion) {
    return this.change(() => this.session.applySuggestion(finding, suggestion));
  }

  ignore(finding) {
    return this.change(async () => this.session.ignore(finding));
  }

  addWord(word) {
    return this.change(() => this.session.addToDictionary(word));
  }

  applySafe() {
    return this.change(() => this.session.applySafeFixes());
  }

  onKey(event) {
    if (event.isComposing) return;
    const finding = this.currentFinding();
    const onItem = event.composedPath().some((node) => node instanceof Element && node.classList && node.classList.contains("item-main"));
    let handled = true;
    switch (event.key) {
      case "ArrowDown":
      case "j":
        this.move(1);
        break;
      case "ArrowUp":
      case "k":
        this.move(-1);
        break;
      case "Home":
        this.select(0);
        break;
      case "End":
        this.select(this.list().length - 1);
        break;
      case "Enter":
        if (!onItem) return; // a button's own Enter
        if (finding && Array.isArray(finding.suggestions) && finding.suggestions.length) this.apply(finding, finding.suggestions[0]);
        else if (finding) this.select(this.currentIndex);
        break;
      case "Delete":
      case "Backspace":
        if (finding) this.ignore(finding);
        break;
      case "a":
      case "A":
        if (finding && finding.category === "spelling") this.addWord(this.session.text.slice(finding.start, finding.end).trim());
        else handled = false;
        break;
      case "Escape":
        this.close();
        break;
      default:
        handled = false;
    }
    if (handled) {
      // Sites have shortcuts of their own (j, k, Delete): these keys were ours.
      event.preventDefault();
      event.stopPropagation();
    }
  }
}
