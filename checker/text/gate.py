"""One RE2 pass over a sentence that says which pattern checks can find anything in it.

A policy has dozens of patterns (politics, hype, clickbait, student numbers...) and most
sentences match none of them. Running each on its own costs a call into RE2 and back per
pattern per sentence; an RE2 set of all of them answers in one pass which ones match
anywhere, and only those are run (to find where). A check says what its gates are
(`Check.gates`): one RE2 pattern a part, or None for a part that always runs.

Word lists are gated the same way by their first words (`Check.word_gate`): one set intersection
of a sentence's word forms with every list's first words says which lists can match in it.

The set is a prefilter, never a decision: a pattern the set says matches is run as before, and
if the set's automaton gives up (RE2's DFA runs out of memory on a hostile text, which it
reports only as "no match"), an always-matching sentinel is missing from its answer, and every
check runs on that sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import re2

from checker.linear_regex import LinearPattern, _encodable, to_re2
from checker.text.document import Document
from checker.text.matchers import PhraseIndex, word_forms

if TYPE_CHECKING:
    from checker.text.rules import Check

def re2_gate(pattern: LinearPattern) -> str:
    """The RE2 source of a pattern that RE2 runs, with its case, for a set."""
    return ("(?i:" if pattern.flags & re.IGNORECASE else "(?:") + to_re2(pattern.source) + ")"


# Everything a check runs when its gate has no say: all its parts.
ALL_PARTS = None


class SentenceGate:
    """The gates of some checks, compiled into one RE2 set."""

    def __init__(self, checks: Sequence[Check]) -> None:
        options = re2.Options()
        options.log_errors = False
        self._set = re2.Set.SearchSet(options)
        self._owners: dict[int, tuple[int, int]] = {}  # set index -> (check, part)
        self.always: list[int] = []  # checks with no gate: they run on every sentence
        self._ungated: dict[int, frozenset[int]] = {}  # a gated check's parts that always run
        # Checks gated by a phrase list: which checks each first word opens, and the lists with prefixes.
        self._word_owners: dict[str, list[int]] = {}
        self._prefixed: list[tuple[int, PhraseIndex]] = []
        for index, check in enumerate(checks):
            phrases = check.word_gate()
            if phrases is not None:
                for word in phrases.first_words:
                    self._word_owners.setdefault(word, []).append(index)
                if phrases.has_prefixes:
                    self._prefixed.append((index, phrases))
                continue
            gates = check.gates()
            if gates is None or not self._add(index, gates):
                self.always.append(index)
        self._first_words = frozenset(self._word_owners)
        self._sentinel = self._set.Add("")
        self._set.Compile()
        self.count = len(checks)

    def _add(self, index: int, gates: Sequence[str | None]) -> bool:
        added: dict[int, tuple[int, int]] = {}
        for part, source in enumerate(gates):
            if source is None:
                continue
            try:
                added[self._set.Add(source)] = (index, part)
            except re2.error:
                return False  # the check runs on every sentence (what Add took stays, unused)
        self._owners.update(added)
        self._ungated[index] = frozenset(part for part, source in enumerate(gates) if source is None)
        return True

    def open_checks(self, doc: Document) -> list[tuple[int, frozenset[int] | None]]:
        """(check, the parts to run, or ALL_PARTS) for each check that may find something in a sentence, in order."""
        matched = self._set.Match(_encodable(doc.text)) or ()
        if self._sentinel not in matched:  # the automaton gave up: it cannot tell, so run everything
            return [(index, ALL_PARTS) for index in range(self.count)]
        opened: list[tuple[int, frozenset[int] | None]] = [(index, ALL_PARTS) for index in self.always]
        if self._word_owners or self._prefixed:
            by_words = {index for word in self._first_words & word_forms(doc)[0] for index in self._word_owners[word]}
            by_words.update(index for index, phrases in self._prefixed if index not in by_words and phrases.has_prefixed_start(doc))
            opened.extend((index, ALL_PARTS) for index in by_words)
        parts: dict[int, set[int]] = {}
        for hit in matched:
            owner = self._owners.get(hit)
            if owner is not None:
                parts.setdefault(owner[0], set()).add(owner[1])
        for index, ungated in self._ungated.items():
            if ungated:
                parts.setdefault(index, set()).update(ungated)
        opened.extend((index, frozenset(found)) for index, found in parts.items())
        opened.sort(key=lambda item: item[0])
        return opened
