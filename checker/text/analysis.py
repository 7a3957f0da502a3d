"""Measurements that rules share: sentiment, readability, word lists, platform length.

The heavy resources (VADER's lexicon, the segmentation word list) load once,
on first use, and are shared by every thread: they are read-only after that.
"""

from __future__ import annotations

import math
import re
import string
import threading
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources
from itertools import islice
from typing import Any

from checker.policy import Platform
from checker.text.document import WORD, Document

_load_lock = threading.RLock()  # re-entrant: one resource may build on another (common words use VADER)
_loaded: dict[str, Any] = {}


def _shared(name: str, build: Callable[[], Any]) -> Any:
    """Build a read-only resource once per process, even when threads ask for it together."""
    value = _loaded.get(name)
    if value is None:
        with _load_lock:
            value = _loaded.get(name)
            if value is None:
                value = _loaded[name] = build()
    return value


def _vader():  # type: ignore[no-untyped-def]
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return _shared("vader", SentimentIntensityAnalyzer)


SENTIMENT_SPAN = 1_000  # VADER slows sharply on very long runs (thousands of emoji); posts' sentences are shorter


def sentiment(text: str) -> float:
    """VADER's compound score, from -1 (most negative) to 1, of the first 1,000 characters."""
    return _sentiment(text[:SENTIMENT_SPAN])  # cached by what is scored, so the cache holds no long text


@lru_cache(maxsize=4096)
def _sentiment(text: str) -> float:
    vader = _vader()
    if not _has_lexicon_word(vader, text):
        return 0.0  # what VADER gives a text none of whose words it rates, at a twentieth of the cost
    return float(vader.polarity_scores(text)["compound"])


def _has_lexicon_word(vader: Any, text: str) -> bool:
    """Whether VADER would rate any word of the text: only a word in its lexicon has a valence (the
    rest, boosters, negations and punctuation, scale valences), so with none its compound is 0.0.
    Its words are found as VADER finds them: emoji replaced by descriptions (any emoji, then: ask
    VADER), the text split at white space, each piece stripped of punctuation unless that leaves
    two characters or fewer, and looked up in lower case."""
    if not _vader_emoji_characters().isdisjoint(text):
        return True
    lexicon = vader.lexicon
    return any(word in lexicon for word in _vader_words(text))


def _vader_words(text: str) -> Iterator[str]:
    """The text's words as VADER reads them (emoji aside): split at white space, each piece
    stripped of punctuation unless that leaves two characters or fewer, in lower case."""
    for piece in text.split():
        stripped = piece.strip(string.punctuation)
        yield (piece if len(stripped) <= 2 else stripped).lower()


def may_be_negative(text: str) -> bool:
    """Whether VADER's compound score of `sentiment(text)` can be below zero; False only when it
    cannot (it is then at least 0.0), found at a twentieth of VADER's cost.

    VADER sums a valence for each word its lexicon rates; a sum of positive valences is positive
    whatever scales it (boosters that raise, capitals, "but", punctuation). Only these can give a
    word a valence at or below zero, and a text with none of them cannot score below zero: a word
    the lexicon rates at or below zero, a negation ("not", any "n't", "no", "least"), a booster
    that lowers ("barely", "kind of"), a phrase VADER rates at or below zero ("yeah right"), and
    an emoji (VADER reads its description). Its words are split as VADER splits them (see
    `_has_lexicon_word`), and compared in lower case, as VADER compares them.
    """
    text = text[:SENTIMENT_SPAN]
    if not _vader_emoji_characters().isdisjoint(text):
        return True
    lexicon = _vader().lexicon
    lowering, phrases = _vader_lowering_words()
    words = set()
    for word in _vader_words(text):
        if word in lowering or "n't" in word or lexicon.get(word, 1.0) <= 0:
            return True
        words.add(word)
    return any(phrase <= words for phrase in phrases)


def _vader_lowering_words() -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    """The words that can lower a valence past zero in VADER (negations, lowering boosters, phrases
    it rates at or below zero), and its phrases of several words that do (each as its set of words:
    only a text with all of them can hold the phrase)."""

    def build() -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
        from vaderSentiment import vaderSentiment as vader

        lowering = {*vader.NEGATE, "no", "least"}
        phrases = []
        for phrase, value in (*vader.BOOSTER_DICT.items(), *vader.SPECIAL_CASES.items()):
            if value <= 0:
                words = phrase.lower().split()
                if len(words) == 1:
                    lowering.add(words[0])
                else:
                    phrases.append(frozenset(words))
        return frozenset(lowering), tuple(phrases)

    return _shared("vader_lowering", build)  # type: ignore[no-any-return]


def _vader_emoji_characters() -> frozenset[str]:
    """The characters VADER replaces with a description (it looks at one character at a time)."""
    return _shared("vader_emoji", lambda: frozenset(e for e in _vader().emojis if len(e) == 1))  # type: ignore[no-any-return]


def valence(word: str) -> float:
    """A word's valence in VADER's lexicon, from -4 to 4 (0 when it is not listed)."""
    return float(_vader().lexicon.get(word, 0.0))


def common_words() -> frozenset[str]:
    """Everyday English words: Dale-Chall's easy words (via textstat) and VADER's lexicon."""
    return _shared("common_words", _build_common_words)


def _build_common_words() -> frozenset[str]:
    import textstat

    easy = resources.files(textstat).joinpath("resources/en/easy_words.txt").read_text(encoding="utf-8").split()
    lexicon = (w for w in _vader().lexicon if w.isalpha())
    return frozenset(w.lower() for w in (*easy, *lexicon))


def is_common_word(word: str) -> bool:
    return word in common_words() or (word.endswith("s") and word[:-1] in common_words())


def word_and_syllable_counts(sentences: list[str]) -> tuple[int, int]:
    """Words and syllables (textstat's counts) of some sentences, each sentence counted once and remembered."""
    words = syllables = 0
    for sentence in sentences:
        sentence_words, sentence_syllables = _sentence_counts(sentence)
        words += sentence_words
        syllables += sentence_syllables
    return words, syllables


def _sentence_counts(sentence: str) -> tuple[int, int]:
    return _span_counts(sentence[:READABILITY_SPAN])


@lru_cache(maxsize=2048)  # keys of at most READABILITY_SPAN characters: at most about 40 MB
def _span_counts(span: str) -> tuple[int, int]:
    words = WORD.findall(span)
    if words and max(map(len, words)) <= 64:
        return len(words), sum(map(_syllables, words))  # all short enough to remember: no check a word
    return len(words), sum(syllables(word) for word in words)


READABILITY_SPAN = 5_000  # no real sentence is longer
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Syllables by vowel groups (see _syllables); only short words are remembered."""
    return _syllables(word) if len(word) <= 64 else _count_syllables(word)


@lru_cache(maxsize=32768)
def _syllables(word: str) -> int:
    return _count_syllables(word)


def _count_syllables(word: str) -> int:
    """Syllables by vowel groups, less a silent final e: within one of a dictionary's count for
    most English words, without the 70 MB pronouncing dictionary textstat would load for it."""
    word = word.lower()
    count = len(_VOWEL_GROUPS.findall(word))
    if count > 1 and word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        count -= 1
    return max(count, 1)


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    """Flesch's formula: 206.835 - 1.015 words per sentence - 84.6 syllables per word."""
    if not words or not sentences:
        return 100.0
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)


SEGMENTER_WORDS = 60_000


def _segmenter():  # type: ignore[no-untyped-def]
    return _shared("segmenter", _build_segmenter)


def _build_segmenter():  # type: ignore[no-untyped-def]
    """wordsegment's algorithm over its 60,000 commonest words: enough for hashtags, a tenth of the memory."""
    import wordsegment

    segmenter = wordsegment.Segmenter()
    path = resources.files(wordsegment).joinpath("unigrams.txt")
    with path.open(encoding="utf-8") as lines:
        for line in islice(lines, SEGMENTER_WORDS):
            word, count = line.split("\t")
            segmenter.unigrams[word] = float(count)
    segmenter.total = segmenter.TOTAL
    segmenter.limit = segmenter.LIMIT
    return segmenter


def segment(word: str) -> tuple[str, ...]:
    """Split a run of lower-case letters into words: "freshersweek" -> ("freshers", "week")."""
    return _segment(word) if len(word) <= 64 else _segment.__wrapped__(word)


@lru_cache(maxsize=1024)
def _segment(word: str) -> tuple[str, ...]:
    return tuple(_unigram_segment(_segmenter(), word))


def _unigram_segment(segmenter: Any, text: str) -> list[str]:
    """wordsegment's Segmenter.segment, word for word, for a segmenter with no bigrams (ours).

    Without bigrams a word's score does not depend on the word before it, so the best split of
    what is left of the text is the same whatever came before: remembered by that rest alone,
    not by (rest, word before) as wordsegment does, it is worked out once instead of once for
    each of the 24 words that can precede it. The arithmetic, the order candidates are tried in
    and the tie-breaking (max keeps the first) are wordsegment's, so the words are the same.
    """
    if segmenter.bigrams:
        return list(segmenter.segment(text))
    unigrams, total, limit, log10 = segmenter.unigrams, segmenter.total, segmenter.limit, math.log10
    memo: dict[str, tuple[float, list[str]]] = {}

    def score(word: str) -> float:
        if word in unigrams:
            return unigrams[word] / total  # type: ignore[no-any-return]
        return 10.0 / (total * 10 ** len(word))  # type: ignore[no-any-return]

    def search(text: str) -> tuple[float, list[str]]:
        if text == "":
            return 0.0, []
        best: tuple[float, list[str]] | None = None
        for position in range(1, min(len(text), limit) + 1):
            prefix, suffix = text[:position], text[position:]
            rest = memo.get(suffix)
            if rest is None:
                rest = memo[suffix] = search(suffix)
            candidate = (log10(score(prefix)) + rest[0], [prefix] + rest[1])
            if best is None or candidate > best:
                best = candidate
        assert best is not None
        return best

    # wordsegment's chunks of 250 letters, each led by the last five words of the one before.
    clean = segmenter.clean(text)
    words: list[str] = []
    prefix = ""
    for offset in range(0, len(clean), 250):
        _, chunk_words = search(prefix + clean[offset : offset + 250])
        prefix = "".join(chunk_words[-5:])
        words.extend(chunk_words[:-5])
    words.extend(search(prefix)[1])
    return words


_SMALL_CAPITALS = str.maketrans("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnopqrstuvwyz")


def plain_letters(text: str) -> str:
    """Fancy Unicode letters (𝐛𝐨𝐥𝐝, ｆｕｌｌｗｉｄｔｈ, Ⓒⓘⓡⓒⓛⓔⓓ, ꜱᴍᴀʟʟ ᴄᴀᴘꜱ) as plain ones."""
    return unicodedata.normalize("NFKC", text.translate(_SMALL_CAPITALS))


# --- length as each platform counts it ----------------------------------------------

# twitter-text v3 (config/v3.json): these ranges weigh 100, everything else 200; emoji 200; URLs 23 characters.
_X_HEAVY = re.compile("[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")


def platform_length(doc: Document, platform: Platform) -> tuple[int, int]:
    """(length as the platform counts it, the index where the text goes over the limit).

    The second value is len(text) when the text is within the limit.
    """
    pieces = list(_weighted_pieces(doc, platform))
    total = sum(weight for _, _, weight in pieces)
    cut = len(doc.text)
    if platform.limit is not None and total > platform.limit:
        running = 0
        for start, end, weight in pieces:
            if running + weight > platform.limit:
                cut = start if end - start == 1 or weight == platform.url_length else _cut_inside(doc.text, start, end, platform, running)
                break
            running += weight
    return total, cut


def _cut_inside(text: str, start: int, end: int, platform: Platform, running: int) -> int:
    """The first character of a plain run that goes over the limit."""
    assert platform.limit is not None
    for index in range(start, end):
        running += _char_weight(text[index], platform.counting)
        if running > platform.limit:
            return index
    return start


def _weighted_pieces(doc: Document, platform: Platform) -> list[tuple[int, int, int]]:
    """Split the text into (start, end, weight) pieces: URLs, emoji, mentions and runs of plain text."""
    text = doc.text
    counting = platform.counting
    fixed: list[tuple[int, int, int]] = []
    if platform.url_length is not None:
        fixed += [(s.start, s.end, platform.url_length) for s in doc.spans_of("url")]
    if counting == "mastodon":
        # Mastodon counts a remote mention (@user@server) by its user part only.
        for span in doc.spans_of("mention"):
            fixed.append((span.start, span.end, len(text[span.start : span.end].split("@")[1]) + 1))
    if counting in ("x", "graphemes", "mastodon"):
        emoji_weight = 2 if counting == "x" else 1
        taken = [(s, e) for s, e, _ in fixed]
        fixed += [(s, e, emoji_weight) for s, e in doc.emoji if not any(a <= s < b for a, b in taken)]
    fixed.sort()
    pieces: list[tuple[int, int, int]] = []
    position = 0
    for start, end, weight in fixed:
        if start < position:
            continue
        pieces.extend(_plain_pieces(text, position, start, counting))
        pieces.append((start, end, weight))
        position = end
    pieces.extend(_plain_pieces(text, position, len(text), counting))
    return pieces


def _plain_pieces(text: str, start: int, end: int, counting: str) -> list[tuple[int, int, int]]:
    if start >= end:
        return []
    chunk = text[start:end]
    if counting == "x":
        weight = len(chunk) + len(_X_HEAVY.findall(chunk))
    elif counting in ("graphemes", "mastodon"):
        weight = len(chunk) - len(_COMBINING.findall(chunk))
    else:
        weight = len(chunk)
    return [(start, end, weight)]


def _char_weight(char: str, counting: str) -> int:
    if counting == "x":
        return 2 if _X_HEAVY.match(char) else 1
    if counting in ("graphemes", "mastodon"):
        return 0 if _COMBINING.match(char) else 1
    return 1
