"""Offsets: the engines' units into Python `str` indices.

Python indexes a `str` by code point, as Harper does, so Harper's spans need
no conversion (the tests prove it, astral characters included). LanguageTool
counts UTF-16 code units, as Java does: every character outside the Basic
Multilingual Plane (most emoji, mathematical letters) counts twice. We do the
mapping ourselves rather than trust language-tool-python's, which keeps the
positions of the last text in a class attribute shared by every thread.
"""

from __future__ import annotations

from bisect import bisect_right


class Utf16Index:
    """Maps UTF-16 offsets of one text to `str` indices and back."""

    __slots__ = ("_astral", "_length")

    def __init__(self, text: str) -> None:
        # str indices of the characters that take two UTF-16 units, in order
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
        self._length = len(text)

    def to_utf16(self, index: int) -> int:
        """The UTF-16 offset of `str` index `index` (0..len(text))."""
        if not 0 <= index <= self._length:
            raise IndexError(f"index {index} outside 0..{self._length}")
        return index + bisect_right(self._astral, index - 1)

    def to_str(self, offset: int, *, round_up: bool = False) -> int:
        """The `str` index of a UTF-16 offset.

        An offset inside a surrogate pair falls back to the character's start,
        or to its end with `round_up` (for the end of a span), so a span never
        splits a character.
        """
        if offset < 0:
            raise IndexError(f"offset {offset} is negative")
        # After k astral characters, str index = offset - k; find k by search.
        low, high = 0, len(self._astral)
        while low < high:  # number of astral characters that end at or before `offset`
            mid = (low + high) // 2
            if self._astral[mid] + mid + 2 <= offset:
                low = mid + 1
            else:
                high = mid
        index = offset - low
        if low < len(self._astral) and self._astral[low] + low < offset:
            # offset points at the low surrogate of astral character number `low`
            index = self._astral[low] + (1 if round_up else 0)
        if index > self._length:
            raise IndexError(f"offset {offset} beyond the text")
        return index

    def span(self, offset: int, length: int) -> tuple[int, int]:
        """`str` start and end of a UTF-16 (offset, length) span."""
        start = self.to_str(offset)
        end = self.to_str(offset + length, round_up=True)
        return start, max(start, end)
