"""The organisation's own words, for the engines' dictionaries.

They come from the pack: `policy/dictionary.txt` (one word or name a line, `#`
comments) and the names in `identity.toml` (the organisation's name and short
forms), so another organisation changes its words without touching code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from checker.errors import PolicyError

DICTIONARY_FILE = Path("policy") / "dictionary.txt"

# A word as the engines tokenise it: letters and digits, inner apostrophes and hyphens.
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def read_dictionary(path: Path) -> tuple[str, ...]:
    """The entries of a dictionary file, in order, without comments or blanks."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    except UnicodeDecodeError:
        raise PolicyError(str(path), "grammar", "not UTF-8 text") from None
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not _WORD.search(line):
            raise PolicyError(str(path), "grammar", f"line {number}: {line!r} has no word in it")
        if len(line) > 100:
            raise PolicyError(str(path), "grammar", f"line {number}: an entry is at most 100 characters")
        entries.append(line)
    return tuple(entries)


def words_of(entries: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Every single word of the entries, once each, in first-seen order."""
    seen: dict[str, None] = {}
    for entry in entries:
        for match in _WORD.finditer(entry):
            seen.setdefault(match.group(), None)
    return tuple(seen)


def organisation_words(policy: Any) -> tuple[str, ...]:
    """The words of the pack's dictionary file and of the organisation's names."""
    entries: list[str] = []
    root = getattr(policy, "root", None)
    if root is not None:
        entries.extend(read_dictionary(Path(root) / DICTIONARY_FILE))
    organisation = getattr(policy, "organisation", None)
    if organisation is not None:
        entries.append(organisation.name)
        entries.extend(organisation.short_forms)
    return words_of(entries)


# --- words added while running (a user's personal dictionary) -----------------------------

# Our own rules that judge how a single word is spelt: a dictionary word passes them, as it
# passes Harper's spelling check. Rules about meaning (profanity, jargon, names) are not here:
# a dictionary says a word is spelt right, not that it may be posted.
SPELLING_RULES = frozenset({"brand.spelling", "brand.ize_spelling"})


# _WORD as the whole string: what the personal dictionary takes, as the OpenAPI document says it.
# (?![\s\S]) ends it, since "$" would also allow a final newline, in Python and in ECMAScript alike.
WORD_PATTERN = r"^[^\W_]+(?:['’\-][^\W_]+)*(?![\s\S])"
MAX_WORD_LENGTH = 100


def valid_word(word: object) -> str:
    """A single dictionary word, as it is; raises ValueError saying what is wrong."""
    if not isinstance(word, str):
        raise ValueError("a dictionary word must be a string")
    if not word:
        raise ValueError("the word is empty")
    if len(word) > MAX_WORD_LENGTH:
        raise ValueError(f"a dictionary word is at most {MAX_WORD_LENGTH} characters")
    if _WORD.fullmatch(word) is None:
        raise ValueError(f"{word!r} is not a single word (letters and digits, with inner ' or -, and no spaces)")
    return word


class ExtraWords:
    """A thread-safe set of words added at run time, with a version that changes with it.

    The grammar engines and the server's response cache compare the version, so a word
    added or removed takes effect on the next check and no cached answer outlives it.
    """

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._words: tuple[str, ...] = ()
        self.version = 0

    def set(self, words: list[str] | tuple[str, ...]) -> int:
        unique = tuple(dict.fromkeys(valid_word(w) for w in words))
        with self._lock:
            if unique != self._words:
                self._words = unique
                self.version += 1
            return self.version

    def snapshot(self) -> tuple[int, tuple[str, ...]]:
        with self._lock:
            return self.version, self._words


extra_words = ExtraWords()


def drop_dictionary_words(findings: list[Any], text: str, words: frozenset[str]) -> list[Any]:
    """Findings of our spelling rules (SPELLING_RULES) whose word is in the dictionary are dropped.

    `words` are lower case; offsets are `str` indices into `text`."""
    if not words:
        return findings
    return [
        f for f in findings
        if not (f.rule in SPELLING_RULES and text[f.start:f.end].strip().lower() in words)
    ]


_known_cache: dict[int, tuple[Any, int, frozenset[str]]] = {}


def known_words(policy: Any) -> frozenset[str]:
    """The pack's words and the words added at run time, lower case (cached per pack and version)."""
    version, extra = extra_words.snapshot()
    cached = _known_cache.get(id(policy))
    if cached is not None and cached[0] is policy and cached[1] == version:
        return cached[2]
    words = frozenset(w.lower() for w in organisation_words(policy) + words_of(extra))
    if len(_known_cache) > 8:
        _known_cache.clear()
    _known_cache[id(policy)] = (policy, version, words)  # keeps the policy alive, so its id is not reused
    return words
