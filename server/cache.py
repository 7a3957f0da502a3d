"""A bounded, thread-safe LRU cache of check responses.

The extension re-checks a draft whenever typing pauses, often with nothing
changed; answering those from memory costs nothing. Keys are BLAKE2 digests
of (text, platform, profile, engine readiness): the cache holds no draft text
as a key, and a draft checked before the grammar engine was ready is checked
again once it is.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


def cache_key(text: str, *parts: Hashable) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr(parts).encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    # surrogatepass: JSON may carry a lone surrogate, which plain UTF-8 cannot encode.
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.digest()


class ResponseCache:
    """At most `max_entries` responses; the least recently used goes first."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[bytes, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes) -> Any | None:
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: bytes, value: Any) -> None:
        if self.max_entries == 0:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"entries": len(self._entries), "max_entries": self.max_entries, "hits": self.hits, "misses": self.misses}
