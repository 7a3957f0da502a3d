// Pure helpers for findings over a draft: replacing a span, keeping findings in place while the
// user types, ignoring, counting. Offsets are JavaScript string indices (UTF-16 code units).

export const SEVERITIES = Object.freeze(["error", "warning", "info"]);

/**
 * Replace exactly text[start, end) with `replacement`.
 * @returns {{text: string, caret: number}} the new text and the caret just after the insert
 */
export function replaceSpan(text, start, end, replacement) {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
    throw new RangeError(`span ${start}-${end} is outside a text of length ${text.length}`);
  }
  return {
    text: text.slice(0, start) + replacement + text.slice(end),
    caret: start + replacement.length,
  };
}

/**
 * The part of the text that changed between two versions: the common prefix and suffix are
 * left out. `oldEnd` and `newEnd` are exclusive ends in each version.
 */
export function changedRegion(oldText, newText) {
  const shorter = Math.min(oldText.length, newText.length);
  let prefix = 0;
  while (prefix < shorter && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix += 1;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)
  ) {
    suffix += 1;
  }
  return { start: prefix, oldEnd: oldText.length - suffix, newEnd: newText.length - suffix };
}

/**
 * Move findings made for `oldText` onto `newText` until the next answer arrives: findings
 * before the edit stay, findings after it shift, and any finding the edit touches (overlaps
 * or borders, as when a word is being extended) is dropped rather than drawn in the wrong place.
 */
export function rebaseFindings(findings, oldText, newText) {
  if (oldText === newText) return findings.slice();
  const region = changedRegion(oldText, newText);
  const delta = region.newEnd - region.oldEnd;
  const kept = [];
  for (const finding of findings) {
    if (finding.end < region.start) {
      kept.push(finding);
    } else if (finding.start > region.oldEnd) {
      kept.push({ ...finding, start: finding.start + delta, end: finding.end + delta });
    }
  }
  return kept;
}

/** What identifies a finding for "ignore for this draft": the rule and the words it is about. */
export function findingKey(finding, text) {
  return `${finding.rule}\u0000${text.slice(finding.start, finding.end)}`;
}

/** Findings whose span is valid for `text` and that the user has not ignored. */
export function visibleFindings(findings, text, ignoredKeys) {
  return findings.filter(
    (finding) =>
      Number.isInteger(finding.start) &&
      Number.isInteger(finding.end) &&
      finding.start >= 0 &&
      finding.end <= text.length &&
      finding.end >= finding.start &&
      !ignoredKeys.has(findingKey(finding, text)),
  );
}

/** Counts by severity, every severity present (zero when none). */
export function countBySeverity(findings) {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) {
    if (finding.severity in counts) counts[finding.severity] += 1;
  }
  return counts;
}

/** The finding under a string offset, preferring the most severe and then the narrowest. */
export function findingAt(findings, offset) {
  let best = null;
  for (const finding of findings) {
    if (offset < finding.start || offset > finding.end) continue;
    if (
      best === null ||
      SEVERITIES.indexOf(finding.severity) < SEVERITIES.indexOf(best.severity) ||
      (finding.severity === best.severity && finding.end - finding.start < best.end - best.start)
    ) {
      best = finding;
    }
  }
  return best;
}
