"""The text engine: a policy's rules compiled for one profile, run over a post."""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from checker.errors import CheckTimeoutError, InputError
from checker.findings import SEVERITIES, Finding, Report
from checker.lru import BoundedLru
from checker.policy import Example, Policy, Rule, load_policy
from checker.text.document import Document
from checker.text.gate import SentenceGate
from checker.text.rules import Check, Context, compile_rule
from checker.text.wordforms import release_lexicon

MAX_TEXT_LENGTH = 100_000
# The grammar engines' cost grows fast on long, odd text (thousands of one-letter sentences);
# no network's post is longer than this but Facebook's, and drafts that long are not typed live.
GRAMMAR_MAX_LENGTH = 20_000


SENTENCE_MEMO_SIZE = 4096
SENTENCE_MEMO_BYTES = 16_000_000
# A post's findings beyond this are left out (the most severe are kept, and stats["omitted_findings"]
# says how many were left out): "!? " * 33333 had 33,333 and an 8.9 MB answer.
MAX_FINDINGS = 500
# Every rule runs in linear time, so a 100,000-character post takes about a second; a check that
# takes longer than this is stopped with CheckTimeoutError rather than holding a server thread.
CHECK_BUDGET_SECONDS = 10.0


class _Budget:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise CheckTimeoutError(
                f"checking this text took longer than {self.seconds:g} s, so it was stopped; check it in shorter parts"
            )


@dataclass(frozen=True, slots=True)
class CompiledChecker:
    """A profile's compiled checks, and the findings of sentences it has already seen.

    Most checks look at one sentence at a time, so re-checking a draft after an edit
    runs them on the edited sentence only; the rest come from the memo. Checks of the
    whole post (length, counts, readability, sentiment) run every time.
    """

    policy: Policy
    profile: str
    checks: tuple[Check, ...]
    memo: BoundedLru[str, SentenceFindings] = field(default_factory=lambda: _sentence_memo(), compare=False, repr=False)
    gate: SentenceGate = field(init=False, compare=False, repr=False)
    sentence_checks: tuple[Check, ...] = field(init=False, compare=False, repr=False)
    # Where each sentence check is in `checks`, and the indices of the checks of the whole post.
    _sentence_order: tuple[int, ...] = field(init=False, compare=False, repr=False)
    _post_order: tuple[int, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        sentence_order = tuple(i for i, c in enumerate(self.checks) if c.scope == "sentence")
        sentence_checks = tuple(self.checks[i] for i in sentence_order)
        object.__setattr__(self, "sentence_checks", sentence_checks)  # frozen: set once, here
        object.__setattr__(self, "gate", SentenceGate(sentence_checks))
        object.__setattr__(self, "_sentence_order", sentence_order)
        object.__setattr__(self, "_post_order", tuple(i for i, c in enumerate(self.checks) if c.scope != "sentence"))

    def run(self, text: str, platform: str, grammar: bool = True, budget: float = CHECK_BUDGET_SECONDS) -> Report:
        context = Context(platform=self.policy.platform(platform), policy=self.policy)
        limit = _Budget(budget)
        grammar_skipped = grammar and len(text) > GRAMMAR_MAX_LENGTH
        grammar_findings = None
        if grammar and not grammar_skipped:
            from checker.grammar import check_grammar_later

            # Harper lints on its own thread, without Python's lock, while the rules run here.
            grammar_findings = check_grammar_later(text, self.policy)
        doc = Document.of_post(text)
        checks, sentence_order = self.checks, self._sentence_order
        found: dict[int, list[Finding]] = {}  # by index in `checks`: only the checks that found something
        for start, sentence in doc.sentence_parts:  # the sentences' shared Documents (of_sentence)
            for index, findings in self._sentence_findings(sentence, context):
                moved = [f.moved(start) for f in findings] if start else findings
                found.setdefault(sentence_order[index], []).extend(moved)
            limit.check()
        for index in self._post_order:
            these = list(checks[index].run(doc, context))
            if these:
                found[index] = these
            limit.check()
        findings: list[Finding] = []
        for index in sorted(found):  # in the order of the checks, as the policy lists them
            these, rule = found[index], checks[index].rule
            if len(these) < rule.min_matches:
                # One "!!" or one "lol" is a note; a post full of them is a problem.
                these = [replace(f, severity="info") for f in these]
            findings.extend(these)
        # A word in the team's or the user's dictionary is spelt right for our rules too.
        from checker.grammar.dictionary import drop_dictionary_words, known_words

        findings = drop_dictionary_words(findings, text, known_words(self.policy))
        findings, omitted = _most_severe(findings, MAX_FINDINGS)
        if grammar_findings is not None:
            from checker.grammar import merge

            findings, more = _most_severe(merge(findings, grammar_findings()), MAX_FINDINGS)
            omitted += more
        stats: dict[str, Any] = {"platform": platform, "profile": self.profile, "characters": len(text)}
        if grammar:
            from checker.grammar import engine_states

            stats["engines"] = engine_states()
        if grammar_skipped:
            stats["grammar"] = f"not checked: grammar and spelling run on posts of up to {GRAMMAR_MAX_LENGTH:,} characters"
        stats.update(context.stats)
        if omitted:
            stats["omitted_findings"] = omitted
        return Report.build(findings, stats)

    def _sentence_findings(self, doc: Document, context: Context) -> SentenceFindings:
        """(index in `sentence_checks`, findings) of the checks that find something in the
        sentence `doc` (the gate's indices and the memo are of those checks)."""
        checks = self.sentence_checks
        cached = self.memo.get(doc.text)
        if cached is None:
            # Only the checks whose gates open run; most checks find nothing in most sentences,
            # and only the others are kept.
            cached = tuple(
                (index, found)
                for index, parts in self.gate.open_checks(doc)
                if (found := tuple(checks[index].run_parts(doc, context, parts)))
            )
            self.memo.put(doc.text, cached)
        return cached


# A sentence's findings: (index of the check, its findings) for each check that found something.
SentenceFindings = tuple[tuple[int, tuple[Finding, ...]], ...]


def _sentence_memo() -> BoundedLru[str, SentenceFindings]:
    return BoundedLru(SENTENCE_MEMO_SIZE, SENTENCE_MEMO_BYTES, _memo_bytes)


def _memo_bytes(sentence: str, found: SentenceFindings) -> int:
    """About what a memo entry keeps alive (within 15% of approximate_size, which walks every field
    and cost a tenth of checking the sentence); a finding's rule, category and guideline are the
    policy's own strings, shared, but counted all the same."""
    size = sys.getsizeof(sentence) + 64 + 72 * len(found)
    for _, findings in found:
        for f in findings:
            size += 360 + sys.getsizeof(f.message) + sys.getsizeof(f.guideline) + sum(64 + sys.getsizeof(s) for s in f.suggestions)
    return size


def _most_severe(findings: list[Finding], most: int) -> tuple[list[Finding], int]:
    """At most `most` findings, the most severe first (so a post that blocks still blocks), and how many were left out."""
    if len(findings) <= most:
        return findings, 0
    ranked = sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.start))
    return ranked[:most], len(findings) - most


_compile_lock = threading.Lock()


def compile_checker(policy: Policy, profile: str | None = None) -> CompiledChecker:
    """The policy's rules for one profile, compiled once and kept on the policy, so they live
    as long as it does and no longer (a server that reloads its pack does not keep old ones)."""
    profile_id = policy.profile(profile).id
    compiled = policy.compiled.get(profile_id)
    if compiled is None:
        with _compile_lock:
            compiled = policy.compiled.get(profile_id)
            if compiled is None:
                checks = tuple(compile_rule(rule, policy) for rule in policy.active_rules(profile_id))
                compiled = policy.compiled[profile_id] = CompiledChecker(policy, profile_id, checks)
                release_lexicon()  # the term lists' word forms are made: free the morphology lexicon
    return compiled


def check_example(policy: Policy, rule: Rule, example: Example) -> bool:
    """Whether `rule` alone, at its own severity, flags one of its examples."""
    checker = CompiledChecker(policy, policy.default_profile, (compile_rule(rule, policy),))
    report = checker.run(example.text, example.platform, grammar=False)
    at_least = SEVERITIES.index(rule.severity)
    return any(f.rule == rule.id and SEVERITIES.index(f.severity) <= at_least for f in report.findings)


def check_text(
    text: str,
    platform: str = "generic",
    profile: str | None = None,
    *,
    policy: Policy | None = None,
    grammar: bool = True,
) -> Report:
    """Check the text of a post against a policy (the bundled default when none is given).

    With `grammar` (the default), the configured grammar and spelling engines run too
    (Harper unless the policy or SOCIALCHECK_GRAMMAR says otherwise); `grammar=False` runs
    the policy's rules alone.

    Raises UnknownPlatformError or UnknownProfileError (both ValueError) for names the policy
    does not define, and InputError for text that is not a string or is over 100,000 characters.
    """
    if not isinstance(text, str):
        raise InputError(f"text must be a string, not {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        raise InputError(f"text is {len(text):,} characters; the most a check takes is {MAX_TEXT_LENGTH:,}")
    policy = policy or load_policy()
    policy.platform(platform)  # fail on an unknown platform before any work
    return compile_checker(policy, profile).run(text, platform, grammar)
