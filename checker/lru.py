"""One bounded, thread-safe least-recently-used cache for every cache in the checker and server.

Bounded by entries *and* by bytes: a cache bounded in entries alone holds 1,024 small
drafts or 1,024 drafts of 100,000 characters, the difference between a few megabytes and
several gigabytes. Each entry's cost is an estimate (`weigh`), in bytes, of what it keeps
alive; an entry that alone costs more than a quarter of the budget is not kept at all.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")

_MISSING = object()


class BoundedLru(Generic[Key, Value]):
    """At most `max_entries` entries weighing at most `max_bytes` together; the least recently used go first."""

    def __init__(self, max_entries: int, max_bytes: int, weigh: Callable[[Key, Value], int]) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._weigh = weigh
        self._items: OrderedDict[Key, tuple[Value, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Key, default: Any = None) -> Any:
        with self._lock:
            item = self._items.get(key, _MISSING)
            if item is _MISSING:
                self.misses += 1
                return default
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]  # type: ignore[index]

    def put(self, key: Key, value: Value) -> None:
        if self.max_entries <= 0 or self.max_bytes <= 0:
            return
        cost = self._weigh(key, value)
        if cost > self.max_bytes // 4:
            return  # one huge entry would push out everything else for one reuse at best
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, cost)
            self._bytes += cost
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, freed) = self._items.popitem(last=False)
                self._bytes -= freed

    def get_or_compute(self, key: Key, compute: Callable[[], Value]) -> Value:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = compute()  # outside the lock: computing may be slow and take locks of its own
            self.put(key, value)
        return value  # type: ignore[no-any-return]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[Key]:
        with self._lock:
            return list(self._items)

    @property
    def bytes(self) -> int:
        return self._bytes

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "entries": len(self._items),
                "max_entries": self.max_entries,
                "bytes": self._bytes,
                "max_bytes": self.max_bytes,
                "hits": self.hits,
                "misses": self.misses,
            }


def approximate_size(value: Any, _depth: int = 0) -> int:
    """Bytes that `value` (JSON-like: dicts, lists, tuples, strings, numbers, dataclasses with slots)
    keeps alive, roughly: for weighing cache entries, not for accounting to the byte."""
    if isinstance(value, str):
        return sys.getsizeof(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return 32
    if _depth > 16:
        return 64
    if isinstance(value, Mapping):
        return 64 + sum(approximate_size(k, _depth + 1) + approximate_size(v, _depth + 1) + 16 for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return 56 + sum(approximate_size(v, _depth + 1) + 8 for v in value)
    slots = getattr(type(value), "__slots__", None)
    if slots:
        return 48 + sum(approximate_size(getattr(value, name, None), _depth + 1) + 8 for name in slots)
    return sys.getsizeof(value)
