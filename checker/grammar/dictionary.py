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
