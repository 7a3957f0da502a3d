"""Paragraph cache: re-checking an edited post re-lints only the paragraphs that changed."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

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


class LruCache(Generic[Value]):
    """A bounded, thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], Value]) -> Value:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = compute()  # outside the lock: engines are slow, and have locks of their own
        if self._size:
            with self._lock:
                self._items[key] = value
                self._items.move_to_end(key)
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
