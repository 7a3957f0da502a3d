// Pure helpers for reviewing findings: which are drawn under the words and which beside them,
// which one a pointer means, how the panel groups them, and which fixes are safe to apply
// together. Offsets are JavaScript string indices (UTF-16 code units).

import { SEVERITIES } from "./spans.js";

// A finding longer than this is about a sentence or the whole post (reading ease, sentence
// length, sentiment, over the limit): underlining it would hide the words inside it, so it is
// shown as a margin marker, in the badge's counts and in the panel instead.
export const WIDE_SPAN = 40;

export const SEVERITY_LABELS = Object.freeze({ error: "Must fix", warning: "Should fix", info: "Advice" });
export const CATEGORY_LABELS = Object.freeze({
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
});

// Categories whose single suggestion is the house's own answer (the University's name, British
// spelling, "chair" for "chairman"): safe to apply without reading each one.
const SAFE_FIX_CATEGORIES = new Set(["brand", "inclusive"]);

/** A wide finding whose words are the point: the part past the network's limit is tinted. */
export function isOverflow(finding) {
  return finding.category === "platform" && isWide(finding);
}

export function isWide(finding) {
  return finding.end - finding.start > WIDE_SPAN;
}

/** Findings drawn under their words (narrow) and findings shown beside them (wide). */
export function splitByWidth(findings) {
  const narrow = [];
  const wide = [];
  for (const finding of findings) (isWide(finding) ? wide : narrow).push(finding);
  return { narrow, wide };
}

function severityRank(finding) {
  const rank = SEVERITIES.indexOf(finding.severity);
  return rank < 0 ? SEVERITIES.length : rank;
}

/** The finding a pointer over several means: the narrowest (the word itself), then the most severe. */
export function pickPointed(candidates) {
  let best = null;
  for (const finding of candidates) {
    if (
      best === null ||
      finding.end - finding.start < best.end - best.start ||
      (finding.end - finding.start === best.end - best.start && severityRank(finding) < severityRank(best))
    ) {
      best = finding;
    }
  }
  return best;
}

/** The most severe of some findings. */
export function mostSevere(findings) {
  let best = null;
  for (const finding of findings) if (best === null || severityRank(finding) < severityRank(best)) best = finding;
  return best;
}

/**
 * The text cut at every finding's ends: [{start, end, covering}] for each piece some finding
 * covers, in order. Overlapping findings each keep their own pieces, so none hides another.
 */
export function pieces(findings, length) {
  const spans = findings.filter((f) => f.end > f.start && f.start >= 0 && f.end <= length);
  const cuts = [...new Set(spans.flatMap((f) => [f.start, f.end]))].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const start = cuts[i];
    const end = cuts[i + 1];
    const covering = spans.filter((f) => f.start <= start && f.end >= end);
    if (covering.length) out.push({ start, end, covering });
  }
  return out;
}

/** A fix that can be applied with others, unread: one suggestion, from the house's own word lists. */
export function isSafeFix(finding) {
  const suggestions = Array.isArray(finding.suggestions) ? finding.suggestions : [];
  return (
    suggestions.length === 1 &&
    typeof suggestions[0] === "string" &&
    suggestions[0].trim() !== "" &&
    SAFE_FIX_CATEGORIES.has(finding.category) &&
    !isWide(finding)
  );
}

/** Safe fixes that do not overlap one another, last first (so earlier offsets stay true as each is applied). */
export function safeFixes(findings) {
  const chosen = [];
  for (const finding of [...findings].filter(isSafeFix).sort((a, b) => a.start - b.start)) {
    const previous = chosen[chosen.length - 1];
    if (previous && finding.start < previous.end) continue;
    chosen.push(finding);
  }
  return chosen.reverse();
}

/**
 * The panel's groups: by severity (most severe first), then by category, each with its count;
 * inside a category, findings in text order.
 * @returns {{severity: string, label: string, count: number, categories: {category: string, label: string, findings: object[]}[]}[]}
 */
export function groupFindings(findings) {
  const groups = [];
  for (const severity of SEVERITIES) {
    const these = findings.filter((f) => f.severity === severity);
    if (!these.length) continue;
    const categories = [];
    for (const finding of these) {
      let group = categories.find((c) => c.category === finding.category);
      if (!group) {
        group = { category: finding.category, label: CATEGORY_LABELS[finding.category] || finding.category, findings: [] };
        categories.push(group);
      }
      group.findings.push(finding);
    }
    for (const group of categories) group.findings.sort((a, b) => a.start - b.start || a.end - b.end);
    categories.sort((a, b) => a.findings[0].start - b.findings[0].start);
    groups.push({ severity, label: SEVERITY_LABELS[severity], count: these.length, categories });
  }
  return groups;
}

/** Every finding in the order the panel lists them (and next and previous go through them). */
export function reviewOrder(findings) {
  return groupFindings(findings).flatMap((group) => group.categories.flatMap((category) => category.findings));
}

/** What a card says to do, when the policy gave no advice: by category. */
export function fallbackAdvice(finding) {
  if (finding.category === "spelling") {
    return "Correct the spelling. If the word is right (a name or a term), add it to your dictionary.";
  }
  if (finding.category === "grammar") return "Reword it as the note says, or ignore it for this draft if it reads right.";
  return "";
}
