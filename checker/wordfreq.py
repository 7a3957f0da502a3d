"""How common a word is in English web text, to tell a typo from a word a dictionary lacks.

Harper's dictionary is curated and small: it does not know "immunotherapy",
"telehealth" or most surnames, and suggests the nearest word it does know
("hypnotherapy"). A typo looks different: a suggestion one or two edits away
that writers use far more often ("recieve" -> "receive", "Britian" -> "Britain").
The counts are wordsegment's (Google's trillion-word web corpus, 333,333
commonest words), which the package already ships for hashtags.

The table ships as two NumPy arrays (wordfreq.npz beside this file, 4 MB: word
hashes and counts) rather than a dict of 333,000 strings (40 MB and a second to
build); scripts/build_wordfreq.py makes it from wordsegment's file. Web text is full of
typos too ("recieve" is there 1.4 million times) and rare real words lose to common ones
("grub" to "grab", "soya" to "soda"), so the file also holds the keys of a dictionary's
words (pyspellchecker's English, which has no misspellings): `in_dictionary`.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import numpy as np

TABLE_FILE = Path(__file__).with_name("wordfreq.npz")
_lock = threading.Lock()
_table: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # keys, counts, dictionary keys


def word_key(word: str) -> int:
    """A stable 64-bit key for a lower-case word."""
    digest = hashlib.blake2b(word.lower().encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The file's arrays, read once a process."""
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                with np.load(TABLE_FILE) as data:
                    _table = data["keys"], data["counts"], data["dictionary"]
    return _table


def _index_of(keys: np.ndarray, word: str) -> int | None:
    """Where the word's key stands in the sorted keys, or None if they lack it."""
    key = word_key(word)
    index = int(np.searchsorted(keys, key))
    return index if index < len(keys) and keys[index] == key else None


def count(word: str) -> float:
    """How often the word (any case) appears in the corpus; 0 for a word it does not hold."""
    keys, counts, _ = _arrays()
    index = _index_of(keys, word)
    return 0.0 if index is None else float(counts[index])


def in_dictionary(word: str) -> bool:
    """True if an English dictionary (pyspellchecker's, American spelling) holds the word, any case."""
    return _index_of(_arrays()[2], word) is not None


def edits(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours."""
    a, b = a.lower(), b.lower()
    if abs(len(a) - len(b)) > 3:
        return abs(len(a) - len(b))
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def likely_typo(word: str, suggestions: tuple[str, ...], *, commoner_by: float, max_edits: int) -> bool:
    """True if a suggestion within `max_edits` of the word is used `commoner_by` times as often."""
    own = count(word)
    for suggestion in suggestions:
        if not suggestion or " " in suggestion or edits(word, suggestion) > max_edits:
            continue
        theirs = count(suggestion)
        if theirs > 0 and theirs >= commoner_by * max(own, 1.0):
            return True
    return False


def spelling_variant(word: str, suggestions: tuple[str, ...], *, min_count: float, max_edits: int) -> bool:
    """True if the word and a close suggestion are both in wide use: another dialect's spelling
    of the same word (behavior and behaviour), which a British dialect flags on purpose."""
    if count(word) < min_count:
        return False
    return any(
        suggestion and " " not in suggestion and edits(word, suggestion) <= max_edits and count(suggestion) >= min_count
        for suggestion in suggestions
    )


def is_swap(word: str, suggestion: str) -> bool:
    """True if the suggestion is the word with two neighbouring letters swapped (Britian, Britain)."""
    a, b = word.lower(), suggestion.lower()
    if len(a) != len(b) or a == b:
        return False
    diffs = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
