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


def pattern_gate(pattern: LinearPattern) -> str | None:
    """The gate of a policy pattern: its own source where RE2 runs it, else a looser one (or None)."""
    return re2_gate(pattern) if pattern.engine == "re2" else backtracking_gate(pattern)


_QUIET = re2.Options()
_QUIET.log_errors = False


def backtracking_gate(pattern: LinearPattern) -> str | None:
    """An RE2 pattern that matches wherever a pattern RE2 cannot run (lookaround) matches, and
    more: its assertions dropped (lookaround, \\b, \\B, $), and i and I standing also for İ and ı
    (which Python and `regex` match to i ignoring case, RE2 does not). None if RE2 cannot read
    what is left (a backreference, a possessive or atomic group...): the pattern always runs.
    Only for a pattern on `re`, whose \\w, \\d and \\s to_re2 keeps; `regex`'s \\w is wider (marks)."""
    if pattern.engine != "re":
        return None
    return loose_gate(pattern.source, bool(pattern.flags & re.IGNORECASE))


def loose_gate(source: str, ignore_case: bool) -> str | None:
    """`backtracking_gate` for the source of a pattern on `re` (with re.IGNORECASE or not)."""
    loose = _without_assertions(source)
    if loose is None:
        return None
    try:
        gate = ("(?i:" if ignore_case else "(?:") + to_re2(loose) + ")"
        re2.compile(gate, _QUIET)
    except (ValueError, re2.error):
        return None
    return gate


def _without_assertions(source: str) -> str | None:
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            if i + 1 >= n:
                return None
            if source[i + 1] in "bB":
                i += 2
                continue
            out.append(source[i : i + 2])
            i += 2
        elif ch == "[":
            end = _class_end(source, i)
            if end is None:
                return None
            body = source[i + 1 : end]
            if not body.startswith("^"):  # a trailing "-" is a literal: the letters go before it
                body = body[:-1] + "İı-" if body.endswith("-") and not body.endswith("\\-") else body + "İı"
            out.append("[" + body + "]")
            i = end + 1
        elif source.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            end = _group_end(source, i)
            if end is None:
                return None
            i = end + 1
        elif ch == "(" and source.startswith("(?", i):
            # a group's opening, copied as it is: (?:  (?i:  (?-i:  (?P<name>  (?i)
            close = min((j for j in (source.find(":", i), source.find(")", i), source.find(">", i)) if j != -1), default=-1)
            if close == -1:
                return None
            out.append(source[i : close + 1])
            i = close + 1
        elif ch == "$":
            i += 1
        elif ch in "iI":
            out.append("[iIİı]")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _class_end(source: str, start: int) -> int | None:
    """The index of the "]" that closes the class opened at `start`."""
    i = start + 1
    if source.startswith("^", i):
        i += 1
    if source.startswith("]", i):
        i += 1  # a "]" first is a literal
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source[i] == "[" and source.startswith("[:", i):
            return None  # a POSIX class: leave it to the backtracking engine
        if source[i] == "]":
            return i
        i += 1
    return None


def _group_end(source: str, start: int) -> int | None:
    """The index of the ")" that closes the group opened at `start`."""
    depth, i = 0, start
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            end = _class_end(source, i)
            if end is None:
                return None
            i = end + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


# Everything a check runs when its gate has no say: all its parts.
ALL_PARTS = None

# RE2's memory for the set: its program and the states of its DFA, made as sentences need them.
# At RE2's default (8 MB) the program leaves the DFA too little, and on new sentences it was
# thrown away and rebuilt again and again (13 us a sentence, against 3 us at 16 MB); on real
# posts the states it keeps take about 2 MB, and never more than this.
GATE_MEMORY = 16 << 20


class SentenceGate:
    """The gates of some checks, compiled into one RE2 set."""

    def __init__(self, checks: Sequence[Check]) -> None:
        options = re2.Options()
        options.log_errors = False
        options.max_mem = GATE_MEMORY
        self._set = re2.Set.SearchSet(options)
        self._owners: dict[int, tuple[int, int]] = {}  # set index -> (check, part)
        self.always: list[int] = []  # checks with no gate: they run on every sentence
        self._ungated: dict[int, frozenset[int]] = {}  # a gated check's parts that always run
        # Checks gated by a phrase list: which checks each first word opens, and the lists with prefixes.
        self._word_owners: dict[str, list[tuple[int, PhraseIndex]]] = {}
        self._prefixed: list[tuple[int, PhraseIndex]] = []
        for index, check in enumerate(checks):
            phrases = check.word_gate()
            if phrases is not None:
                for word in phrases.first_words:
                    self._word_owners.setdefault(word, []).append((index, phrases))
                if phrases.has_prefixes:
                    self._prefixed.append((index, phrases))
                continue
            gates = check.gates()
            if gates is None or not self._add(index, gates):
                self.always.append(index)
        self._first_words = frozenset(self._word_owners)
        self._prefix_set = self._prefix_search_set(options)
        self._sentinel = self._set.Add("")
        try:
            self._set.Compile()
        except re2.error:  # more than RE2's memory for one automaton: no pattern gate, every such check runs
            self.always = sorted({*self.always, *self._ungated})
            self._owners, self._ungated = {}, {}
            self._set = re2.Set.SearchSet(options)
            self._sentinel = self._set.Add("")
            self._set.Compile()
        self.count = len(checks)

    def _prefix_search_set(self, options: re2.Options) -> re2.Set | None:
        """One RE2 set of the lists' prefix searches (set index i: the list self._prefixed[i], then a
        sentinel), so that one pass over a sentence's word forms answers for every list; None if
        RE2 cannot read one of them (then each list searches on its own)."""
        if not self._prefixed:
            return None
        found = re2.Set.SearchSet(options)
        try:
            for position, (_, phrases) in enumerate(self._prefixed):
                if found.Add(phrases.prefix_lines_pattern) != position:
                    return None
            found.Add("")
            found.Compile()
        except re2.error:
            return None
        return found

    def _prefixed_opened(self, doc: Document) -> list[int]:
        """The checks whose lists have a prefix ("fuck*") that a word of the sentence starts with."""
        if self._prefix_set is not None:
            matched = self._prefix_set.Match(word_forms(doc)[1]) or ()
            if len(self._prefixed) in matched:  # the sentinel: the automaton did not give up
                return [self._prefixed[i][0] for i in matched if i < len(self._prefixed)]
        return [index for index, phrases in self._prefixed if phrases.has_prefixed_start(doc)]

    def _add(self, index: int, gates: Sequence[str | None]) -> bool:
        added: dict[int, tuple[int, int]] = {}
        ungated = set()
        for part, source in enumerate(gates):
            if source is not None:
                try:
                    added[self._set.Add(source)] = (index, part)
                    continue
                except re2.error:
                    pass
            ungated.add(part)  # a part with no gate RE2 can read runs on every sentence
        if not added:
            return False
        self._owners.update(added)
        self._ungated[index] = frozenset(ungated)
        return True

    def open_checks(self, doc: Document) -> list[tuple[int, frozenset[int] | None]]:
        """(check, the parts to run, or ALL_PARTS) for each check that may find something in a sentence, in order."""
        matched = self._set.Match(_encodable(doc.text)) or ()
        if self._sentinel not in matched:  # the automaton gave up: it cannot tell, so run everything
            return [(index, ALL_PARTS) for index in range(self.count)]
        opened: list[tuple[int, frozenset[int] | None]] = [(index, ALL_PARTS) for index in self.always]
        if self._word_owners or self._prefixed:
            forms = word_forms(doc)[0]
            by_words = {
                index for word in self._first_words & forms for index, phrases in self._word_owners[word] if phrases.word_may_start(word, forms)
            }
            if self._prefixed:
                by_words.update(self._prefixed_opened(doc))
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
