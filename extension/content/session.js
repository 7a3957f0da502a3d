// One compose box being checked: reads its text, asks the service worker for a check after a
// pause, draws underlines, and applies suggestions the way a person typing would.

import { describeGrammar, grammarIsOn } from "../lib/api.js";
import { isOverflow, mostSevere, pickPointed, pieces, reviewOrder, safeFixes, splitByWidth } from "../lib/review.js";
import { CheckScheduler } from "../lib/scheduler.js";
import { countBySeverity, findingKey, rebaseFindings, replaceSpan, visibleFindings } from "../lib/spans.js";
import { buildTextModel, spanToBoundaries } from "../lib/textmodel.js";
import { clearOwner, setOwnerRanges } from "./highlights.js";

// The pause before a check adapts to the typist (lib/scheduler.js): from this short one, for
// keys pressed in a burst, up to the long one, for slow typing.
export const MIN_CHECK_DELAY_MS = 150;
export const MAX_CHECK_DELAY_MS = 500;

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
    this.pieces = [];
  }

  readText() {
    return this.element.value;
  }

  /**
   * The mirror holds the text cut at every finding's ends, so overlapping findings each keep
   * their own pieces. Only narrow findings are underlined; wide ones (given in `wide`) get
   * plain pieces, so that their lines can be measured for the margin marker.
   */
  render(findings, text, wide = new Set()) {
    const { mirror } = this.overlay;
    const children = [];
    this.pieces = [];
    let at = 0;
    for (const piece of pieces(findings, text.length)) {
      if (piece.start > at) children.push(document.createTextNode(text.slice(at, piece.start)));
      const narrow = piece.covering.filter((f) => !wide.has(f));
      const span = document.createElement("span");
      span.textContent = text.slice(piece.start, piece.end);
      span.dataset.from = String(piece.start);
      if (narrow.length) {
        const shown = pickPointed(narrow);
        span.className = `mark ${mostSevere(narrow).severity}`;
        span.dataset.rule = shown.rule;
        span.dataset.start = String(shown.start);
        span.dataset.end = String(shown.end);
      } else {
        span.className = piece.covering.some(isOverflow) ? "piece overflow" : "piece";
      }
      children.push(span);
      this.pieces.push({ span, start: piece.start, end: piece.end });
      at = piece.end;
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
    const rects = [];
    for (const piece of this.pieces) {
      if (piece.start >= finding.start && piece.end <= finding.end) rects.push(...piece.span.getClientRects());
    }
    return rects;
  }

  /** Scroll the textarea so the finding's words are in view. */
  reveal(finding) {
    const piece = this.pieces.find((p) => p.start >= finding.start && p.end <= finding.end);
    if (!piece) return;
    const top = piece.span.offsetTop;
    const { scrollTop, clientHeight } = this.element;
    if (top < scrollTop || top + piece.span.offsetHeight > scrollTop + clientHeight) {
      this.element.scrollTop = Math.max(0, top - clientHeight / 3);
    }
    this.element.scrollIntoView({ block: "nearest" });
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

  /** Every finding gets a range (to measure); only the narrow ones are highlighted. */
  render(findings, text, wide = new Set()) {
    const bySeverity = { error: [], warning: [], info: [], overflow: [] };
    this.ranges = new Map();
    for (const finding of findings) {
      const range = this.rangeFor(finding);
      if (!range) continue;
      this.ranges.set(finding, range);
      if (!wide.has(finding) && finding.severity in bySeverity) bySeverity[finding.severity].push(range);
      else if (isOverflow(finding)) bySeverity.overflow.push(range);
    }
    setOwnerRanges(this.owner, bySeverity);
  }

  reveal(finding) {
    const range = this.ranges.get(finding);
    const node = range && range.startContainer;
    const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    if (element) element.scrollIntoView({ block: "nearest" });
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
  constructor(element, { ui, platform, choosePlatform = false, onLayoutNeeded, onChange = () => {} }) {
    this.element = element;
    this.ui = ui;
    this.platform = platform;
    this.onLayoutNeeded = onLayoutNeeded;
    this.onChange = onChange; // the findings or the status changed (the panel follows)
    this.adapter = element instanceof HTMLTextAreaElement ? new TextareaAdapter(element, ui) : new ContentEditableAdapter(element, this);
    this.text = this.adapter.readText();
    this.findings = []; // findings for this.text (rebased while typing)
    this.visible = [];
    this.narrow = [];
    this.wide = [];
    this.ignored = new Set();
    this.lastResult = null;
    this.status = { kind: "checking" };
    this.badge = ui.createBadge(() => this.onBadgeClick(), {
      choosePlatform,
      onPlatform: (id) => this.onPlatformChosen && this.onPlatformChosen(id),
    });
    this.markers = ui.createMarkerLayer();
    this.scheduler = new CheckScheduler({
      minDelayMs: MIN_CHECK_DELAY_MS,
      maxDelayMs: MAX_CHECK_DELAY_MS,
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
    if (this.ui.cardState && this.ui.cardState.owner === this && !this.ui.cardState.fromPanel) this.ui.hideCard();
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
    this.onChange(this);
  }

  recheck() {
    this.scheduler.recheck();
  }

  /** Check against another network (the user chose one for this site). */
  setPlatform(platform) {
    if (platform === this.platform) return;
    this.platform = platform;
    this.renderBadge();
    this.recheck();
  }

  render() {
    this.visible = visibleFindings(this.findings, this.text, this.ignored);
    const { narrow, wide } = splitByWidth(this.visible);
    this.narrow = narrow;
    this.wide = wide;
    this.adapter.render(this.visible, this.text, new Set(wide));
    // An open card follows a new answer: to the same finding in it, or it goes.
    const card = this.ui.cardState;
    if (card && card.owner === this && card.finding && !this.visible.includes(card.finding)) {
      const same = this.visible.find((f) => f.rule === card.finding.rule && f.start === card.finding.start && f.end === card.finding.end);
      if (same) this.showCardFor(same, card.pinned, null, { fromPanel: card.fromPanel });
      else this.ui.hideCard();
    }
    this.ui.renderMarkers(this.markers, wide, {
      onPoint: (finding, anchor, pinned) => this.showCardFor(finding, pinned, anchor),
    });
    this.renderBadge();
    this.onChange(this);
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
    const anchor = this.ui.badgeButton(this.badge).getBoundingClientRect();
    if (this.status.kind === "error") {
      this.ui.showCard({ notice: this.status.message, anchor, pinned: true, owner: this });
      return;
    }
    this.ui.panel.open(this);
  }

  /** Findings in the panel's order. */
  reviewList() {
    return reviewOrder(this.visible);
  }

  /** Layout, read phase. */
  measure() {
    const measured = { ...this.adapter.measure(), badgeSize: this.ui.measureBadge(this.badge) };
    // Where each wide finding's lines are, for its margin marker.
    measured.markers = this.wide.map((finding) => {
      const rects = this.adapter.rectsFor(finding);
      if (!rects.length) return null;
      return { top: Math.min(...rects.map((r) => r.top)), bottom: Math.max(...rects.map((r) => r.bottom)) };
    });
    return measured;
  }

  /** Layout, write phase. */
  place(measured) {
    this.adapter.place(measured);
    this.ui.placeBadge(this.badge, measured.rect, measured.badgeSize);
    this.ui.placeMarkers(this.markers, measured.rect, measured.markers);
  }

  /** The narrow finding under a point: the narrowest, so a word's own finding wins. */
  findingAtPoint(x, y) {
    const hits = [];
    for (const finding of this.narrow) {
      for (const rect of this.adapter.rectsFor(finding)) {
        if (x >= rect.left && x <= rect.right && y >= rect.top - 2 && y <= rect.bottom + 2) {
          hits.push({ finding, rect });
          break;
        }
      }
    }
    const finding = pickPointed(hits.map((hit) => hit.finding));
    return finding ? hits.find((hit) => hit.finding === finding) : null;
  }

  anchorFor(finding) {
    return this.adapter.rectsFor(finding)[0] || this.element.getBoundingClientRect();
  }

  showCardFor(finding, pinned, anchor, { fromPanel = false } = {}) {
    const rect = anchor || this.anchorFor(finding);
    // Findings about exactly the same words (jargon and spelling on one word): one card, and a
    // way to each of the others.
    const alsoHere = this.visible
      .filter((f) => f !== finding && f.start === finding.start && f.end === finding.end)
      .map((f) => ({ finding: f, onShow: () => this.showCardFor(f, true, rect, { fromPanel }) }));
    this.ui.showCard({
      alsoHere,
      finding,
      anchor: rect,
      pinned,
      owner: this,
      fromPanel,
      word: this.text.slice(finding.start, finding.end),
      actions: {
        onSuggestion: (suggestion) => this.applySuggestion(finding, suggestion),
        onIgnore: () => this.ignore(finding),
        onAddWord: (word) => this.addToDictionary(word),
      },
    });
  }

  /** Bring a finding's words into view and show its card beside them (from the panel). */
  reveal(finding) {
    this.adapter.reveal(finding);
    this.onLayoutNeeded();
    requestAnimationFrame(() => {
      if (this.visible.includes(finding)) this.showCardFor(finding, true, null, { fromPanel: true });
    });
  }

  async applySuggestion(finding, suggestion, { quiet = false } = {}) {
    if (!quiet) this.ui.hideCard();
    // The finding must still describe the text that is there now.
    if (!this.visible.includes(finding)) return false;
    const applied = await this.adapter.replace(finding.start, finding.end, suggestion);
    this.textMayHaveChanged();
    if (!applied && !quiet) {
      this.ui.showCard({
        notice: "This editor did not accept the change. Your text is as it was; edit it by hand instead.",
        anchor: this.element.getBoundingClientRect(),
        pinned: true,
        owner: this,
      });
    }
    return applied;
  }

  /**
   * Apply every safe fix (one unambiguous suggestion from the house's own lists), last first,
   * each as typing would, so that the editor keeps up. Returns how many were applied.
   */
  async applySafeFixes() {
    this.ui.hideCard();
    let applied = 0;
    for (const planned of safeFixes(this.visible)) {
      // Fixes after this one changed only text after it: the finding is still where it was.
      const finding = this.visible.find((f) => f.rule === planned.rule && f.start === planned.start && f.end === planned.end);
      if (!finding) continue;
      if (await this.applySuggestion(finding, finding.suggestions[0], { quiet: true })) applied += 1;
      else break;
    }
    return applied;
  }

  ignore(finding) {
    this.ignored.add(findingKey(finding, this.text));
    this.ui.hideCard();
    this.render();
  }

  async addToDictionary(word) {
    this.ui.hideCard();
    try {
      await sendMessage({ type: "dictionary-add", word });
    } catch (error) {
      this.ui.showCard({ notice: `The word was not added: ${error.message || error}`, anchor: this.element.getBoundingClientRect(), pinned: true, owner: this });
      return false;
    }
    // Every checked box rechecks when the worker records the change; this one at once.
    this.recheck();
    return true;
  }

  destroy() {
    this.scheduler.stop();
    this.observer.disconnect();
    this.element.removeEventListener("input", this.onInput);
    this.adapter.destroy();
    this.ui.removeBadge(this.badge);
    this.markers.remove();
    if (this.ui.cardState && this.ui.cardState.owner === this) this.ui.hideCard();
    if (this.ui.panel.session === this) this.ui.panel.close({ restoreFocus: false });
  }
}
