// One compose box being checked: reads its text, asks the service worker for a check after a
// pause, draws underlines, and applies suggestions the way a person typing would.

import { describeGrammar, grammarIsOn } from "../lib/api.js";
import { CheckScheduler } from "../lib/scheduler.js";
import { countBySeverity, findingKey, rebaseFindings, replaceSpan, visibleFindings } from "../lib/spans.js";
import { buildTextModel, spanToBoundaries } from "../lib/textmodel.js";
import { clearOwner, setOwnerRanges } from "./highlights.js";

export const CHECK_DELAY_MS = 500;

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

// Properties that decide where a textarea's text wraps; the overlay copies them.
const MIRRORED_STYLES = [
  "boxSizing", "width", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
  "fontFamily", "fontSize", "fontWeight", "fontStyle", "fontVariant", "fontStretch", "fontKerning",
  "fontFeatureSettings", "letterSpacing", "wordSpacing", "lineHeight", "textTransform", "textIndent",
  "textAlign", "tabSize", "direction", "wordBreak", "overflowWrap", "whiteSpace", "hyphens",
];

function sendMessage(message) {
  let sent;
  try {
    sent = chrome.runtime.sendMessage(message);
  } catch (error) {
    // The extension was reloaded or updated under this page: its old script cannot reach it.
    return Promise.reject(
      Object.assign(new Error("Socialcheck was updated or reloaded. Reload this page to go on checking; your text is as it was."), {
        code: "extension-reloaded",
      }),
    );
  }
  return sent.then((answer) => {
    if (!answer) throw Object.assign(new Error("The extension’s worker did not answer."), { code: "no-answer" });
    if (!answer.ok) throw Object.assign(new Error(answer.error.message), answer.error);
    return answer.result;
  });
}

/** Reading, ranges and replacing for a <textarea>. */
class TextareaAdapter {
  constructor(element, ui) {
    this.element = element;
    this.ui = ui;
    this.overlay = ui.createOverlay();
    this.marks = [];
  }

  readText() {
    return this.element.value;
  }

  render(findings, text) {
    const { mirror } = this.overlay;
    const children = [];
    this.marks = [];
    let at = 0;
    for (const finding of [...findings].sort((a, b) => a.start - b.start)) {
      if (finding.start < at) continue; // overlapping findings: the first one is drawn
      if (finding.start > at) children.push(document.createTextNode(text.slice(at, finding.start)));
      const mark = document.createElement("span");
      mark.className = `mark ${finding.severity}`;
      mark.dataset.rule = finding.rule;
      mark.dataset.start = String(finding.start);
      mark.dataset.end = String(finding.end);
      mark.textContent = text.slice(finding.start, finding.end);
      children.push(mark);
      this.marks.push({ mark, finding });
      at = finding.end;
    }
    // A trailing newline needs a character after it to take up its line, as in the textarea.
    children.push(document.createTextNode(`${text.slice(at)}\u200b`));
    mirror.replaceChildren(...children);
  }

  /** Layout, part one: everything read from the page (called for all sessions first). */
  measure() {
    const style = getComputedStyle(this.element);
    const copied = {};
    for (const name of MIRRORED_STYLES) copied[name] = style[name];
    return {
      rect: this.element.getBoundingClientRect(),
      style: copied,
      borderTop: parseFloat(style.borderTopWidth) || 0,
      borderLeft: parseFloat(style.borderLeftWidth) || 0,
      clientWidth: this.element.clientWidth,
      clientHeight: this.element.clientHeight,
      scrollTop: this.element.scrollTop,
      scrollLeft: this.element.scrollLeft,
      hidden: style.visibility === "hidden" || style.display === "none",
    };
  }

  /** Layout, part two: everything written (after every session has measured). */
  place(measured) {
    const { frame, mirror } = this.overlay;
    const { rect } = measured;
    frame.hidden = measured.hidden;
    frame.style.transform = `translate(${rect.left + measured.borderLeft}px, ${rect.top + measured.borderTop}px)`;
    frame.style.width = `${measured.clientWidth}px`;
    frame.style.height = `${measured.clientHeight}px`;
    Object.assign(mirror.style, measured.style);
    mirror.style.boxSizing = "border-box";
    mirror.style.width = `${measured.clientWidth}px`;
    mirror.style.whiteSpace = "pre-wrap";
    mirror.style.overflowWrap = "break-word";
    mirror.style.transform = `translate(${-measured.scrollLeft}px, ${-measured.scrollTop}px)`;
  }

  rectsFor(finding) {
    const found = this.marks.find((entry) => entry.finding === finding);
    return found ? [...found.mark.getClientRects()] : [];
  }

  async replace(start, end, replacement) {
    const element = this.element;
    const { text, caret } = replaceSpan(element.value, start, end, replacement);
    element.focus();
    element.setSelectionRange(start, end);
    element.dispatchEvent(
      new InputEvent("beforeinput", { bubbles: true, cancelable: true, inputType: "insertReplacementText", data: replacement }),
    );
    // The prototype's setter, so frameworks that watch the element's own `value` (React) see a change.
    const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
    setValue.call(element, text);
    element.setSelectionRange(caret, caret);
    element.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertReplacementText", data: replacement }));
    element.dispatchEvent(new Event("change", { bubbles: true }));
    return element.value === text;
  }

  destroy() {
    this.overlay.frame.remove();
  }
}

/** Reading, ranges and replacing for a contenteditable editor (plain, Draft.js, Lexical, ProseMirror, Quill). */
class ContentEditableAdapter {
  constructor(element, owner) {
    this.element = element;
    this.owner = owner;
    this.model = buildTextModel(element);
    this.ranges = new Map();
  }

  readText() {
    this.model = buildTextModel(this.element);
    return this.model.text;
  }

  rangeFor(finding) {
    const boundaries = spanToBoundaries(this.model, finding.start, finding.end);
    if (!boundaries) return null;
    const range = document.createRange();
    try {
      range.setStart(boundaries.startNode, boundaries.startOffset);
      range.setEnd(boundaries.endNode, boundaries.endOffset);
    } catch {
      return null;
    }
    return range;
  }

  render(findings) {
    const bySeverity = { error: [], warning: [], info: [] };
    this.ranges = new Map();
    for (const finding of findings) {
      const range = this.rangeFor(finding);
      if (!range || !(finding.severity in bySeverity)) continue;
      bySeverity[finding.severity].push(range);
      this.ranges.set(finding, range);
    }
    setOwnerRanges(this.owner, bySeverity);
  }

  measure() {
    return { rect: this.element.getBoundingClientRect() };
  }

  place() {}

  rectsFor(finding) {
    const range = this.ranges.get(finding);
    return range ? [...range.getClientRects()] : [];
  }

  selectSpan(start, end) {
    const model = buildTextModel(this.element);
    const boundaries = spanToBoundaries(model, start, end);
    if (!boundaries) return false;
    const range = document.createRange();
    range.setStart(boundaries.startNode, boundaries.startOffset);
    range.setEnd(boundaries.endNode, boundaries.endOffset);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }

  async replace(start, end, replacement) {
    const before = this.readText();
    const expected = replaceSpan(before, start, end, replacement).text;
    this.element.focus();
    if (!this.selectSpan(start, end)) return false;
    // Editors such as Lexical and ProseMirror follow the selection on `selectionchange`,
    // which fires asynchronously: let it arrive, then select again in case they moved it.
    await nextFrame();
    this.selectSpan(start, end);
    // The way a keyboard does it: the editor gets beforeinput and input and keeps its undo.
    if (replacement === "") document.execCommand("delete", false);
    else document.execCommand("insertText", false, replacement);
    await nextFrame();
    if (this.readText() === expected) return true;
    // Draft.js can refuse execCommand: it accepts a paste of the same text.
    if (this.readText() === before && this.selectSpan(start, end)) {
      const data = new DataTransfer();
      data.setData("text/plain", replacement);
      this.element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
      await nextFrame();
    }
    return this.readText() === expected;
  }

  destroy() {
    clearOwner(this.owner);
  }
}

export class EditorSession {
  constructor(element, { ui, platform, onLayoutNeeded }) {
    this.element = element;
    this.ui = ui;
    this.platform = platform;
    this.onLayoutNeeded = onLayoutNeeded;
    this.adapter = element instanceof HTMLTextAreaElement ? new TextareaAdapter(element, ui) : new ContentEditableAdapter(element, this);
    this.text = this.adapter.readText();
    this.findings = []; // findings for this.text (rebased while typing)
    this.visible = [];
    this.ignored = new Set();
    this.lastResult = null;
    this.status = { kind: "checking" };
    this.badge = ui.createBadge(() => this.onBadgeClick());
    this.scheduler = new CheckScheduler({
      delayMs: CHECK_DELAY_MS,
      // An empty draft has nothing to check: answer locally rather than ask the server.
      check: (text) =>
        text.trim()
          ? sendMessage({ type: "check-text", text, platform: this.platform })
          : Promise.resolve({ findings: [], stats: { length: 0 }, engines: this.lastResult && this.lastResult.engines }),
      onResult: (result, text) => this.onResult(result, text),
      onError: (error) => this.onError(error),
    });
    this.observer = new MutationObserver(() => this.textMayHaveChanged());
    if (!(element instanceof HTMLTextAreaElement)) {
      this.observer.observe(element, { characterData: true, childList: true, subtree: true });
    }
    this.onInput = () => this.textMayHaveChanged();
    element.addEventListener("input", this.onInput);
    this.render();
    this.scheduler.update(this.text);
  }

  textMayHaveChanged() {
    const text = this.adapter.readText();
    if (text === this.text) return;
    this.findings = rebaseFindings(this.findings, this.text, text);
    this.text = text;
    // An emptied box (the post was sent) starts a new draft: nothing stays ignored.
    if (!text.trim()) this.ignored.clear();
    if (this.ui.cardState && this.ui.cardState.owner === this) this.ui.hideCard();
    if (this.status.kind === "result") this.status = { ...this.status, kind: "checking" };
    this.render();
    this.scheduler.update(text);
  }

  onResult(result, text) {
    this.lastResult = result;
    this.findings = Array.isArray(result.findings) ? result.findings : [];
    // The answer is for `text`; if the editor moved on (it cannot here: stale answers are
    // dropped), rebase to be safe.
    if (text !== this.text) this.findings = rebaseFindings(this.findings, text, this.text);
    const stats = result.stats || {};
    this.status = {
      kind: "result",
      length: typeof stats.length === "number" ? stats.length : this.text.length,
      limit: typeof stats.limit === "number" ? stats.limit : null,
      grammarOn: grammarIsOn(result.engines),
      grammarText: describeGrammar(result.engines),
    };
    this.render();
  }

  onError(error) {
    const unreachable = error && (error.code === "server-unreachable" || error.code === "timeout");
    this.status = {
      kind: "error",
      short: unreachable ? "Server not running" : "Check failed",
      message: String(error && error.message ? error.message : error),
    };
    this.renderBadge();
  }

  recheck() {
    this.scheduler.recheck();
  }

  render() {
    this.visible = visibleFindings(this.findings, this.text, this.ignored);
    this.adapter.render(this.visible, this.text);
    this.renderBadge();
    this.onLayoutNeeded();
  }

  renderBadge() {
    this.ui.renderBadge(this.badge, {
      ...this.status,
      platform: this.platform,
      counts: this.status.kind === "error" ? null : this.lastResult ? countBySeverity(this.visible) : null,
    });
    this.onLayoutNeeded();
  }

  onBadgeClick() {
    const anchor = this.badge.getBoundingClientRect();
    if (this.status.kind === "error") {
      this.ui.showCard({ notice: this.status.message, anchor, pinned: true, owner: this });
      return;
    }
    const first = this.visible[0];
    if (first) this.showCardFor(first, true);
    else this.ui.showCard({ notice: "Nothing to fix: this draft follows the social media handbook.", anchor, pinned: true, owner: this });
  }

  /** Layout, read phase. */
  measure() {
    return { ...this.adapter.measure(), badgeSize: this.ui.measureBadge(this.badge) };
  }

  /** Layout, write phase. */
  place(measured) {
    this.adapter.place(measured);
    this.ui.placeBadge(this.badge, measured.rect, measured.badgeSize);
  }

  findingAtPoint(x, y) {
    for (const finding of this.visible) {
      for (const rect of this.adapter.rectsFor(finding)) {
        if (x >= rect.left && x <= rect.right && y >= rect.top - 2 && y <= rect.bottom + 2) return { finding, rect };
      }
    }
    return null;
  }

  showCardFor(finding, pinned, anchor) {
    const rect = anchor || this.adapter.rectsFor(finding)[0] || this.element.getBoundingClientRect();
    this.ui.showCard({
      finding,
      anchor: rect,
      pinned,
      owner: this,
      actions: {
        onSuggestion: (suggestion) => this.applySuggestion(finding, suggestion),
        onIgnore: () => this.ignore(finding),
      },
    });
  }

  async applySuggestion(finding, suggestion) {
    this.ui.hideCard();
    // The finding must still describe the text that is there now.
    if (!this.visible.includes(finding)) return false;
    const applied = await this.adapter.replace(finding.start, finding.end, suggestion);
    this.textMayHaveChanged();
    if (!applied) {
      this.ui.showCard({
        notice: "This editor did not accept the change. Your text is as it was; edit it by hand instead.",
        anchor: this.element.getBoundingClientRect(),
        pinned: true,
        owner: this,
      });
    }
    return applied;
  }

  ignore(finding) {
    this.ignored.add(findingKey(finding, this.text));
    this.ui.hideCard();
    this.render();
  }

  destroy() {
    this.scheduler.stop();
    this.observer.disconnect();
    this.element.removeEventListener("input", this.onInput);
    this.adapter.destroy();
    this.badge.remove();
    if (this.ui.cardState && this.ui.cardState.owner === this) this.ui.hideCard();
  }
}
