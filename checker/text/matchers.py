"""Matching phrases from word lists against a document's tokens.

Lists are matched word by word, not by substring, which is what keeps
"Scunthorpe", "Essex" and "assessment" clear of the profanity list. A word
ending in `*` matches any word that starts with it ("fuck*" matches
"fucking"). Words of a phrase are joined as the list writes them: a space
matches any run of white space, a hyphen any hyphen, "/" a slash. Only an
index built with `hyphen_or_space` lets a space and a hyphen stand for each
other ("wheelchair bound" and "wheelchair-bound"): a house-style list that
writes "Vice-Chancellor" must not also match "Vice Chancellor".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from checker.text.document import Document, Token

JOINERS = re.compile(r"[\s\-‐‑–]+")
SPACES = re.compile(r"\s+")
HYPHENS = re.compile(r"[-‐‑]")
PHRASE_WORD = re.compile(r"[^\W_](?:[\w]|['’][^\W_])*\*?")
ELONGATED = re.compile(r"([a-z])\1{2,}")
DOUBLED = re.compile(r"([a-z])\1+")


@dataclass(frozen=True, slots=True)
class Phrase:
    words: tuple[str, ...]  # lower case; a trailing '*' marks a prefix
    text: str
    suggestions: tuple[str, ...]
    joins: tuple[re.Pattern[str], ...] = ()  # what may stand between each word and the next
    entry: str = ""  # the listed term this phrase is, or is a word form of ("chairmen" of "chairman")


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    start: int
    end: int
    phrase: Phrase
    first_token: int


def split_phrase(phrase: str) -> tuple[str, ...]:
    return tuple(match.group().lower().replace("’", "'") for match in PHRASE_WORD.finditer(phrase))


def phrase_joins(phrase: str, hyphen_or_space: bool = False) -> tuple[re.Pattern[str], ...]:
    """For each pair of neighbouring words, what may stand between them in a text, read from how the phrase joins them."""
    matches = list(PHRASE_WORD.finditer(phrase))
    joins = []
    for before, after in zip(matches, matches[1:]):
        gap = phrase[before.end() : after.start()]
        if hyphen_or_space and JOINERS.fullmatch(gap):
            joins.append(JOINERS)
        elif SPACES.fullmatch(gap):
            joins.append(SPACES)
        elif HYPHENS.fullmatch(gap):
            joins.append(HYPHENS)
        else:  # "he/she", "A & E": that mark, with or without spaces around it
            joins.append(_literal_join(gap.strip()))
    return tuple(joins)


@lru_cache(maxsize=256)
def _literal_join(mark: str) -> re.Pattern[str]:
    return re.compile(r"\s*" + re.escape(mark) + r"\s*")


def make_phrase(text: str, suggestions: Sequence[str] = (), hyphen_or_space: bool = False, entry: str | None = None) -> Phrase:
    words = split_phrase(text)
    if not words:
        raise ValueError(f"the phrase {text!r} has no words")
    return Phrase(words, text, tuple(suggestions), phrase_joins(text, hyphen_or_space), text if entry is None else entry)


def _forms(word: str) -> tuple[str, ...]:
    """`_word_forms`, remembered for words of up to 64 letters (words recur; a 100,000-letter one is not kept)."""
    return _short_word_forms(word) if len(word) <= 64 else _word_forms(word)


def _word_forms(word: str) -> tuple[str, ...]:
    """The word, and for "fuuuck" or "sooo" the word with stretched letters squeezed to one and to two (and every double to one)."""
    if word.endswith("'s") and len(word) > 3:
        return (word, word[:-2])  # the possessive: "chairman's" is "chairman"
    if ELONGATED.search(word) is None:
        return (word,)
    # A stretched word stretches more than one letter ("fuuckkkk"): squeeze every double too.
    return (word, ELONGATED.sub(r"\1", word), ELONGATED.sub(r"\1\1", word), DOUBLED.sub(r"\1", word))


_short_word_forms = lru_cache(maxsize=16_384)(_word_forms)  # at most about 10 MB (words of up to 64 letters)


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return any(form.startswith(pattern[:-1]) for form in _forms(word))
    return pattern in _forms(word)


class PhraseIndex:
    """All the phrases of a list, indexed by their first word."""

    def __init__(self, entries: Mapping[str, Sequence[str]] | Sequence[Phrase], hyphen_or_space: bool = True) -> None:
        """`entries`: phrases with their suggestions, or `Phrase`s already made (see `make_phrase`).

        For a mapping, `hyphen_or_space` (on by default) keeps the lenient joins that the lists
        which only clear or aim a match want (exceptions, context words, targets); a `terms`
        rule builds its own phrases and joins them as written unless it says otherwise.
        """
        self.exact: dict[str, list[Phrase]] = {}
        prefixed: list[Phrase] = []
        if isinstance(entries, Mapping):
            phrases = [make_phrase(text, suggestions, hyphen_or_space) for text, suggestions in entries.items()]
        else:
            phrases = list(entries)
        for phrase in phrases:
            words = phrase.words
            if words[0].endswith("*"):
                prefixed.append(phrase)
            else:
                self.exact.setdefault(words[0], []).append(phrase)
        for phrases in self.exact.values():
            phrases.sort(key=lambda p: -len(p.words))  # longest phrase wins
        self.prefixed = sorted(prefixed, key=lambda p: -len(p.words))
        self._memo: dict[str, list[Phrase]] = {}
        self._prefix_start = (
            re.compile("|".join(re.escape(p.words[0][:-1]) for p in self.prefixed)) if self.prefixed else None
        )
        # Matches a whole line of `word_forms`' lines that starts with a listed prefix.
        self._prefix_lines = (
            re.compile("^(?:" + self._prefix_start.pattern + ")[^\n]*", re.MULTILINE) if self._prefix_start else None
        )
        self.first_words = frozenset(self.exact)
        # For a first word all of whose phrases go on with a listed word ("the elderly", "on campus"):
        # those second words, one of which must be in a text for the first word to start a match there.
        self._second_words: dict[str, frozenset[str]] = {}
        for word, phrases in self.exact.items():
            if all(len(p.words) > 1 and not p.words[1].endswith("*") for p in phrases):
                self._second_words[word] = frozenset(p.words[1] for p in phrases)

    def __len__(self) -> int:
        return sum(map(len, self.exact.values())) + len(self.prefixed)

    def _candidates(self, word: str) -> list[Phrase]:
        # Words repeat across posts and drafts: remember each word's answer (bounded).
        found = self._memo.get(word)
        if found is None:
            found = self._lookup(word)
            if len(word) <= 64:  # a 100,000-letter "word" is not kept: 50,000 of them would be gigabytes
                if len(self._memo) > 50_000:
                    self._memo.clear()
                self._memo[word] = found
        return found

    def _lookup(self, word: str) -> list[Phrase]:
        for form in _forms(word):
            found = self.exact.get(form, [])
            if self._prefix_start is not None and self._prefix_start.match(form):
                found = found + [p for p in self.prefixed if form.startswith(p.words[0][:-1])]
            if found:
                return found
        return []

    def finditer(self, doc: Document) -> Iterator[PhraseMatch]:
        """Non-overlapping matches, left to right, the longest phrase first."""
        starts = self._starts(doc)
        if not starts:
            return
        tokens = doc.tokens
        text = doc.text
        free = 0  # the first token not inside a match already made
        for index in starts:
            if index < free:
                continue
            token = tokens[index]
            matched = None
            for phrase in self._candidates(token.lower):
                if self._follows(phrase, tokens, index, text):
                    matched = phrase
                    break
            if matched is None:
                continue
            last = tokens[index + len(matched.words) - 1]
            end = last.end
            if last.lower.endswith("'s") and matched.words[-1] == last.lower[:-2]:
                end -= 2  # leave the possessive outside the span, so a replacement keeps it
            yield PhraseMatch(token.start, end, matched, index)
            free = index + len(matched.words)

    def word_may_start(self, word: str, forms: frozenset[str]) -> bool:
        """Whether one of `word`'s phrases can match in a text with these word forms: "the" starts
        none in a text without "elderly", "disabled" or another word that follows it in the list."""
        seconds = self._second_words.get(word)
        return seconds is None or not seconds.isdisjoint(forms)

    @property
    def has_prefixes(self) -> bool:
        return self._prefix_lines is not None

    def has_prefixed_start(self, doc: Document) -> bool:
        """Whether a word of the document starts with one of the list's prefixes ("fuck*")."""
        return self._prefix_lines is not None and self._prefix_lines.search(word_forms(doc)[1]) is not None

    @property
    def prefix_lines_pattern(self) -> str | None:
        """What `has_prefixed_start` searches `word_forms`' lines for (None without prefixes): a line starting with a prefix."""
        return None if self._prefix_start is None else "(?m)^(?:" + self._prefix_start.pattern + ")"

    def _starts(self, doc: Document) -> list[int]:
        """The tokens that can start a phrase, in order: found by set intersection with the
        document's word forms (C speed), not by looking up every token of every sentence for every list."""
        forms, lines = word_forms(doc)
        hits = self.first_words & forms
        if hits and self._second_words:
            hits = frozenset(word for word in hits if self.word_may_start(word, forms))
        if self._prefix_lines is not None:
            prefixed = self._prefix_lines.findall(lines)
            if prefixed:
                hits = hits.union(prefixed)
        if not hits:
            return []
        positions = form_positions(doc)
        if len(hits) == 1:
            return positions[next(iter(hits))]  # in order, each token once
        return sorted({index for form in hits for index in positions[form]})

    @staticmethod
    def _follows(phrase: Phrase, tokens: list[Token], index: int, text: str) -> bool:
        if index + len(phrase.words) > len(tokens):
            return False
        for offset, pattern in enumerate(phrase.words):
            token = tokens[index + offset]
            if not _word_matches(pattern, token.lower):
                return False
            if offset:
                gap = text[tokens[index + offset - 1].end : token.start]
                join = phrase.joins[offset - 1] if phrase.joins else JOINERS
                if len(gap) > 40 or not join.fullmatch(gap):
                    return False
        return True


def word_forms(doc: Document) -> tuple[frozenset[str], str]:
    """Every form of every word of a document, as a set and as lines (for prefix searches); computed once."""
    cached = doc.cache.get("word_forms")
    if cached is None:
        lowers = [token.lower for token in doc.tokens]
        joined = "\n".join(lowers)
        if "'s" in joined or ELONGATED.search(joined) is not None:
            forms = frozenset(form for word in lowers for form in _forms(word))
        else:  # no word is possessive or stretched: each word is its only form (what _forms says), in the same order
            forms = frozenset(lowers)
        cached = doc.cache["word_forms"] = (forms, "\n".join(forms))
    return cached  # type: ignore[no-any-return]


def form_positions(doc: Document) -> dict[str, list[int]]:
    """For each form of a word of the document, the tokens that have it, in order (each once); computed
    once, and only for a document in which some list has a word (most sentences have none)."""
    positions = doc.cache.get("form_positions")
    if positions is None:
        positions = {}
        for index, token in enumerate(doc.tokens):
            for form in _forms(token.lower):
                found = positions.setdefault(form, [])
                if not found or found[-1] != index:  # "sooo" squeezes to "so" twice
                    found.append(index)
        doc.cache["form_positions"] = positions
    return positions  # type: ignore[no-any-return]
