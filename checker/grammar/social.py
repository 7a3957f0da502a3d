"""What a social media post has that prose does not: hashtags, mentions, links.

Engines check prose. Hashtags, @mentions, URLs and email addresses are not
words to spell-check; matches inside them are dropped. CamelCase hashtags are
split into their words, which are spell-checked on their own (#ResearchExcelence).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_URL = r"(?:https?://|www\.)[^\s<>\"]+|(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:ac\.uk|co\.uk|org\.uk|gov\.uk|com|org|net|edu|io|uk)(?:/[^\s<>\"]*)?"
_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # starts only where a run starts: linear on long words
_MENTION = r"(?<![\w@])@[\w.]+(?:@[\w-]+(?:\.[\w-]+)+)?"  # @name, and Mastodon's @name@server
_TAG = r"(?<![\w#&])[#$][^\W_][\w]*"  # hashtags and cashtags

SOCIAL_TOKEN = re.compile(f"{_EMAIL}|{_URL}|{_MENTION}|{_TAG}", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\b")  # #FedUni's
_CAMEL_PART = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]+|[A-Z]+|\d+")
_SENTENCE_END = frozenset(".!?…\n")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def social_tokens(text: str) -> list[Token]:
    """Hashtags, cashtags, mentions, URLs and email addresses, in order."""
    return [Token(m.start(), m.end(), m.group()) for m in SOCIAL_TOKEN.finditer(text)]


def blank_social_tokens(text: str, tokens: list[Token]) -> str:
    """The text with its hashtags, mentions, links and addresses replaced by spaces (offsets kept).

    They are not prose, so nothing in them is reported; and an engine asked to spell-check
    "t.co/8NkNNeNW4F" spends most of its time on suggestions (Harper: 15 ms a real post with
    them, 3 ms without). CamelCase hashtags are spell-checked word by word on their own.
    `tokens` are the text's social tokens in order (social_tokens); a possessive "'s" after
    one goes with it.
    """
    if not tokens:
        return text
    pieces, position = [], 0
    for token in tokens:
        end = token.end
        possessive = _POSSESSIVE.match(text, end)
        if possessive:
            end = possessive.end()
        pieces.append(text[position : token.start])
        pieces.append(" " * (end - token.start))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def inside_any(start: int, end: int, tokens: list[Token]) -> bool:
    """True if the span overlaps one of the tokens."""
    return any(start < t.end and t.start < max(end, start + 1) for t in tokens)


def next_to_any(text: str, start: int, end: int, tokens: list[Token], *,
                token_before: bool = False, token_after: bool = False) -> bool:
    """True if only spaces stand between the span and a token: an engine that saw the token
    blanked ("a #FedUni alumni" as "a         alumni") may have judged the gap.

    `tokens` are in order (as social_tokens gives them), so two look-ups suffice. When `text`
    is a part of a post, `token_before` and `token_after` tell whether, beyond its ends, only
    spaces stand between it and a token.
    """
    after = bisect.bisect_left(tokens, end, key=lambda t: t.start)
    if after < len(tokens):
        if not text[end:tokens[after].start].strip():
            return True
    elif token_after and not text[end:].strip():
        return True
    before = bisect.bisect_right(tokens, start, key=lambda t: t.end) - 1
    if before < 0:
        return token_before and not text[:start].strip()
    return tokens[before].end <= start and not text[tokens[before].end:start].strip()


def hashtag_words(token: Token) -> list[tuple[int, str]] | None:
    """The words of a CamelCase hashtag with their offsets in the post, or None.

    Only hashtags with at least two capitalised parts are split: #freshersweek
    has no visible word boundaries, and guessing them is the accessibility
    rules' business.
    """
    if not token.text.startswith("#"):
        return None
    body = token.text[1:]
    parts = [(m.start(), m.group()) for m in _CAMEL_PART.finditer(body)]
    if sum(1 for _, p in parts if p[0].isupper()) < 2:
        return None
    return [(token.start + 1 + offset, part) for offset, part in parts if part.isalpha()]


def at_sentence_start(text: str, start: int, *, at_text_start: bool | None = True) -> bool | None:
    """True if nothing but spaces, quotes or emoji stands between `start` and the previous sentence.

    `at_text_start`: the answer when nothing but those stands before `start` either (when `text`
    is a part of a post, the answer at the part's start; None: undecided)."""
    index = start - 1
    while index >= 0:
        ch = text[index]
        if ch in _SENTENCE_END:
            return True
        if ch.isalnum() or ch in ",;:-–—":
            return False
        index -= 1
    return at_text_start


def looks_like_proper_name(text: str, start: int, end: int, *, sentence_before: bool = True) -> bool:
    """A capitalised word that is not capitalised only because a sentence starts there.

    Covers names (Oadby), acronyms (UCAS) and mixed case (MSc, iPhone). `sentence_before`:
    whether a sentence starts at the start of `text` (when it is a part of a post).
    """
    word = text[start:end]
    if not word or not any(ch.isalpha() for ch in word):
        return False
    uppers = sum(1 for ch in word if ch.isupper())
    if uppers == 0:
        return False
    if uppers == 1 and word[0].isupper():
        return not at_sentence_start(text, start, at_text_start=sentence_before)
    return True
