"""Paragraph cache: re-checking an edited post re-lints only the paragraphs that changed."""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from typing import TypeVar

from checker.lru import BoundedLru, approximate_size

Value = TypeVar("Value")

_PARAGRAPH = re.compile(r"[^\r\n]+")


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
CHUNK = 400  # characters: long enough that Harper's fixed cost a call is shared, short enough to re-lint fast


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each line of the post (a post's paragraphs are its lines), with a long
    line cut at the first sentence end after every 400 characters, so that an edit in a long
    paragraph re-lints only its own part of it."""
    for match in _PARAGRAPH.finditer(text):
        line = match.group()
        if not line.strip():
            continue
        start = 0
        for end in _SENTENCE_END.finditer(line):
            if end.start() - start >= CHUNK:
                yield match.start() + start, line[start : end.start()]
                start = end.end()
        if line[start:].strip():
            yield match.start() + start, line[start:]


# Bytes the engines' answers for paragraphs may keep, per engine: an entry bound alone let
# distinct long paragraphs grow the server without a plateau.
CACHE_BYTES = 16_000_000


class LruCache(BoundedLru[Hashable, Value]):
    """A bounded, thread-safe least-recently-used cache of engines' answers, bounded in bytes too."""

    def __init__(self, size: int, max_bytes: int = CACHE_BYTES) -> None:
        super().__init__(size, max_bytes, lambda key, value: approximate_size(key) + approximate_size(value))
