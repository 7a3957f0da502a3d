// One CSS Custom Highlight per severity, shared by every editor on the page, and one for the
// part of a post past the network's limit (a tint under the words, never an underline).
import { SEVERITIES } from "../lib/spans.js";

const KINDS = [...SEVERITIES, "overflow"];
export const HIGHLIGHT_NAMES = Object.freeze(Object.fromEntries(KINDS.map((s) => [s, `socialcheck-${s}`])));
const PRIORITY = { error: 3, warning: 2, info: 1, overflow: 0 };
const rangesByOwner = new Map();

export function highlightsSupported() {
  return typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function";
}

function rebuild() {
  for (const severity of KINDS) {
    const ranges = [];
    for (const owned of rangesByOwner.values()) ranges.push(...(owned[severity] || []));
    const name = HIGHLIGHT_NAMES[severity];
    if (ranges.length === 0) {
      CSS.highlights.delete(name);
      continue;
    }
    const highlight = new Highlight(...ranges);
    highlight.priority = PRIORITY[severity];
    CSS.highlights.set(name, highlight);
  }
}

/** Replace the ranges one editor contributes: {error: Range[], warning: Range[], info: Range[], overflow: Range[]}. */
export function setOwnerRanges(owner, rangesBySeverity) {
  if (!highlightsSupported()) return;
  rangesByOwner.set(owner, rangesBySeverity);
  rebuild();
}

export function clearOwner(owner) {
  if (!highlightsSupported() || !rangesByOwner.delete(owner)) return;
  rebuild();
}
