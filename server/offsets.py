"""Python str indices (code points) to UTF-16 code units, the unit of JavaScript strings.

A character outside the Basic Multilingual Plane (most emoji) is one code
point in Python and two code units in JavaScript, so every such character
before an offset moves it by one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from typing import Any

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """Converts offsets into one text; built once per text, each lookup a binary search."""

    __slots__ = ("_astral", "_astral_utf16")

    def __init__(self, text: str) -> None:
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_utf16: list[int] | None = None

    def __call__(self, index: int) -> int:
        return index + bisect_left(self._astral, index)

    def to_code_points(self, utf16: int) -> int:
        """The inverse: a UTF-16 offset (between characters) back to a str index."""
        if self._astral_utf16 is None:
            self._astral_utf16 = [at + before for before, at in enumerate(self._astral)]
        return utf16 - bisect_left(self._astral_utf16, utf16)


def findings_to_utf16(text: str, findings: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Findings (as dicts) with start and end in UTF-16 code units of `text`."""
    convert = Utf16Offsets(text)
    return [{**finding, "start": convert(finding["start"]), "end": convert(finding["end"])} for finding in findings]
