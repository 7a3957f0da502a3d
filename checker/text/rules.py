"""Rule kinds: how a rule written in a policy file becomes a check.

Most rules are data: a `terms` list (words and phrases, with their
alternatives) or `patterns` (regular expressions). The other kinds are code
for what a list cannot say: counting, sentiment, readability, Unicode.
Each kind validates its own options and raises `PolicyError` naming the file,
the rule and the problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from checker import wordfreq
from checker.errors import PolicyError
from checker.findings import Finding
from checker.linear_regex import LinearPattern, compile_linear
from checker.lru import BoundedLru, approximate_size
from checker.policy import Platform, Policy, Rule, check_message
from checker.text import analysis
from checker.text.document import Document, Token
from checker.text.gate import loose_gate, pattern_gate
from checker.text.context import Context as TermContext
from checker.text.context import compile_phrases as compile_context
from checker.text.matchers import PhraseIndex, make_phrase
from checker.text.wordforms import word_forms


@dataclass
class Context:
    """What a check knows beyond the text: the platform and the figures gathered so far."""

    platform: Platform
    policy: Policy
    stats: dict[str, Any] = field(default_factory=dict)


MAX_QUOTED = 100  # characters of a match that a message quotes


class Check:
    """A compiled rule: `run(doc, context)` yields findings."""

    options_schema: Mapping[str, type | tuple[type, ...]] = {}
    required: tuple[str, ...] = ()
    # "sentence": the check sees one sentence at a time, and its findings for an unchanged
    # sentence are reused when a draft is edited; "post": it sees the whole post every time.
    scope = "sentence"

    def __init__(self, rule: Rule, policy: Policy) -> None:
        self.rule = rule
        self.guideline = policy.guideline_title(rule.guideline)
        self.options = dict(rule.options)
        unknown = set(self.options) - set(self.options_schema)
        if unknown:
            raise self.error(f"unknown option(s) {sorted(unknown)} for kind {rule.kind!r}; known: {sorted(self.options_schema)}")
        for key in self.required:
            if key not in self.options:
                raise self.error(f"kind {rule.kind!r} needs the option {key!r}")
        for key, value in self.options.items():
            kind = self.options_schema[key]
            if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float, (int, float))):
                raise self.error(f"option {key!r} has the wrong type ({type(value).__name__})")
        self.setup(policy)

    def setup(self, policy: Policy) -> None:
        """Compile the options (override)."""

    def error(self, problem: str) -> PolicyError:
        return PolicyError(self.rule.file, self.rule.id, problem)

    def run(self, doc: Document, context: Context) -> Iterable[Finding]:
        raise NotImplementedError

    def gates(self) -> Sequence[str | None] | None:
        """RE2 patterns, one a part of the check, of which one must match a sentence for the part
        to find anything in it (None for a part that must always run); None if the check has no
        gate. The engine runs them all in one pass (checker.text.gate) and calls `run_parts`."""
        return None

    def run_parts(self, doc: Document, context: Context, parts: frozenset[int] | None) -> Iterable[Finding]:
        """`run`, for only the parts whose gates opened (all of them when `parts` is None)."""
        return self.run(doc, context)

    def word_gate(self) -> PhraseIndex | None:
        """A phrase list that must have a match starting in a sentence for the check to find anything
        in it (None if none must): the engine looks up all such lists' first words at once."""
        return None

    def finding(self, start: int, end: int, suggestions: Iterable[str] = (), message: str | None = None, **values: Any) -> Finding:
        suggestions = tuple(s for s in suggestions)
        values.setdefault("suggestion", suggestions[0] if suggestions else "")
        template = message if message is not None else self.rule.message
        # A message quotes what it found; a 100,000-character match is quoted by its start.
        shown = {k: v if not isinstance(v, str) or len(v) <= MAX_QUOTED else v[: MAX_QUOTED - 1] + "…" for k, v in values.items()}
        try:
            text = template.format(**shown)
        except (KeyError, IndexError, ValueError):
            text = template
        return Finding(
            rule=self.rule.id,
            category=self.rule.category,
            severity=self.rule.severity,
            start=start,
            end=end,
            message=text,
            suggestions=suggestions,
            guideline=self.guideline,
        )

    def strings(self, key: str) -> list[str]:
        values = self.options.get(key, [])
        if not all(isinstance(v, str) for v in values):
            raise self.error(f"option {key!r} must be a list of strings")
        return list(values)

    def phrases(self, key: str) -> PhraseIndex | None:
        """A list option of words and phrases, indexed for matching (None when absent or empty)."""
        if not self.options.get(key):
            return None
        try:
            return PhraseIndex(dict.fromkeys(self.strings(key), ()))
        except ValueError as problem:
            raise self.error(f"option {key!r}: {problem}") from None

    def regex(self, source: str, flags: int = 0, *, ignore_case: bool = False) -> LinearPattern:
        """A pattern from the policy, run in linear time (checker.linear_regex); PolicyError if it cannot be.
        `flags` takes re.IGNORECASE, re.MULTILINE and re.DOTALL, as re.compile did."""
        inline = "".join(letter for flag, letter in ((re.MULTILINE, "m"), (re.DOTALL, "s")) if flags & flag)
        source = f"(?{inline}){source}" if inline else source
        return compile_linear(source, ignore_case=ignore_case or bool(flags & re.IGNORECASE), file=self.rule.file, rule=self.rule.id)


def _suggestions(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value else ()
    return tuple(value)


def _match_case(suggestion: str, original: str) -> str:
    """Keep the writer's capitalisation: "Chairman" -> "Chair", "CHAIRMEN" -> "CHAIRS"."""
    if len(original) > 1 and original.isupper() and suggestion.islower():
        return suggestion.upper()
    if original[:1].isupper() and suggestion[:1].islower():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


class Terms(Check):
    """Words and phrases from a list, each with its alternatives.

    Each term also matches its word forms (`word_forms`, on unless a list spells its forms itself),
    joins its words as written unless `hyphen_or_space` is set, and may say in which contexts it
    counts (`context`, see checker.text.context).
    """

    options_schema = {
        "terms": dict,
        "words": list,
        "names": list,
        "except": list,
        "in_hashtags": bool,
        "case_sensitive": bool,
        "unless_sentence_has": list,
        "word_forms": bool,
        "hyphen_or_space": bool,
        "context": dict,
    }

    def setup(self, policy: Policy) -> None:
        entries: dict[str, tuple[str, ...]] = {}
        for phrase, value in self.options.get("terms", {}).items():
            if not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
                raise self.error(f"terms.{phrase!r} must be a string or a list of strings")
            entries[phrase] = _suggestions(value)
        for phrase in self.strings("words"):
            entries.setdefault(phrase, ())
        if not entries:
            raise self.error("kind 'terms' needs a non-empty 'terms' table or 'words' list")
        hyphen_or_space = self.options.get("hyphen_or_space", False)
        try:
            phrases = [make_phrase(text, suggestions, hyphen_or_space) for text, suggestions in entries.items()]
            if self.options.get("word_forms", True):
                listed = {phrase.words for phrase in phrases}
                for text, suggestions in entries.items():
                    for form, form_suggestions in word_forms(text, suggestions):
                        phrase = make_phrase(form, form_suggestions, hyphen_or_space, entry=text)
                        if phrase.words not in listed:  # a form the list gives itself keeps the list's suggestion
                            listed.add(phrase.words)
                            phrases.append(phrase)
            self.index = PhraseIndex(phrases)
        except ValueError as problem:
            raise self.error(str(problem)) from None
        self.contexts = self._contexts(entries)
        self.exceptions = self.phrases("except")
        self.context_words = self.phrases("unless_sentence_has")
        self.names = {n.lower() for n in self.strings("names")}
        self.in_hashtags = self.options.get("in_hashtags", False)
        self.case_sensitive = self.options.get("case_sensitive", False)

    def _contexts(self, entries: Mapping[str, Any]) -> dict[str, TermContext]:
        """`context."clown|clowns" = { only_in = [...], not_in = [...] }`: one context for each term named."""
        contexts = {}
        for key, table in self.options.get("context", {}).items():
            if not isinstance(table, dict) or not table or set(table) - {"only_in", "not_in"}:
                raise self.error(f"context.{key!r} must be a table with 'only_in' and/or 'not_in' (lists of phrases with {{term}})")
            try:
                compiled = TermContext(
                    only_in=compile_context(_string_list(table.get("only_in", []))),
                    not_in=compile_context(_string_list(table.get("not_in", []))),
                )
            except ValueError as problem:
                raise self.error(f"context.{key!r}: {problem}") from None
            for term in key.split("|"):
                if term not in entries:
                    raise self.error(f"context.{key!r} names {term!r}, a term the rule does not list")
                earlier = contexts.get(term)  # a term in two tables keeps the phrases of both
                contexts[term] = compiled if earlier is None else TermContext(earlier.only_in + compiled.only_in, earlier.not_in + compiled.not_in)
        return contexts

    def word_gate(self) -> PhraseIndex:
        return self.index

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        matches = list(self.index.finditer(doc))
        if not matches:
            return
        excepted = [(m.start, m.end) for m in self.exceptions.finditer(doc)] if self.exceptions else []
        context_starts = [m.start for m in self.context_words.finditer(doc)] if self.context_words else []
        for match in matches:
            found = doc.text[match.start : match.end]
            if self.case_sensitive and found != match.phrase.text:
                continue
            if not self.in_hashtags and doc.special_at(match.start, match.end) is not None:
                continue
            if any(s <= match.start and match.end <= e for s, e in excepted):
                continue
            if self.names and found.lower() in self.names and _looks_like_name(doc, match.start, found):
                continue
            if context_starts and _same_sentence(doc, match.start, context_starts):
                continue
            term_context = self.contexts.get(match.phrase.entry)
            last = match.first_token + len(match.phrase.words) - 1
            if term_context is not None and not term_context.allows(doc.tokens, doc.text, match.first_token, last):
                continue
            suggestions = [_match_case(s, found) for s in match.phrase.suggestions]
            if found in suggestions:  # already written as the house style wants ("MSc" for "Msc")
                continue
            yield self.finding(match.start, match.end, suggestions, match=found)


def _string_list(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("'only_in' and 'not_in' must be lists of strings")
    return value


def _same_sentence(doc: Document, position: int, others: list[int]) -> bool:
    sentence = doc.sentence_at(position)
    return sentence is not None and any(sentence[0] <= other < sentence[1] for other in others)


def _looks_like_name(doc: Document, start: int, found: str) -> bool:
    """A capitalised word that is not the first of its sentence, or that is followed by a capitalised word."""
    if not found[:1].isupper() or found.isupper():
        return False
    before = doc.text[:start].rstrip()
    after_initial = len(before) >= 2 and before[-1] == "." and before[-2].isupper() and (len(before) == 2 or not before[-3].isalpha())
    at_sentence_start = not before or (before[-1] in ".!?\n:\"“" and not after_initial)
    after = doc.text[start + len(found) :].lstrip()
    followed_by_name = after[:1].isupper()
    return not at_sentence_start or followed_by_name


class Patterns(Check):
    """Regular expressions; a group named `flag` narrows the span."""

    options_schema = {
        "patterns": list,
        "case_sensitive": bool,
        "suggestions": list,
        "replace": str,
        "except": list,
        "allow": list,
        "inside": list,
    }
    required = ("patterns",)

    def setup(self, policy: Policy) -> None:
        ignore_case = not self.options.get("case_sensitive", False)
        sources = self.strings("patterns")
        if not sources:
            raise self.error("'patterns' is empty")
        compiled = [self.regex(source, ignore_case=ignore_case) for source in sources]
        if not any(pattern.groupindex for pattern in compiled) and all(p.engine == "re2" for p in compiled):
            # One pass over the text with an alternation beats one pass a pattern.
            try:
                compiled = [self.regex("|".join(f"(?:{source})" for source in sources), ignore_case=ignore_case)]
            except PolicyError:
                pass  # too large for one automaton: one pass a pattern, then
        self.patterns = compiled
        self.fixed = self.strings("suggestions")
        self.replace = self.options.get("replace")
        self.exceptions = {e.lower() for e in self.strings("except")}
        self.allowed = {_alnum(a) for a in self.strings("allow")}
        self.inside = set(self.strings("inside"))

    def gates(self) -> list[str | None]:
        # A pattern RE2 runs gates itself; one on a backtracking engine (lookaround) is gated by a looser one.
        return [pattern_gate(p) for p in self.patterns]

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        return self.run_parts(doc, context, None)

    def run_parts(self, doc: Document, context: Context, parts: frozenset[int] | None) -> Iterator[Finding]:
        seen: set[tuple[int, int]] = set()
        patterns = self.patterns if parts is None else [p for i, p in enumerate(self.patterns) if i in parts]
        for pattern, match in ((p, m) for p in patterns for m in p.finditer(doc.text)):
            start, end = match.span("flag") if "flag" in pattern.groupindex and match.group("flag") else match.span()
            if start == end or (start, end) in seen:
                continue
            seen.add((start, end))
            found = doc.text[start:end]
            if found.lower() in self.exceptions or _alnum(found) in self.allowed:
                continue
            special = doc.special_at(start, end)
            if special is not None and special.kind not in self.inside:
                continue
            suggestions = list(self.fixed)
            if self.replace is not None:
                suggestions.insert(0, _match_case(match.expand(self.replace), found))
            yield self.finding(start, end, suggestions, match=found)


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


class Shouting(Check):
    """Words in capitals that are ordinary words, not acronyms (NHS, UCAS).

    Counted over the post: the same words are as loud in one sentence as in three.
    """

    options_schema = {"acronyms": list, "min_letters": int, "min_words": int}
    scope = "post"

    def setup(self, policy: Policy) -> None:
        self.acronyms = {a.upper() for a in self.strings("acronyms")}
        self.min_letters = self.options.get("min_letters", 3)
        self.min_words = self.options.get("min_words", 2)
        # This check's entry in a Document's cache: an object of its own, never reused by another check.
        self._cache_key = _CacheKey(f"shouting:{self.rule.id}")

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        # A run of capitals never crosses a sentence's end (the . ! ? or line break between them
        # parts it), so a post's runs are its sentences' runs, each found once a sentence.
        runs = [[(start + offset, end + offset) for start, end in run] for offset, part in doc.sentence_parts for run in self._runs(part)]
        # One word in capitals is emphasis, a note; several are shouting.
        emphasis_only = sum(map(len, runs)) < self.min_words
        for run in runs:
            start, end = run[0][0], run[-1][1]
            text = doc.text[start:end]
            finding = self.finding(start, end, [_sentence_case(text)], match=text)
            yield _with_severity(finding, "info") if emphasis_only else finding

    def _runs(self, doc: Document) -> list[list[tuple[int, int]]]:
        """The runs of shouted words in a document (remembered with it: sentences come back)."""
        runs = doc.cache.get(self._cache_key)
        if runs is not None:
            return runs  # type: ignore[no-any-return]
        runs = []
        previous_end = -1
        for token in doc.tokens:
            if not self._is_shout(doc, token):
                previous_end = -1
                continue
            joined = previous_end >= 0 and not doc.text[previous_end : token.start].strip(" ,'\"-")
            if joined:
                runs[-1].append((token.start, token.end))
            else:
                runs.append([(token.start, token.end)])
            previous_end = token.end
        runs = [run for run in runs if len(run) >= 2 or run[0][1] - run[0][0] >= self.min_letters]
        doc.cache[self._cache_key] = runs
        return runs

    def _is_shout(self, doc: Document, token: Token) -> bool:
        if not token.text.isupper():
            return False  # most words: some letter is lower case, or none has a case (what follows says no too)
        letters = [ch for ch in token.text if ch.isalpha()]
        if len(letters) < 2 or not all(ch.isupper() for ch in letters):
            return False
        if token.text.upper() in self.acronyms or doc.special_at(token.start, token.end) is not None:
            return False
        # Acronyms are short; a long word in capitals (GRADUATES) is shouting even if uncommon.
        return len(letters) >= 6 or analysis.is_common_word(token.lower)


class _CacheKey(str):
    """A key for a Document's cache that equals only itself (a check's own, though named by its rule)."""

    __slots__ = ()
    __eq__ = object.__eq__
    __hash__ = object.__hash__


def _sentence_case(text: str) -> str:
    lowered = text.lower()
    return lowered[:1].upper() + lowered[1:]


class Sentiment(Check):
    """Negative voice, measured by VADER sentence by sentence, and aimed at people.

    Research news ("the fight against cancer") and condolences are negative in
    words but not in voice: sentences with the policy's context words are exempt.
    """

    options_schema = {"threshold": (int, float), "aimed_at": list, "exempt": list, "post_threshold": (int, float)}
    required = ("threshold",)

    def setup(self, policy: Policy) -> None:
        self.threshold = float(self.options["threshold"])
        self.post_threshold = float(self.options.get("post_threshold", self.threshold))
        self.aimed_at = self.phrases("aimed_at")
        self.exempt = self.phrases("exempt")
        self._scores: BoundedLru[str, float | None] = BoundedLru(4096, 8_000_000, lambda sentence, _score: approximate_size(sentence) + 64)

    scope = "post"

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        negative = []
        for start, end in doc.sentences:
            score = self._sentence_score(doc.text[start:end])
            if score is not None and score <= self.threshold:
                negative.append((start, end, score))
        overall = analysis.sentiment(doc.text) if negative else 0.0
        context.stats.setdefault("sentiment", round(overall, 3))
        if negative and overall <= self.post_threshold:
            for start, end, score in negative:
                yield self.finding(start, end, score=f"{score:.2f}")

    def _sentence_score(self, sentence: str) -> float | None:
        """The sentence's sentiment, or None when it is exempt or aimed at nobody (remembered, bounded in bytes)."""
        return self._scores.get_or_compute(sentence, lambda: self._score(sentence))

    def _score(self, sentence: str) -> float | None:
        doc = Document.of_sentence(sentence)
        if self.exempt is not None and next(self.exempt.finditer(doc), None) is not None:
            return None
        aimed = self.aimed_at is None or next(self.aimed_at.finditer(doc), None) is not None or bool(doc.spans_of("mention"))
        if not aimed or (self.threshold < 0 and not analysis.may_be_negative(sentence)):
            return None  # aimed at nobody, or it cannot score below zero, let alone reach the threshold
        return analysis.sentiment(sentence)


class Length(Check):
    """The post's length as the platform counts it, against its limit (and its byte limit, if any)."""

    options_schema = {"over_bytes_message": str}
    scope = "post"

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        platform = context.platform
        length, cut = analysis.platform_length(doc, platform)
        context.stats.update(length=length, limit=platform.limit, counting=platform.counting)
        if platform.limit is not None and length > platform.limit:
            yield self.finding(cut, len(doc.text), length=length, limit=platform.limit, over=length - platform.limit, platform=platform.name)
            return
        if platform.byte_limit is not None:
            encoded = doc.text.encode("utf-8", "surrogatepass")  # a lone surrogate is 3 bytes, not a crash
            size = len(encoded)
            if size > platform.byte_limit:
                # Within the character limit but over the byte limit (Bluesky: emoji of many code points).
                cut = len(encoded[: platform.byte_limit].decode("utf-8", "ignore"))
                message = self.options.get("over_bytes_message")
                yield self.finding(cut, len(doc.text), message=message, length=size, limit=platform.byte_limit,
                                   over=size - platform.byte_limit, platform=platform.name)


class Count(Check):
    """More hashtags, mentions or links than the platform allows (always an error) or advises (the rule's severity)."""

    options_schema = {"of": str, "over_limit_message": str}
    required = ("of",)
    scope = "post"
    COUNTABLE = ("hashtag", "mention", "url")

    def setup(self, policy: Policy) -> None:
        self.of = self.options["of"]
        if "over_limit_message" in self.options:
            check_message(self.rule.file, self.rule.id, self.options["over_limit_message"])
        if self.of not in self.COUNTABLE:
            raise self.error(f"option 'of' must be one of {', '.join(self.COUNTABLE)}, not {self.of!r}")

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        platform = context.platform
        spans = doc.spans_of(self.of)
        context.stats[f"{self.of}s"] = len(spans)
        limit = getattr(platform, f"{self.of}_limit", None)
        advice = getattr(platform, f"{self.of}_advice", None)
        if limit is not None and len(spans) > limit:
            message = self.options.get("over_limit_message")
            finding = self.finding(spans[limit].start, spans[-1].end, message=message, count=len(spans), limit=limit, platform=platform.name)
            yield _with_severity(finding, "error")
        elif advice is not None and len(spans) > advice:
            yield self.finding(spans[advice].start, spans[-1].end, count=len(spans), limit=advice, platform=platform.name)


def _with_severity(finding: Finding, severity: str) -> Finding:
    from dataclasses import replace

    return replace(finding, severity=severity)


class HashtagCase(Check):
    """Hashtags of several words in one case, which screen readers read as one word.

    `letters` chooses the case ("lower": #freshersweek, read as one odd word; "upper":
    #MENTALHEALTHAWARENESS, often spelt out letter by letter). A hashtag that is itself a
    word used at least `single_word_count` times in English web text (#coronavirus,
    #bushfires) is one word, not several.
    """

    options_schema = {"min_letters": int, "letters": str, "single_word_count": int}
    required = ("letters",)

    def setup(self, policy: Policy) -> None:
        self.min_letters = self.options.get("min_letters", 6)
        self.letters = self.options["letters"]
        if self.letters not in ("lower", "upper"):
            raise self.error(f"letters must be 'lower' or 'upper', not {self.letters!r}")
        self.single_word_count = self.options.get("single_word_count", 10_000)

    def gates(self) -> list[str]:
        return ["#"]  # every hashtag has one

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        for span in doc.spans_of("hashtag"):
            body = doc.text[span.start + 1 : span.end]
            in_case = body.islower() if self.letters == "lower" else body.isupper()
            if len(body) < self.min_letters or not in_case or not body.isalpha():
                continue
            if wordfreq.count(body) >= self.single_word_count:
                continue
            words = analysis.segment(body.lower())
            if len(words) < 2 or any(len(w) < 2 for w in words if w not in ("a",)):
                continue
            camel = "#" + "".join(w[:1].upper() + w[1:] for w in words)
            yield self.finding(span.start, span.end, [camel], match="#" + body)


class EmojiRun(Check):
    """Runs of emoji, each read aloud by name by a screen reader."""

    options_schema = {"max_run": int}
    scope = "post"

    def setup(self, policy: Policy) -> None:
        self.max_run = self.options.get("max_run", 3)

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        spans = doc.emoji
        context.stats["emoji"] = len(spans)
        run: list[tuple[int, int]] = []
        for span in [*spans, None]:
            if span is not None and run and not doc.text[run[-1][1] : span[0]].strip():
                run.append(span)
                continue
            if len(run) > self.max_run:
                yield self.finding(run[0][0], run[-1][1], count=len(run), limit=self.max_run)
            run = [span] if span is not None else []


class FancyText(Check):
    """Letters from Unicode's mathematical, fullwidth or circled alphabets, which screen readers cannot read as words."""

    options_schema: Mapping[str, Any] = {}
    # Letters from the mathematical (U+1D400), fullwidth, circled, squared and small-capital alphabets;
    # a run of them may be spaced out, or joined by fullwidth punctuation.
    LETTERS = "\U0001d400-\U0001d7ff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u24b6-\u24e9\U0001f130-\U0001f189\u1d00-\u1d2b\u0250-\u02af"
    BETWEEN = "\\s\U0001d400-\U0001d7ff\uff10-\uff5a\u24b6-\u24e9\U0001f130-\U0001f189\u1d00-\u1d2b\u0250-\u02af"
    FANCY = re.compile(f"[{LETTERS}]+(?:[{BETWEEN}]*[{LETTERS}])?")

    def gates(self) -> list[str]:
        return [f"[{self.LETTERS}]"]

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        for match in self.FANCY.finditer(doc.text):
            found = match.group()
            plain = analysis.plain_letters(found)
            if sum(ch.isalnum() for ch in found) < 2 or plain == found:
                continue
            yield self.finding(match.start(), match.end(), [plain], match=found)


class SentenceLength(Check):
    options_schema = {"max_words": int}
    required = ("max_words",)

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        limit = self.options["max_words"]
        if len(doc.tokens) <= limit:
            return  # no sentence has more words than the text (most sentences are well within the limit)
        for start, end in doc.sentences:
            words = len(doc.words_in(start, end))
            if words > limit:
                yield self.finding(start, end, words=words, limit=limit)


class Readability(Check):
    """Flesch reading ease of posts long enough for it to mean something (counts by textstat)."""

    options_schema = {"min_score": (int, float), "min_words": int}
    required = ("min_score",)
    scope = "post"

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        sentences = [doc.text[start:end] for start, end in doc.sentences]
        words, syllables = analysis.word_and_syllable_counts(sentences)
        if words < self.options.get("min_words", 30):
            return
        score = analysis.flesch_reading_ease(words, len(sentences), syllables)
        context.stats["reading_ease"] = round(score, 1)
        if score < self.options["min_score"]:
            yield self.finding(0, len(doc.text), score=f"{score:.0f}", target=self.options["min_score"])


class Masked(Check):
    """Masked forms of listed words (f***, sh!t, b1tch), matched against another rule's list."""

    options_schema = {"words_from": list}
    required = ("words_from",)
    # Letters, then the first masking character, then anything a masked word holds. The letters before
    # the first mask are taken possessively: written as [a-z][X]*[mask][X]* (as it was) the split between
    # the two runs was ambiguous, and "a" + "1" * 99998 + "_" took 201 s.
    TOKEN = re.compile(r"(?<![\w*@#$!])[a-z]++[*!@#$%1310][a-z*!@#$%1310]*(?![\w*@#$])", re.I)
    LEET = str.maketrans({"!": "i", "1": "i", "@": "a", "$": "s", "3": "e", "0": "o", "#": "*", "%": "*"})
    # What every TOKEN holds: a letter (all that [a-z] matches ignoring case are letters: ı, ſ, K...) then a mask.
    GATE = r"\pL[*!@#$%130]"

    def setup(self, policy: Policy) -> None:
        words: set[str] = set()
        prefixes: set[str] = set()
        for rule_id in self.strings("words_from"):
            rule = policy.rules.get(rule_id)
            if rule is None:
                raise self.error(f"words_from names {rule_id!r}, which is not a rule")
            for word in list(rule.options.get("terms", {})) + list(rule.options.get("words", [])):
                if " " in word:
                    continue
                (prefixes if word.endswith("*") else words).add(word.lower().rstrip("*"))
        self.words = words
        self.prefixes = prefixes
        # A masked word fits only listed words of its length and first letter, and prefixes of its first letter.
        self._words_by_shape: dict[tuple[int, str], list[str]] = {}
        for word in words:
            self._words_by_shape.setdefault((len(word), word[:1]), []).append(word)
        self._prefixes_by_letter: dict[str, list[str]] = {}
        for prefix in prefixes:
            self._prefixes_by_letter.setdefault(prefix[:1], []).append(prefix)

    def gates(self) -> list[str]:
        return [self.GATE]

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        for match in self.TOKEN.finditer(doc.text):
            found = match.group()
            if doc.special_at(match.start(), match.end()) is not None:
                continue
            masked = found.lower().translate(self.LEET)
            if len(masked) < 3:
                continue
            if any(self._fits(masked, word) for word in self._words_by_shape.get((len(masked), masked[0]), ())) or any(
                len(masked) >= len(prefix) and self._fits(masked[: len(prefix)], prefix) and (masked[len(prefix) :].isalpha() or len(masked) == len(prefix))
                for prefix in self._prefixes_by_letter.get(masked[0], ())
            ):
                yield self.finding(match.start(), match.end(), match=found)

    @staticmethod
    def _fits(masked: str, word: str) -> bool:
        """Same length, same first letter, and every unmasked letter in place."""
        return len(masked) == len(word) and masked[0] == word[0] and all(m in ("*", w) for m, w in zip(masked, word, strict=True))


class BrandName(Check):
    """The organisation's name written in another case ("university of leicester")."""

    options_schema: Mapping[str, Any] = {}

    def setup(self, policy: Policy) -> None:
        self.name = policy.organisation.name
        self.pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, self.name.split())) + r"\b", re.I)

    def gates(self) -> list[str | None]:
        return [loose_gate(self.pattern.pattern, ignore_case=True)]  # most sentences do not name the organisation

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        for match in self.pattern.finditer(doc.text):
            if match.group() != self.name and doc.special_at(*match.span()) is None:
                yield self.finding(match.start(), match.end(), [self.name], match=match.group(), name=self.name)


class Attack(Check):
    """A person or group, then soon after a strongly negative word: "you are pathetic", "he is a disgrace".

    The words' negativity is VADER's lexicon valence; a negation in between ("you are not alone") cancels.
    """

    options_schema = {"targets": list, "window": int, "max_valence": (int, float), "negations": list, "not_in": list}
    required = ("targets",)

    def setup(self, policy: Policy) -> None:
        targets = self.phrases("targets")
        if targets is None:
            raise self.error("option 'targets' is empty")
        self.targets = targets
        self.window = self.options.get("window", 4)
        self.max_valence = float(self.options.get("max_valence", -1.5))
        self.negations = set(self.strings("negations")) or {"not", "no", "never", "isn't", "aren't", "wasn't", "don't", "n't", "nothing"}
        # Contexts in which the negative word is not aimed at anyone: "bloody brilliant", "a horrible day".
        try:
            self.not_in = TermContext(not_in=compile_context(self.strings("not_in")))
        except ValueError as problem:
            raise self.error(f"not_in: {problem}") from None

    def word_gate(self) -> PhraseIndex:
        return self.targets

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        tokens = doc.tokens
        for match in self.targets.finditer(doc):
            after = match.first_token + len(match.phrase.words)
            for position, token in enumerate(tokens[after : after + self.window], start=after):
                if token.lower in self.negations or token.lower.endswith("n't"):
                    break
                if doc.text[match.end : token.start].strip(" ,") and any(ch in ".!?;\n" for ch in doc.text[match.end : token.start]):
                    break
                # Participles describe what happened ("arrested", "lying"), not who someone is.
                if not token.lower.endswith(("ing", "ed")) and analysis.valence(token.lower) <= self.max_valence:
                    if not self.not_in.allows(tokens, doc.text, position, position):
                        break
                    yield self.finding(match.start, token.end, match=doc.text[match.start : token.end])
                    break


def _tone_model(rule: Rule, policy: Policy) -> Check:
    from checker.text.tone_model import ToneModelCheck  # built on Check, so imported once Check exists

    return ToneModelCheck(rule, policy)


KINDS: dict[str, Callable[[Rule, Policy], Check]] = {
    "attack": Attack,
    "terms": Terms,
    "patterns": Patterns,
    "shouting": Shouting,
    "sentiment": Sentiment,
    "length": Length,
    "count": Count,
    "hashtag_case": HashtagCase,
    "emoji_run": EmojiRun,
    "fancy_text": FancyText,
    "sentence_length": SentenceLength,
    "readability": Readability,
    "masked": Masked,
    "brand_name": BrandName,
    "tone_model": _tone_model,
}

# Personal data (phone numbers, e-mail addresses, cards, IBANs, NHS numbers, IPs, addresses) has its own module.
from checker.text import personal_data  # noqa: E402  (its kinds build on Check, above)

KINDS.update(personal_data.KINDS)


def compile_rule(rule: Rule, policy: Policy) -> Check:
    factory = KINDS.get(rule.kind)
    if factory is None:
        raise PolicyError(rule.file, rule.id, f"unknown kind {rule.kind!r}; known kinds: {', '.join(sorted(KINDS))}")
    return factory(rule, policy)
