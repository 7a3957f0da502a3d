"""A post, read once: words, sentences and the spans that are not prose.

Every rule works from the same `Document`, so the text is tokenised once per
check however many rules run.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

import emoji

from checker.lru import BoundedLru

# The order matters: an e-mail address contains what looks like a mention. A Mastodon remote
# mention (@user@server) is a mention: neither an address nor a link starts right after an "@".
# A link with a scheme or "www.", or a bare domain with one of the endings below. A domain's labels are
# taken possessively: what follows each is a "." or the end, which no label character is.
_URL_WITH_SCHEME = r"(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]"
_DOMAIN_ENDING = r"\.(?:ac\.uk|co\.uk|org\.uk|gov\.uk|com|org|net|edu|io|ly)"
URL = re.compile(_URL_WITH_SCHEME + r"|(?<![\w.@-])[a-z0-9-]++(?:\.[a-z0-9-]++)*" + _DOMAIN_ENDING + r"(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?", re.I)
# What every URL holds (a scheme, "www." or one of URL's endings): a text without one has none, and
# URL, which tries at the start of every word, is not run over it.
URL_HINT = re.compile(r"https?://|www\.|\.(?:uk|com|org|net|edu|io|ly)", re.I)
# In a text without a domain's ending, URL can only match as this (most links in posts are https://t.co/...),
# which the engine skips through to each "h" or "w" instead of trying a domain at every word.
URL_WITH_SCHEME = re.compile(_URL_WITH_SCHEME, re.I)
DOMAIN_ENDING = re.compile(_DOMAIN_ENDING, re.I)
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+@-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{1,30}(?:@[A-Za-z0-9.-]+)?")
HASHTAG = re.compile(r"(?<![\w#&])#([^\W_][\w]*)")
CAMEL_PART = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]+|[A-Z]+|\d+")
# A word: a letter or digit, then word characters, an apostrophe only between two of them. Taken as
# runs (possessively), not a character at a time through an alternation: the same words, a third faster.
WORD = re.compile(r"[^\W_]\w*+(?:['’][^\W_]\w*+)*+")
# Characters that can start or continue an emoji sequence (keycaps start with 0-9, # or *).
EMOJI_CANDIDATES = re.compile(
    "(?:[0-9#*](?=\ufe0f?\u20e3))?[\u00a9\u00ae\u203c-\u3299\ufe0f\u200d\u20e3\U0001f000-\U0001faff\U000e0020-\U000e007f]+"
)
# A sentence ends at . ! ? or … and a space, but not after an initial (Philip K. Dick) or a title (Dr. Patel).
_NOT_AFTER = "".join(f"(?<!{a})" for a in (r"\b[A-Z]\.", r"\bDr\.", r"\bMr\.", r"Mrs\.", r"\bMs\.", r"Prof\.", r"\bSt\.", r"e\.g\.", r"i\.e\.", r"\bvs\.", r"\bNo\."))
# Every end starts with a quote, a bracket or white space: the lookahead turns most characters away in one test.
SENTENCE_END = re.compile(rf"(?=[\s\"'”’)])(?:(?<=[.!?…]){_NOT_AFTER}[\"'”’)]*\s+|\n\s*\n|\n(?=\s*[-•*\d]))")


_SPAN = re.Match.span

# A read Document keeps up to about 70 bytes a character (its tokens, spans, sentences, and the
# word forms and their positions that the phrase lists keep in its cache; measured on real posts).
DOCUMENT_BYTES_PER_CHARACTER = 80
_SENTENCE_DOCUMENTS: BoundedLru[str, Document] = BoundedLru(
    1024, 16_000_000, lambda text, _doc: DOCUMENT_BYTES_PER_CHARACTER * len(text) + 512
)


def _emoji_in_run(run: str) -> tuple[tuple[int, int], ...]:
    """The emoji of a run of emoji characters, as (start, end) in it; the same runs recur (🎉, ❤️,
    🇬🇧), so short ones are remembered."""
    return _short_run_emoji(run) if len(run) <= 32 else _run_emoji(run)


def _run_emoji(run: str) -> tuple[tuple[int, int], ...]:
    return tuple((e["match_start"], e["match_end"]) for e in emoji.emoji_list(run))


_short_run_emoji = lru_cache(maxsize=4096)(_run_emoji)


class Token(NamedTuple):  # a tuple: made for every word of every sentence, so it must be cheap
    start: int
    end: int
    text: str
    lower: str


class Span(NamedTuple):
    start: int
    end: int
    kind: str  # url, email, mention, hashtag


class Document:
    """The text of a post with its tokens and non-prose spans, computed lazily."""

    @staticmethod
    def of_sentence(text: str) -> Document:
        """One shared, read-only Document a sentence: the sentence-scoped rules and the
        sentiment check both read it, and a draft's sentences come back at every keystroke."""
        return _SENTENCE_DOCUMENTS.get_or_compute(text, lambda: Document(text))

    @staticmethod
    def of_post(text: str) -> Document:
        """A post read from its sentences' shared Documents (`of_sentence`): its words, spans and
        emoji are theirs, moved to where each sentence starts, so a post's sentences are read
        once for every rule (and not again when a draft comes back with one sentence changed).
        None of them crosses a sentence boundary: sentences end at white space, which no word,
        link, mention, hashtag or emoji holds (tests/test_document.py checks it)."""
        doc = Document(text)
        sentences = doc.sentences
        if len(sentences) == 1 and sentences[0] == (0, len(text)):
            return Document.of_sentence(text)
        doc.parts = [(start, Document.of_sentence(text[start:end])) for start, end in sentences]
        return doc

    def __init__(self, text: str) -> None:
        self.text = text
        self.cache: dict[str, Any] = {}  # what rule kinds derive from the text once per document
        # (offset, Document) of each sentence, when the post is read from them (`of_post`).
        self.parts: list[tuple[int, Document]] | None = None

    @property
    def sentence_parts(self) -> list[tuple[int, Document]]:
        """(offset, Document) of each sentence of a post read from them (`of_post`); else the
        document itself, at 0."""
        return self.parts if self.parts is not None else [(0, self)]

    @cached_property
    def special(self) -> list[Span]:
        """URLs, e-mail addresses, mentions and hashtags, in order, never overlapping."""
        if self.parts is not None:
            return [Span(s.start + offset, s.end + offset, s.kind) for offset, part in self.parts for s in part.special]
        spans: list[Span] = []
        text = self.text
        for kind, pattern, needs in (("email", EMAIL, "@"), ("url", URL, "./"), ("mention", MENTION, "@"), ("hashtag", HASHTAG, "#")):
            if needs[0] not in text and needs[-1] not in text:  # each pattern needs one of these: most sentences have none
                continue
            if pattern is URL:
                if URL_HINT.search(text) is None:
                    continue
                if DOMAIN_ENDING.search(text) is None:
                    pattern = URL_WITH_SCHEME
            # `spans` is sorted and never overlaps, and one pattern's matches come in order: one walk
            # along both finds the overlaps (comparing each match with every span taken was quadratic:
            # "#a " * 33333 took 45 s).
            taken, index, added = spans, 0, []
            for match in pattern.finditer(text):
                start, end = match.span()
                while index < len(taken) and taken[index].end <= start:
                    index += 1
                if index < len(taken) and taken[index].start < end:
                    continue
                added.append(Span(start, end, kind))
            if added:
                spans = sorted(taken + added, key=lambda s: s.start)  # two sorted runs: timsort merges them in linear time
        return spans

    @cached_property
    def _special_starts(self) -> list[int]:
        return [s.start for s in self.special]

    def special_at(self, start: int, end: int) -> Span | None:
        """The special span overlapping start..end, if any."""
        index = bisect_right(self._special_starts, start) - 1
        for candidate in self.special[max(index, 0) : index + 2]:
            if candidate.start < end and start < candidate.end:
                return candidate
        return None

    def spans_of(self, kind: str) -> list[Span]:
        return [s for s in self.special if s.kind == kind]

    @cached_property
    def tokens(self) -> list[Token]:
        """Words outside URLs, e-mail addresses and mentions (hashtag words are kept, without '#')."""
        if self.parts is not None:
            return [Token(t.start + offset, t.end + offset, t.text, t.lower) for offset, part in self.parts for t in part.tokens]
        text = self.text
        lower = text.lower().replace("’", "'")
        # Lowered whole, each word is lowered as on its own when no character changes length
        # and there is no capital sigma (whose lower case depends on the letters after it).
        sliced = len(lower) == len(text) and "Σ" not in text
        new = tuple.__new__
        if not self.special and sliced:  # most sentences: no span to look up for each word
            return [new(Token, (start, end, text[start:end], lower[start:end])) for start, end in map(_SPAN, WORD.finditer(text))]
        tokens = []
        specials, ahead, count = self.special, 0, len(self.special)  # both in order: walk them together (what special_at finds)
        for start, end in map(_SPAN, WORD.finditer(text)):
            while ahead < count and specials[ahead].end <= start:
                ahead += 1
            span = specials[ahead] if ahead < count and specials[ahead].start < end else None
            if span is not None and span.kind != "hashtag":
                continue
            word = text[start:end]
            if span is not None and CAMEL_PART.fullmatch(word) is None:
                # #TraitorsAll reads as "Traitors All": its words are checked one by one.
                for part in CAMEL_PART.finditer(word):
                    tokens.append(Token(start + part.start(), start + part.end(), part.group(), part.group().lower()))
                continue
            tokens.append(new(Token, (start, end, word, lower[start:end] if sliced else word.lower().replace("’", "'"))))
        return tokens

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Sentence spans (start, end), trimmed of surrounding space."""
        spans = []
        position = 0
        for match in SENTENCE_END.finditer(self.text):
            spans.append((position, match.start()))
            position = match.end()
        spans.append((position, len(self.text)))
        result = []
        for start, end in spans:
            chunk = self.text[start:end]
            stripped = chunk.strip()
            if stripped:
                offset = start + len(chunk) - len(chunk.lstrip())
                result.append((offset, offset + len(stripped)))
        return result

    @cached_property
    def emoji(self) -> list[tuple[int, int]]:
        """Spans of emoji (whole sequences: flags, skin tones, ZWJ families).

        The emoji library reads text a character at a time; handing it only the runs of
        characters that can be part of an emoji keeps a long post fast.
        """
        if self.parts is not None:
            return [(start + offset, end + offset) for offset, part in self.parts for start, end in part.emoji]
        spans = []
        for run in EMOJI_CANDIDATES.finditer(self.text):
            offset = run.start()
            spans.extend((offset + start, offset + end) for start, end in _emoji_in_run(run.group()))
        return spans

    @cached_property
    def _token_starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self.sentences]

    def words_in(self, start: int, end: int) -> list[Token]:
        first = bisect_left(self._token_starts, start)
        last = bisect_left(self._token_starts, end, lo=first)
        return [t for t in self.tokens[first:last] if t.end <= end]

    def sentence_at(self, position: int) -> tuple[int, int] | None:
        """The sentence (start, end) holding `position`, if any."""
        index = bisect_right(self._sentence_starts, position) - 1
        if index >= 0 and position < self.sentences[index][1]:
            return self.sentences[index]
        return None
