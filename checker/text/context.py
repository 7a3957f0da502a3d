"""Context for words with a second sense, as policy data.

"trash" is an insult in "you are trash" but not in "trash talk" or "a trash
bag"; "bloody" jars in "bloody awful" but is praise in "bloody brilliant". A
rule says which contexts decide, with phrases around the matched term:

    context.trash = { not_in = ["{term} talk*", "{term} bag*", "take out the {term}"] }
    context.clown = { only_in = ["you {term}", "what a {term}", "such a {term}"] }

`{term}` stands for the matched word or phrase, in any of its forms. The other
words are matched like list words (a trailing `*` is a prefix; "a|the" is
either word), plus classes: `{positive}` and `{negative}` (a word VADER's
lexicon rates at least +1 or at most -1), `{any}` (any one word) and, first
only, `{start}` (the term opens its sentence). Words may be joined by spaces,
hyphens, a comma or "&".
A `not_in` phrase around the term clears it; with `only_in`, the term counts
only where one of those phrases is around it. Each test looks at a fixed number
of neighbouring tokens, so a check stays linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from checker.text import analysis
from checker.text.document import Token
from checker.text.matchers import JOINERS, split_phrase

TERM = "{term}"
START = "{start}"
CLASSES = ("{positive}", "{negative}", "{any}")
SENTENCE_BREAK = re.compile(r"[.!?:;\n]")
MAX_GAP = 40  # characters between two words of a context phrase; more is not "next to"


@dataclass(frozen=True, slots=True)
class ContextPhrase:
    before: tuple[str | frozenset[str], ...]  # the words before the term, nearest last
    after: tuple[str | frozenset[str], ...]  # the words after the term, nearest first
    text: str
    at_start: bool = False  # the phrase begins with {start}


def compile_phrases(phrases: Sequence[str]) -> tuple[ContextPhrase, ...]:
    """Context phrases from a policy; ValueError names the first one that is not of the form."""
    compiled = []
    for text in phrases:
        words = [_word(w, text) for w in text.split()]
        at_start = bool(words) and words[0] == START
        if at_start:
            words = words[1:]
        if words.count(TERM) != 1 or START in words:
            raise ValueError(f"the context phrase {text!r} must have {TERM} exactly once (and {START} only first)")
        if len(words) < 2 and not at_start:
            raise ValueError(f"the context phrase {text!r} has no words around {TERM}")
        at = words.index(TERM)
        compiled.append(ContextPhrase(tuple(words[:at]), tuple(words[at + 1 :]), text, at_start))
    return tuple(compiled)


def _word(word: str, text: str) -> str | frozenset[str]:
    if word in (TERM, START, *CLASSES):
        return word
    choices = []
    for choice in word.split("|"):
        parts = split_phrase(choice)
        if len(parts) != 1:
            raise ValueError(f"the context phrase {text!r} has {word!r}, which is not a word, a|b, or one of {TERM}, {START}, {', '.join(CLASSES)}")
        choices.append(parts[0])
    return choices[0] if len(choices) == 1 else frozenset(choices)


@dataclass(frozen=True, slots=True)
class Context:
    """When a term counts: `not_in` phrases clear it; `only_in` phrases, if any, must be around it."""

    only_in: tuple[ContextPhrase, ...] = ()
    not_in: tuple[ContextPhrase, ...] = ()

    def allows(self, tokens: Sequence[Token], text: str, first: int, last: int) -> bool:
        """Whether the term at tokens[first..last] counts in its context."""
        if any(_around(phrase, tokens, text, first, last) for phrase in self.not_in):
            return False
        return not self.only_in or any(_around(phrase, tokens, text, first, last) for phrase in self.only_in)


def _around(phrase: ContextPhrase, tokens: Sequence[Token], text: str, first: int, last: int) -> bool:
    start = first - len(phrase.before)
    end = last + len(phrase.after)
    if start < 0 or end >= len(tokens):
        return False
    if phrase.at_start and start > 0 and not SENTENCE_BREAK.search(text[tokens[start - 1].end : tokens[start].start]):
        return False
    for offset, word in enumerate(phrase.before):
        if not _fits(word, tokens[start + offset].lower):
            return False
    for offset, word in enumerate(phrase.after):
        if not _fits(word, tokens[last + 1 + offset].lower):
            return False
    for index in (*range(start, first), *range(last, end)):
        gap = text[tokens[index].end : tokens[index + 1].start]
        if len(gap) > MAX_GAP or not (JOINERS.fullmatch(gap) or gap.strip() in ("", ",", "&")):
            return False
    return True


def _fits(pattern: str | frozenset[str], word: str) -> bool:
    if isinstance(pattern, frozenset):
        return any(_fits(choice, word) for choice in pattern)
    if pattern == "{any}":
        return True
    if pattern == "{positive}":
        return analysis.valence(word) >= 1.0
    if pattern == "{negative}":
        return analysis.valence(word) <= -1.0
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern or (word.endswith("'s") and word[:-2] == pattern)
