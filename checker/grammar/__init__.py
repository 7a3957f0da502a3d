"""Grammar and spelling: Harper built in, LanguageTool where configured, as Findings.

    from checker.grammar import check_grammar, merge, engine_states, start_engines

    start_engines(policy)                     # at server start: builds off the request path
    findings = check_grammar(text, policy)    # categories "grammar" and "spelling"
    findings = merge(rule_findings, findings) # drops engine matches our own rules already made
    engine_states()                           # {"harper": {"state": ..., "reason": ...}, "languagetool": {...}}

Offsets are Python `str` indices. Text is checked on this machine (Harper) and
is sent nowhere else except to a LanguageTool URL that the user configured.
"""

from __future__ import annotations

import bisect
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from checker.findings import Finding, Severity
from checker import wordfreq
from checker.grammar.cache import SENTENCE_CHUNK, LruCache, RecentSplits, paragraphs
from checker.grammar.config import GrammarConfig, read_config
from checker.grammar.decisions import Decision
from checker.grammar.harper_engine import EngineMatch, HarperEngine
from checker.grammar.languagetool_engine import LanguageToolEngine, is_configured
from checker.grammar.social import (
    Token,
    at_sentence_start,
    blank_social_tokens,
    hashtag_words,
    inside_any,
    looks_like_proper_name,
    next_to_any,
    social_tokens,
)

__all__ = [
    "GrammarConfig",
    "check_grammar",
    "decision_example_holds",
    "engine_states",
    "merge",
    "read_config",
    "shutdown_engines",
    "start_engines",
]

ENV_KEYS = ("SOCIALCHECK_GRAMMAR", "SOCIALCHECK_LT_URL", "SOCIALCHECK_LT_JAR_DIR", "LTP_JAR_DIR_PATH",
            "SOCIALCHECK_LT_START_TIMEOUT")
# Policy categories whose findings are about the words in their span: an engine match
# inside one says the same thing again (brand.spelling "analyzed" and Harper's spelling).
WORD_LEVEL_CATEGORIES = frozenset({"brand", "tone", "offensive", "inclusive", "accessibility", "privacy"})
PHRASE_LENGTH = 40  # a policy finding longer than this is about a sentence, not a word


@dataclass(frozen=True, slots=True)
class _Plan:
    """Which engines run for one configuration."""

    harper: bool
    languagetool: bool
    harper_stands_in: bool  # Harper runs only while LanguageTool is not ready


class Engines:
    """The engines of one configuration, with their paragraph caches."""

    def __init__(self, config: GrammarConfig) -> None:
        self.config = config
        # LanguageTool takes no dictionary with a request: its matches on these are dropped instead.
        self.known_words = frozenset(word.lower() for word in config.words)
        self.harper = HarperEngine(config)
        self._words_version = 0  # of dictionary.extra_words, the words added while running
        self._words_lock = threading.Lock()
        self.languagetool = LanguageToolEngine(config)
        choice = config.engines
        lt_wanted = choice in ("languagetool", "both") or (choice is None and is_configured(config))
        self.plan = _Plan(
            harper=choice in ("harper", "both", None) and config.harper_dialect is not None,
            languagetool=lt_wanted,
            harper_stands_in=choice == "languagetool" and config.harper_dialect is not None,
        )
        if choice == "off":
            self.harper.status.set("off", "grammar checking is switched off")
            self.languagetool.status.set("off", "grammar checking is switched off")
        else:
            if not (self.plan.harper or self.plan.harper_stands_in):
                why = "not chosen" if config.harper_dialect else f"Harper does not check {config.language}"
                self.harper.status.set("off", why)
            if not lt_wanted:
                self.languagetool.status.set(
                    "off", "not configured: set SOCIALCHECK_LT_URL, or install LanguageTool locally"
                )
        self._splits = RecentSplits(SENTENCE_CHUNK)  # Harper's parts of the last few drafts
        self._caches = {
            "harper": LruCache[list[EngineMatch]](config.cache_paragraphs, weigh=_weight),
            "languagetool": LruCache[list[EngineMatch]](config.cache_paragraphs),
            "hashtags": LruCache[list[EngineMatch]](config.cache_paragraphs, weigh=_weight),
            # Harper's parts: what the engines see of each (_Part), and its findings (Engines._harper_findings),
            # keyed by (text, guideline, token before, token after, sentence before).
            "parts": LruCache[_Part](config.cache_paragraphs, weigh=lambda text, part: _weight(text) + part.weight()),
            "findings": LruCache[tuple[Finding, ...]](config.cache_paragraphs,
                                                     weigh=lambda key, found: _weight(key[0], found) + 250),
        }

    def start(self, *, background: bool) -> None:
        if self.plan.languagetool:
            self.languagetool.start(background=True)  # Java never blocks start-up for long
        if self.plan.harper or self.plan.harper_stands_in:
            self.harper.start(background=background)
        if self.plan.languagetool and not background:
            self.languagetool.start(background=False)

    def states(self) -> dict[str, dict[str, str]]:
        if self.plan.languagetool:
            self.languagetool.ensure_ready()  # refreshes a start that timed out
        states = {"harper": self.harper.status.as_dict(), "languagetool": self.languagetool.status.as_dict()}
        if self.plan.harper_stands_in and not self._languagetool_ready():
            states["harper"]["reason"] += "; standing in for LanguageTool"
        return states

    def _languagetool_ready(self) -> bool:
        return self.plan.languagetool and self.languagetool.status.state == "ready"

    def sync_extra_words(self) -> None:
        """Take in words added to (or removed from) the personal dictionary since the last check:
        Harper learns them, and no paragraph linted before the change is answered from cache."""
        from checker.grammar.dictionary import extra_words, words_of

        version, extra = extra_words.snapshot()
        if version == self._words_version:
            return
        with self._words_lock:
            if version == self._words_version:
                return
            self.known_words = frozenset(w.lower() for w in self.config.words + words_of(extra))
            self.harper.set_extra_words(words_of(extra))
            for cache in self._caches.values():
                cache.clear()
            self._words_version = version

    def findings(self, text: str, guideline: str) -> list[Finding]:
        """Every engine's findings for the text, sorted, offsets into the text."""
        return self.findings_later(text, guideline)()

    def findings_later(self, text: str, guideline: str) -> Callable[[], list[Finding]]:
        """`findings`, in two steps: what Harper must lint is handed to its thread now, and the
        function returned waits for it and gives the findings. The caller's own work in between
        (the rules) runs while Harper lints, which lets go of Python's lock."""
        self.sync_extra_words()
        found: list[EngineMatch] = []
        use_lt = self.plan.languagetool and self.languagetool.ensure_ready()
        if use_lt:
            try:
                for offset, paragraph in paragraphs(text):
                    lt = self._caches["languagetool"].get_or_compute(paragraph, lambda p=paragraph: self._lt(p))
                    found.extend(_shift(m, offset) for m in lt)
            except _NotCached:  # it stopped answering: this post goes without it
                found, use_lt = [], False
        use_harper = (self.plan.harper or (self.plan.harper_stands_in and not use_lt)) and self.harper.ensure_ready()
        if not use_lt:
            return self._harper_findings_later(text, guideline) if use_harper else list
        # Both engines: where they flag the same span, one finding is enough (see _to_findings).
        parts = self._parts(text) if use_harper else []
        for (offset, _, _), matches in zip(parts, self._harper_matches_later([part for _, _, part in parts])()):
            found.extend(_shift(m, offset) for m in matches)
        answer = _to_findings(text, found, self, guideline, social_tokens(text))
        return lambda: answer

    def _parts(self, text: str) -> list[tuple[int, str, _Part]]:
        """(offset, text, what the engines see of it) of each of the text's sentence parts (paragraphs)."""
        cache = self._caches["parts"]
        parts = []
        for offset, text_of_part in self._splits.parts(text):
            part = cache.get(text_of_part)
            if part is None:
                part = _Part.of(text_of_part)
                cache.put(text_of_part, part)
            parts.append((offset, text_of_part, part))
        return parts

    def _harper_matches_later(self, parts: list[_Part]) -> Callable[[], list[list[EngineMatch]]]:
        """Harper's matches in each part, hashtags' words included, offsets into the part; every part
        not in the cache linted in one call (see harper_lints), once the function returned is called."""
        lints_later = self.harper_lints_later([("harper", part.prose) for part in parts]
                                              + [("hashtags", joined) for part in parts for *_, joined in part.hashtags])

        def matches_in_each_part() -> list[list[EngineMatch]]:
            lints = lints_later()
            hashtag_lints = iter(lints[len(parts):])
            found = []
            for part, prose_lints in zip(parts, lints):
                matches = list(prose_lints)
                for (token, words, _), harper in zip(part.hashtags, hashtag_lints):
                    matches.extend(_hashtag_spelling(token, words, harper))
                found.append(matches)
            return found

        return matches_in_each_part

    def _harper_findings_later(self, text: str, guideline: str) -> Callable[[], list[Finding]]:
        """Harper's findings, part by part. A part's findings depend on its own text and on three
        things about its neighbours (is a social token next to either end, does a sentence start
        where it starts): memoised on those, a re-check after an edit works out only the parts
        the edit changed, and only those are linted."""
        parts = self._parts(text)
        keys = []
        sentence_before, position = True, 0
        for index, (offset, text_of_part, part) in enumerate(parts):
            if text.find("\n", position, offset) >= 0:
                sentence_before = True  # at_sentence_start stops at a line's end
            token_before = index > 0 and parts[index - 1][2].ends_with_token
            token_after = index + 1 < len(parts) and parts[index + 1][2].starts_with_token
            keys.append((text_of_part, guideline, token_before, token_after, sentence_before))
            if part.ends_sentence is not None:
                sentence_before = part.ends_sentence
            position = offset + len(text_of_part)
        memo = self._caches["findings"]
        found = [memo.get(key) for key in keys]
        todo = [index for index, known in enumerate(found) if known is None]
        matches_later = self._harper_matches_later([parts[index][2] for index in todo]) if todo else list

        def harper_findings() -> list[Finding]:
            for index, matches in zip(todo, matches_later()):
                text_of_part, _, token_before, token_after, sentence_before = keys[index]
                found[index] = tuple(_to_findings(text_of_part, matches, self, guideline, parts[index][2].tokens,
                                                  token_before=token_before, token_after=token_after,
                                                  sentence_before=sentence_before)) if matches else ()
                memo.put(keys[index], found[index])
            # Parts are in order and apart, and each part's findings sorted: so are all of them.
            return [finding.moved(offset) for (offset, _, _), these in zip(parts, found) for finding in these]

        return harper_findings

    def harper_lints_later(self, parts: list[tuple[str, str]]) -> Callable[[], list[list[EngineMatch]]]:
        """Harper's matches for each (cache, text) part, offsets into the part, once the function
        returned is called. Parts not in their cache are linted together, in one call, as
        paragraphs of one text: Harper's cost a call (about 0.3 ms) is paid once a check, however
        many sentences a draft has, and an edited draft re-lints only the sentences that changed.
        The lint starts now, on Harper's thread."""
        results = [self._caches[cache].get(part) for cache, part in parts]
        todo = list(dict.fromkeys(part for part, found in zip(parts, results) if found is None))
        if not todo:
            return lambda: cast(list[list[EngineMatch]], results)
        starts = _starts([text for _, text in todo], _BETWEEN_PARTS)
        linting = self.harper.lint_later(_BETWEEN_PARTS.join(text for _, text in todo))

        def lints() -> list[list[EngineMatch]]:
            per_part: list[list[EngineMatch]] = [[] for _ in todo]
            for match in linting.result():
                index = bisect.bisect_right(starts, match.start) - 1
                if match.end <= starts[index] + len(todo[index][1]):  # never one across two parts
                    per_part[index].append(_shift(match, -starts[index]))
            fresh = dict(zip(todo, per_part))
            for (cache, text), found in fresh.items():
                self._caches[cache].put(text, found)
            return [found if found is not None else fresh[part] for part, found in zip(parts, results)]

        return lints

    def _lt(self, paragraph: str) -> list[EngineMatch]:
        matches = self.languagetool.lint(paragraph)
        if matches is None:
            raise _NotCached
        return matches


# Harper reads a blank line as the end of a paragraph: parts linted together stay apart.
_BETWEEN_PARTS = "\n\n"


def _hashtag_spelling(token: Token, words: list[tuple[int, str]], lints: list[EngineMatch]) -> list[EngineMatch]:
    """Spelling inside a CamelCase hashtag (#ResearchExcelence), from the lints of its words
    joined with spaces, with offsets in the post."""
    found = []
    starts = _starts([word for _, word in words], " ")
    for lint in lints:
        if lint.category != "spelling":
            continue
        for (at, word), begin in zip(words, starts):
            if begin <= lint.start and lint.end <= begin + len(word):
                shift = at - begin
                found.append(
                    EngineMatch(lint.engine, lint.rule, "spelling", lint.start + shift, lint.end + shift,
                                f"{lint.message} (in the hashtag {token.text})", lint.suggestions,
                                in_hashtag=True)
                )
                break
    return found


def _starts(pieces: list[str], separator: str) -> list[int]:
    """Where each piece starts in separator.join(pieces)."""
    starts, position = [], 0
    for piece in pieces:
        starts.append(position)
        position += len(piece) + len(separator)
    return starts


class _NotCached(Exception):
    """LanguageTool did not answer: nothing to cache, nothing to report."""


@dataclass(frozen=True, slots=True)
class _Part:
    """A part of a post (see paragraphs) as the engines see it, offsets into the part. The same
    wherever the part stands: a social token holds no space and parts are cut at spaces, so no
    token crosses a part's ends, and the patterns' look-behinds see a space or nothing there."""

    tokens: list[Token]
    prose: str  # the part with its social tokens blanked: what Harper lints (blank_social_tokens)
    hashtags: tuple[tuple[Token, list[tuple[int, str]], str], ...]  # CamelCase hashtags, their words, joined
    starts_with_token: bool  # its first character but spaces starts a social token
    ends_with_token: bool  # its last character but spaces ends one
    ends_sentence: bool | None  # whether a sentence would start just after it (None: the part does not tell)

    @classmethod
    def of(cls, text: str) -> _Part:
        tokens = social_tokens(text)
        hashtags = tuple((token, words, " ".join(word for _, word in words))
                         for token in tokens if (words := hashtag_words(token)))
        return cls(
            tokens, blank_social_tokens(text, tokens), hashtags,
            bool(tokens) and tokens[0].start == len(text) - len(text.lstrip()),
            bool(tokens) and tokens[-1].end == len(text.rstrip()),
            at_sentence_start(text, len(text), at_text_start=None),
        )

    def weight(self) -> int:
        """About the bytes it keeps alive (see _weight)."""
        tokens = sum(136 + sys.getsizeof(token.text) for token in self.tokens)
        hashtags = sum(200 + 3 * sys.getsizeof(joined) + 150 * len(words) for _, words, joined in self.hashtags)
        return 320 + sys.getsizeof(self.prose) + tokens + hashtags


def _weight(text: str, answers: Iterable[EngineMatch | Finding] = ()) -> int:
    """About the bytes (as approximate_size finds) that a cache entry for a part keeps alive: its
    text and its matches or findings. Estimated rather than walked: a new 3,000-character draft
    puts some 130 entries."""
    return sys.getsizeof(text) + 56 + sum(
        480 + sys.getsizeof(each.message) + sum(sys.getsizeof(s) + 8 for s in each.suggestions) for each in answers
    )


def _shift(match: EngineMatch, offset: int) -> EngineMatch:
    if not offset:
        return match
    return EngineMatch(match.engine, match.rule, match.category, match.start + offset, match.end + offset,
                       match.message, match.suggestions, match.case_only, match.in_hashtag)


# --- the registry: one set of engines per configuration, per process -----------------------

_registry_lock = threading.Lock()
_engines: dict[GrammarConfig, Engines] = {}  # in the order made: the oldest first
MAX_CONFIGURATIONS = 4
_configs: dict[tuple[int, tuple[str, ...]], tuple[Any, GrammarConfig]] = {}
_current: Engines | None = None


def _config_for(policy: Any) -> GrammarConfig:
    env = tuple(os.environ.get(key, "") for key in ENV_KEYS)
    key = (id(policy), env)
    cached = _configs.get(key)
    if cached is not None and cached[0] is policy:
        return cached[1]
    config = read_config(policy)
    with _registry_lock:
        if len(_configs) > 16:
            _configs.clear()
        _configs[key] = (policy, config)  # keeps the policy alive, so its id is not reused
    return config


def _engines_for(config: GrammarConfig) -> Engines:
    global _current
    current = _current
    if current is not None and current.config is config:
        return current  # the usual case: hashing a config walks all its decisions and words
    retired: list[Engines] = []
    with _registry_lock:
        engines = _engines.get(config)
        if engines is None:
            engines = _engines[config] = Engines(config)
            # A server that reloads its pack makes a new configuration each time: keep the newest
            # few, so memory stays bounded however often the pack or dictionary changes.
            while len(_engines) > MAX_CONFIGURATIONS:
                retired.append(_engines.pop(next(iter(_engines))))
        _current = engines
    for old in retired:
        old.languagetool.close()
    return engines


def _default_policy() -> Any:
    from checker.policy import load_policy

    return load_policy()


# --- the public API ------------------------------------------------------------------------


def start_engines(policy: Any = None, *, background: bool = True) -> dict[str, dict[str, str]]:
    """Build the configured engines now, off the request path when `background`.

    Until an engine is ready, `check_grammar` answers without it and its state says "starting".
    Raises PolicyError if the pack's [grammar] table or the environment is wrong.
    """
    engines = _engines_for(_config_for(policy if policy is not None else _default_policy()))
    engines.start(background=background)
    return engines.states()


def engine_states() -> dict[str, dict[str, str]]:
    """Each engine's state ("ready", "starting", "unavailable", "off") and why, for /v1/health."""
    engines = _current
    if engines is None:
        return {
            "harper": {"state": "starting", "reason": "not started yet: builds on first check"},
            "languagetool": {"state": "starting", "reason": "not started yet"},
        }
    return engines.states()


def shutdown_engines() -> None:
    """Stop every LanguageTool this process started and forget all engines."""
    global _current
    with _registry_lock:
        engines, _current = list(_engines.values()), None
        _engines.clear()
        _configs.clear()
    for each in engines:
        each.languagetool.close()


def check_grammar(text: str, policy: Any) -> list[Finding]:
    """Grammar and spelling findings for `text` from the configured engines.

    Harper is built on first use unless `start_engines` is building it in the background
    (then its matches are left out until it is ready); LanguageTool is never waited for.
    """
    return check_grammar_later(text, policy)()


def check_grammar_later(text: str, policy: Any) -> Callable[[], list[Finding]]:
    """`check_grammar` in two steps: the sentences Harper has not seen are handed to its thread
    now, and the function returned waits for its answer and gives the findings. What the caller
    does in between (the rules: about a third of a check) runs while Harper lints."""
    if not isinstance(text, str):
        from checker.errors import InputError

        raise InputError(f"text must be a string, not {type(text).__name__}")
    config = _config_for(policy)
    if config.engines == "off" or not text.strip():
        _engines_for(config)
        return list
    engines = _engines_for(config)
    guideline = policy.guideline_title("quality") if hasattr(policy, "guideline_title") else ""
    return engines.findings_later(text, guideline)


def _to_findings(text: str, matches: Iterable[EngineMatch], engines: Engines, guideline: str, tokens: list[Token], *,
                 token_before: bool = False, token_after: bool = False, sentence_before: bool = True) -> list[Finding]:
    """The matches the pack reports, as findings. When `text` is a part of a post: whether only
    spaces stand between it and a social token before and after it, and whether a sentence
    starts where it starts."""
    config, known = engines.config, engines.known_words
    findings: list[Finding] = []
    taken: list[tuple[int, int, str]] = []
    # LanguageTool first: where both engines flag the same span, one finding is enough.
    for match in sorted(matches, key=lambda m: (m.engine != "languagetool", m.start, m.end)):
        if match.start >= match.end or match.end > len(text):
            continue
        problem = text[match.start:match.end]
        in_hashtag_word = match.in_hashtag
        if not in_hashtag_word and inside_any(match.start, match.end, tokens):
            continue  # hashtags, mentions, links and addresses are not prose
        if (match.engine == "harper" and match.category == "grammar"
                and next_to_any(text, match.start, match.end, tokens, token_before=token_before, token_after=token_after)):
            continue  # Harper saw the token blanked (see blank_social_tokens)
        if (match.category == "spelling" or match.case_only) and problem.lower() in known:
            continue  # the organisation's own word
        if any(s < match.end and match.start < e and c == match.category for s, e, c in taken):
            continue
        severity = _severity(text, match, config, sentence_before)
        if severity is None:
            continue
        taken.append((match.start, match.end, match.category))
        findings.append(
            Finding(
                rule=f"{match.category}.{match.engine}.{match.rule}",
                category=match.category,
                severity=severity,
                start=match.start,
                end=match.end,
                message=match.message or f"Check {problem!r}.",
                suggestions=match.suggestions,
                guideline=guideline,
            )
        )
    return sorted(findings, key=lambda f: (f.start, f.end, f.rule))


def decision_example_holds(policy: Any, decision: Decision, text: str, *, flagged: bool) -> bool:
    """True if an example of policy/grammar.toml behaves as the pack says.

    A `flag` example is reported by one of the decision's rules at the decision's severity;
    a `pass` example is blocked (error or warning) by none of them, and an `off` rule
    reports nothing at all.
    """
    ours = [f for f in check_grammar(text, policy) if f.rule.partition(".")[2] in decision.rules]
    if flagged:
        return any(f.severity == decision.severity for f in ours)
    if decision.severity == "off":
        return not ours
    return not any(f.severity in ("error", "warning") for f in ours)


def _is_typo(text: str, match: EngineMatch, decision: Decision) -> bool:
    """A word the engine does not know: a typo, or a name or word it lacks (policy/grammar.toml)?

    A capitalised word gets the stricter test wherever it stands: first in a sentence it is as
    likely a name (Lund, Deniz) as a common word; Harper's own rules catch "Teh".
    """
    word = text[match.start:match.end]
    if match.in_hashtag or not word.isascii() or not word.isalpha():
        return False  # hashtag words, other scripts and languages, words with digits
    if _in_compound(text, match.start, match.end) or _known_form(word, text[match.end:match.end + 1], match.suggestions):
        return False
    if word.islower():
        test = decision.typo
    elif word[0].isupper() and word[1:].islower():
        if wordfreq.count(word) == 0:
            return False  # a capitalised word no dictionary knows is a name
        test = decision.typo_capitalised
    else:
        return False  # acronyms and inner capitals: UCU, MSc, CoLab
    if test is None or len(word) < test.min_letters:
        return False
    suggestions = match.suggestions
    if test.swaps_only:
        suggestions = tuple(s for s in suggestions if wordfreq.is_swap(word, s))
    typo = wordfreq.likely_typo(word, suggestions, commoner_by=test.commoner_by, max_edits=test.max_edits)
    if typo and test.dictionary and wordfreq.in_dictionary(word) and not _lacks_apostrophe(word, match.suggestions):
        typo = False  # a rare real word near a common one: grub (grab), soya (soda), subunit (submit)
    variant_edits = test.variant_edits or test.max_edits
    return typo or wordfreq.spelling_variant(word, suggestions, min_count=test.variant_count, max_edits=variant_edits)


def _lacks_apostrophe(word: str, suggestions: tuple[str, ...]) -> bool:
    """'wont' for "won't", 'shes' for "she's": words of their own that are, here, a slip."""
    return any(("'" in s or "’" in s) and s.replace("'", "").replace("’", "").lower() == word.lower() for s in suggestions)


_CONTRACTIONS = ("n't", "'re", "'ll", "'ve", "'d", "'m")


def _known_form(word: str, after: str, suggestions: tuple[str, ...]) -> bool:
    """Harper suggests only punctuation for a form it lacks: 'deans' -> "dean's" (a plural),
    'writeup' -> 'write-up', 'incl' before a full stop -> 'incl.'. A missing apostrophe in a
    contraction ('hasnt' -> "hasn't") is still a slip."""
    for suggestion in suggestions:
        if suggestion.lower() == word.lower() + ".":
            return after == "."
        plain = suggestion.replace("'", "").replace("’", "").replace("-", "")
        if plain.lower() == word.lower() and not any(c in suggestion.lower() for c in _CONTRACTIONS):
            return True
    return False


def _in_compound(text: str, start: int, end: int) -> bool:
    """Part of a hyphenated coinage: eggs-hibition, roar-tastic, agri-food, x-rayed."""
    before = start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha()
    after = end + 1 < len(text) and text[end] == "-" and text[end + 1].isalpha()
    return before or after


def _severity(text: str, match: EngineMatch, config: GrammarConfig, sentence_before: bool = True) -> Severity | None:
    """The pack's decision for this match (policy/grammar.toml), or None when the rule is off.
    `sentence_before`: whether a sentence starts where `text` starts."""
    decision = config.decisions.of(f"{match.engine}.{match.rule}")
    severity = decision.severity if decision is not None else config.decisions.default
    if severity == "off":
        return None
    if decision is None or decision.names is None:
        return cast(Severity, severity)
    problem = text[match.start:match.end]
    if decision.typo is not None and match.category == "spelling":
        if match.case_only and problem.islower():
            return cast(Severity, severity)  # "english" for "English": a slip, not a name
        return cast(Severity, severity if _is_typo(text, match, decision) else decision.names)
    if match.in_hashtag or looks_like_proper_name(text, match.start, match.end, sentence_before=sentence_before):
        return cast(Severity, decision.names)
    return cast(Severity, severity)


def merge(rule_findings: list[Finding], grammar_findings: list[Finding]) -> list[Finding]:
    """Rule findings, plus the engine findings that do not repeat one of them.

    An engine finding repeats a policy finding when both cover the same span and say the
    same thing: the same suggestion, or a word-level policy finding (brand, tone,
    offensive, inclusive, accessibility, privacy) over the same word or phrase. Ours are
    kept: they carry the organisation's own message and guideline.
    """
    kept = list(rule_findings)
    for finding in grammar_findings:
        if not any(_repeats(finding, rule) for rule in rule_findings):
            kept.append(finding)
    return kept


def _repeats(engine: Finding, rule: Finding) -> bool:
    overlap = min(engine.end, rule.end) - max(engine.start, rule.start)
    if overlap <= 0:
        return False
    same_suggestion = bool({s.lower() for s in engine.suggestions} & {s.lower() for s in rule.suggestions})
    union = max(engine.end, rule.end) - min(engine.start, rule.start)
    same_span = overlap / union >= 0.5
    within_phrase = rule.start <= engine.start and engine.end <= rule.end and rule.end - rule.start <= PHRASE_LENGTH
    if same_suggestion and (same_span or within_phrase):
        return True
    return rule.category in WORD_LEVEL_CATEGORIES and (same_span or within_phrase)
