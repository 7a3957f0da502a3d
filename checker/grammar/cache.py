"""Paragraph cache: re-checking an edited post re-lints only the paragraphs that changed."""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from typing import TypeVar

from checker.lru import BoundedLru, approximate_size

Value = TypeVar("Value")

_PARAGRAPH = re.compile(r"[^\r\n]+")


_SPACE = re.compile(r"\s+")
_SENTENCE_MARKS = ".!?…"
_LINK_OR_TAG = ("http://", "https://", "www.", "#")
# Characters: a part is cut at the first sentence end after this many. LanguageTool answers a
# request a part, so its parts are long; Harper lints every part a check needs in one call
# (see Engines.harper_lints), so its parts can be single sentences: an edit re-lints one.
CHUNK = 400
SENTENCE_CHUNK = 1


# Titles and abbreviations that end in a full stop before a name or a number ("Dr. Smith").
_BEFORE_A_NAME = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "st", "rev", "sr", "jr", "no", "vs", "fig", "vol"})


# The only words after which a sentence can end (see _new_sentence): those ending in a sentence
# mark or an emoji, and links and hashtags, each followed by a space. Found by the pattern, in C,
# rather than word by word in Python: a 3,000-character draft has about 450 words and 60 of
# these. Each alternative starts only where a word starts, so each word is read a bounded number
# of times: linear.
_MAY_END_A_SENTENCE = re.compile(
    r"(?<!\S)(?:(?:(?i:https?://|www\.)|#)\S*|\S*[.!?…\U0001F000-\U0010FFFF\u2600-\u27BF\uFE0F\u200D])(?=\s)"
)


def paragraphs(text: str, chunk: int = CHUNK, begin: int = 0) -> Iterator[tuple[int, str]]:
    """(offset, text) of each line of the post (a post's paragraphs are its lines), with a long
    line cut at the first sentence end after every `chunk` characters, so that an edit in a
    long paragraph re-lints only its own part of it. A line is cut only where a new sentence
    surely starts (see _new_sentence): outside a quotation, and not after an initial or a title
    ("Jane S. Smith", "Dr. Lee"). Linear in the text: each word is looked at once.

    `begin`: where a part starts (the parts before it are not given): nothing before a part's
    start decides how the text after it is cut."""
    for match in _PARAGRAPH.finditer(text, begin):
        line = match.group()
        if not line.strip():
            continue
        start = counted = 0
        straight = curly = 0  # the part's quotation marks: a quotation is open while '"' is odd or “ outnumbers ”
        for word in _MAY_END_A_SENTENCE.finditer(line):
            stop = word.end()
            if stop - start < chunk:
                continue
            after = _SPACE.match(line, stop).end()  # type: ignore[union-attr]
            if not _new_sentence(word.group(), line[after : after + 1]):
                continue
            straight += line.count('"', counted, stop)  # each character counted once: linear
            curly += line.count("“", counted, stop) - line.count("”", counted, stop)
            counted = stop
            if straight % 2 == 0 and curly == 0:
                yield match.start() + start, line[start:stop]
                start = counted = after
                straight = curly = 0
        if line[start:].strip():
            yield match.start() + start, line[start:]


class RecentSplits:
    """The sentence parts (paragraphs) of the last few texts. A draft re-checked after an edit is
    cut anew only around the edit: a cut reads the text before it and one character after it, and
    from a part's start on, nothing before decides how the rest is cut; so the old cuts before the
    edit hold, and after it, once a new cut falls where the old text had one, so do the rest."""

    def __init__(self, chunk: int, size: int = 8, longest: int = 50_000) -> None:
        self._chunk = chunk
        self._longest = longest  # characters: longer drafts are not kept (memory stays small)
        self._recent: deque[tuple[str, tuple[tuple[int, str], ...]]] = deque(maxlen=size)

    def parts(self, text: str) -> tuple[tuple[int, str], ...]:
        best: tuple[int, int, str, tuple[tuple[int, str], ...]] | None = None
        for old, old_parts in list(self._recent):  # a copy: other threads append meanwhile
            if old == text:
                return old_parts
            if old[:8] != text[:8] and old[-8:] != text[-8:]:
                continue  # another draft (an edit keeps at least one of its ends)
            same_start = _common_prefix(old, text)
            same_end = _common_suffix(old, text, min(len(old), len(text)) - same_start)
            if best is None or same_start + same_end > best[0] + best[1]:
                best = (same_start, same_end, old, old_parts)
        if best is not None and best[0] + best[1] >= len(text) // 2:
            parts = self._cut_again(text, *best)
        else:
            parts = tuple(paragraphs(text, self._chunk))
        if len(text) <= self._longest:
            self._recent.append((text, parts))
        return parts

    def _cut_again(self, text: str, same_start: int, same_end: int, old: str,
                   old_parts: tuple[tuple[int, str], ...]) -> tuple[tuple[int, str], ...]:
        # The old parts that start (so: whose cut before them was decided) within the shared start.
        kept = bisect.bisect_left(old_parts, same_start, key=lambda part: part[0])
        kept = max(kept - 1, 0)  # the last of them is cut again: its end may have moved
        begin = old_parts[kept][0] if kept else 0
        shift = len(text) - len(old)
        old_starts = {offset: index for index, (offset, _) in enumerate(old_parts)}
        parts = list(old_parts[:kept])
        for offset, part in paragraphs(text, self._chunk, begin):
            index = old_starts.get(offset - shift)
            if offset >= len(text) - same_end and index is not None:
                parts.extend((start + shift, rest) for start, rest in old_parts[index:])
                break
            parts.append((offset, part))
        return tuple(parts)


def _common_prefix(one: str, other: str) -> int:
    """How many characters the two strings share at their start (by halving: each comparison in C)."""
    low, high = 0, min(len(one), len(other))
    while low < high:
        middle = (low + high + 1) // 2
        if one[low:middle] == other[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(one: str, other: str, limit: int) -> int:
    """How many characters (at most `limit`) the two strings share at their end."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if one[len(one) - middle : len(one) - low] == other[len(other) - middle : len(other) - low]:
            low = middle
        else:
            high = middle - 1
    return low


def _new_sentence(word: str, following: str) -> bool:
    """A sentence ends after `word` and the next begins with `following` (one character): before
    a capital, a digit, a quotation mark, a hashtag or a mention; after a full stop, a question
    or exclamation mark (not after an initial or a title), or, as posts end sentences, after a
    link, a hashtag or an emoji."""
    if not following or not (following.isupper() or following.isdigit() or following in "\"“‘'(#@"):
        return False
    if word[-1] in _SENTENCE_MARKS:
        core = word.rstrip(_SENTENCE_MARKS)
        return len(core) != 1 and core.lower() not in _BEFORE_A_NAME
    return word.lower().startswith(_LINK_OR_TAG) or _is_emoji(word[-1])


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return code >= 0x1F000 or 0x2600 <= code <= 0x27BF or code in (0xFE0F, 0x200D)


# Bytes the engines' answers for paragraphs may keep, per engine: an entry bound alone let
# distinct long paragraphs grow the server without a plateau.
CACHE_BYTES = 16_000_000


class LruCache(BoundedLru[Hashable, Value]):
    """A bounded, thread-safe least-recently-used cache of engines' answers, bounded in bytes too."""

    def __init__(self, size: int, max_bytes: int = CACHE_BYTES,
                 weigh: Callable[[Hashable, Value], int] | None = None) -> None:
        """`weigh`: the bytes an entry keeps alive, where a cheaper estimate than walking the
        entry (approximate_size) is known: a cache of every sentence of every check puts often."""
        super().__init__(size, max_bytes, weigh or (lambda key, value: approximate_size(key) + approximate_size(value)))
