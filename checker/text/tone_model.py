"""A small trained model of tone: offensive, hostile, sarcastic and negative voice.

One logistic regression a tone over the same features: the words of a post, the
pairs of neighbouring words, and the letter n-grams inside each word (which catch
"fuuuck", "idiots" and "stupidest" without a list of forms). Because the model is
linear, its score is a sum over the words of the post, so a finding can underline
the words that drive it and nothing else. A text's features are counted, and the counts
divided by the square root of their total, so a long text is not offensive for being long.

The features are built here and only here: `scripts/train_tone_model.py` calls
`word_features` and `pair_features` to train, and inference calls them to score,
so what is scored is exactly what was trained. Inference is numpy alone: the vocabulary is
held as the sorted hashes of its features (looked up with np.searchsorted), not as a dict of
strings, which took 17 MB of every server; scikit-learn is needed only to train
(`pip install -e '.[train]'`).

The model file (an .npz, no pickles) holds:
    meta        JSON: format, tones, feature settings, training figures
    vocabulary  the feature strings, one array of str
    weights     float32, one row a feature, one column a tone
    bias        float32, one a tone
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from checker.findings import Finding
from checker.policy import Policy
from checker.text.document import Document
from checker.text.rules import Check, Context, compile_rule

FORMAT = "socialcheck-tone-model/1"
TONES = ("offensive", "hostile", "sarcastic", "negative")
CHAR_NGRAMS = (3, 5)  # smallest and largest letter n-gram, counted inside " word " as scikit-learn's char_wb does
MAX_CHARS = 2_000  # a window is scored on at most this many characters (windows are a tweet or so)

# Skipped: links, @mentions (TweetEval writes every one as "@user") and numbers. The model's own
# patterns, not the Document's: what the model reads must not move when those are refined.
# A number holds no letter, so no word is in one; a link or a mention starts at "h", "w" or "@"
# (the lookahead lets the engine skip to those), and a text without "@", "://" or "www." has neither.
_LINK_OR_MENTION = re.compile(r"(?=[hw@])(?:(?:https?://|www\.)\S+|@[\w.@-]+)", re.I)
_SKIP_HINT = re.compile(r"@|://|www\.", re.I)
# Letters, with an apostrophe between two letters ("don't"); possessive, so no letter is tried twice.
_TOKEN = re.compile(r"[^\W\d_]++(?:['’][^\W\d_]++)*+|[\U0001f300-\U0001faff\u2600-\u27bf]")
_STRETCHED = re.compile(r"(.)\1{2,}")
_STRETCH_HINT = re.compile(r"(.)\1\1")  # finds what _STRETCHED finds, at a third of the cost
_SPAN = re.Match.span
_START = itemgetter(0)
_END = itemgetter(1)


class Word(NamedTuple):  # a tuple: made for every word of every post, so it must be cheap
    start: int
    end: int
    norm: str  # lower case, curly apostrophe straightened, letters stretched past two squeezed to two


def words(text: str) -> list[Word]:
    """The words the model reads, with their offsets in `text`."""
    text = text[:MAX_CHARS]
    lower = text.lower().replace("’", "'")
    # Lowered whole, each word is lowered as on its own when no character changes length and
    # there is no capital sigma (whose lower case depends on the letters after it).
    sliced = len(lower) == len(text) and "Σ" not in text
    if sliced:
        new = tuple.__new__
        found = [new(Word, (start, end, lower[start:end])) for start, end in map(_SPAN, _TOKEN.finditer(text))]
    else:
        found = [Word(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in _TOKEN.finditer(text)]
    if _STRETCH_HINT.search(text) is not None:  # then every word stretched past two letters is squeezed
        if sliced:
            # A run of one letter never crosses a word's edge (a word is all the letters in a row), so
            # each stretched word holds the start of a run in the lowered text: only those are squeezed.
            for position in {m.start() for m in _STRETCH_HINT.finditer(lower)}:
                index = bisect_right(found, position, key=_START) - 1
                if index >= 0 and position < found[index].end:
                    word = found[index]
                    found[index] = Word(word.start, word.end, _STRETCHED.sub(r"\1\1", word.norm))
        else:
            found = [Word(w.start, w.end, _STRETCHED.sub(r"\1\1", w.norm)) for w in found]
    if _SKIP_HINT.search(text) is not None:
        # A word (letters only) can be inside a link or a mention, never inside a number. The
        # spans are in order and never overlap, and so are the words: the words a span overlaps
        # are a run, found by bisection (a walk along both took a step a word).
        for start, end in reversed([m.span() for m in _LINK_OR_MENTION.finditer(text)]):
            first = bisect_right(found, start, key=_END)  # the first word ending after the span starts
            del found[first : bisect_left(found, end, lo=first, key=_START)]  # up to the first starting at or after its end
    return found


_LETTER = re.compile(r"[^\W\d_]")  # what _TOKEN's words are made of (an apostrophe joins two of them)
_APOSTROPHE = "'’"


def _inside_word(text: str, position: int) -> bool:
    """Whether one of _TOKEN's words holds both text[position - 1] and text[position]: two letters,
    or a letter and an apostrophe that has a letter on its other side (emoji are words of one character)."""
    if position <= 0 or position >= len(text):
        return False
    before, after = text[position - 1], text[position]
    letter = _LETTER.match
    if letter(before):
        return letter(after) is not None or (after in _APOSTROPHE and position + 1 < len(text) and letter(text, position + 1) is not None)
    return before in _APOSTROPHE and letter(after) is not None and position >= 2 and letter(text, position - 2) is not None


def word_norms(text: str) -> list[str]:
    """`[w.norm for w in words(text)]`, without the offsets: what scoring reads (offsets are made
    only for a window whose drivers are shown). One findall over the lowered text, which finds the
    words where the text has them when lowering keeps every character one character (a letter stays
    a letter, an apostrophe an apostrophe: tests/test_tone_model.py checks every code point). The
    words a link or mention overlaps are left out as `words` leaves them: each stretch between two
    of them is read on its own, less a word cut at either end (one that runs into the link)."""
    text = text[:MAX_CHARS]
    lower = text.lower().replace("’", "'")
    if len(lower) != len(text) or "Σ" in text:
        return [w.norm for w in words(text)]
    findall = _TOKEN.findall
    if _SKIP_HINT.search(text) is None:
        norms = findall(lower)
    else:
        norms, position = [], 0
        for start, end in [*map(_SPAN, _LINK_OR_MENTION.finditer(text)), (len(text), len(text))]:
            found = findall(lower, position, start)
            if found and _inside_word(text, position):
                del found[0]  # the rest of a word that runs out of the link or mention before
            if found and _inside_word(text, start):
                del found[-1]  # the start of a word that runs into the next one
            norms.extend(found)
            position = end
    if _STRETCH_HINT.search(text) is not None:  # as in `words`: then every word stretched past two letters is squeezed
        norms = [_STRETCHED.sub(r"\1\1", norm) if _STRETCH_HINT.search(norm) else norm for norm in norms]
    return norms


def word_features(norm: str) -> list[str]:
    """A word's own features: the word, and its letter n-grams inside spaces (all of one length, then the next)."""
    if len(norm) <= 1:
        return ["w " + norm]
    padded = f" {norm} "
    size = len(padded)
    low, high = CHAR_NGRAMS
    return ["w " + norm, *["c " + padded[i : i + n] for n in range(low, high + 1) for i in range(size - n + 1)]]


def pair_features(norms: Sequence[str]) -> list[str]:
    """The feature of each pair of neighbouring words."""
    return [f"p {first} {second}" for first, second in zip(norms, norms[1:])]


def text_features(text: str) -> list[str]:
    """Every feature of a text, repeated as often as it occurs: what training counts."""
    found = words(text)
    features = [f for w in found for f in word_features(w.norm)]
    features.extend(pair_features([w.norm for w in found]))
    return features


@dataclass(frozen=True, slots=True)
class Driver:
    """A word or short phrase of the text and how much it pushes one tone's score (log-odds)."""

    start: int
    end: int
    weight: float


PHRASE_WORDS = 3  # a phrase driver joins at most this many neighbouring words


@dataclass(frozen=True, slots=True)
class Scores:
    """A text's probability for each tone, each word's share of the log-odds, and each neighbouring pair's own weight."""

    text: str  # what was scored
    probabilities: dict[str, float]
    contributions: np.ndarray  # one row a word, one column a tone (a pair's weight is split between its words)
    pairs: np.ndarray | None = None  # one row a neighbouring pair (word i and i + 1), one column a tone
    _words: tuple[Word, ...] | None = field(default=None, compare=False, repr=False)

    @property
    def words(self) -> tuple[Word, ...]:
        """The words scored, with their offsets: made when asked for (for a window that is flagged), not to score."""
        if self._words is None:
            object.__setattr__(self, "_words", tuple(words(self.text)))  # frozen: set once, here
        return self._words  # type: ignore[return-value]

    def drivers(self, tone: str, share: float = 0.25, limit: int = 3, text: str | None = None) -> list[Driver]:
        """The words or phrases that push `tone` up most: at least `share` of the strongest push, at most `limit`.

        Two neighbouring words form one phrase when the pair itself pushes the tone up and both
        words do too ("yet another", "can't wait"): the tone is in the phrase, not in either
        word, so the phrase is what a writer should see underlined. With `text`, words are
        joined only across plain spaces, never across punctuation that ends a sentence or clause.
        """
        if not self.words:
            return []
        column = self.contributions[:, TONES.index(tone)]
        # A one-letter word ("a", "I") carries no tone of its own, however the sums fall.
        pushes = [column[i] > 0 and len(self.words[i].norm) > 1 for i in range(len(self.words))]
        # Nor does a name (a day, a person, a place): it is what the post is about, not how it is
        # said. A name still takes its place in the ranking, so it never lets a weaker word in.
        names = [text is not None and pushes[i] and _is_name(text, self.words[i]) for i in range(len(self.words))]
        groups = [[i] for i in range(len(self.words))]
        if self.pairs is not None and len(self.words) > 1:
            pair_column = self.pairs[:, TONES.index(tone)]
            group_of = list(range(len(self.words)))
            for i in sorted(range(len(pair_column)), key=lambda k: (-pair_column[k], k)):  # strongest pairs join first
                if pair_column[i] <= 0:
                    break
                left, right = group_of[i], group_of[i + 1]
                if not (pushes[i] and pushes[i + 1]) or names[i] or names[i + 1] or len(groups[left]) + len(groups[right]) > PHRASE_WORDS:
                    continue
                if text is not None and text[self.words[i].end : self.words[i + 1].start].strip(" "):
                    continue  # punctuation between them: two thoughts, not one phrase
                groups[left].extend(groups[right])
                for j in groups[right]:
                    group_of[j] = left
                groups[right] = []
        spans = sorted(
            ((float(column[group].sum()), sorted(group)) for group in groups if group and all(pushes[i] for i in group)),
            key=lambda item: (-item[0], item[1][0]),
        )[:limit]
        if not spans:
            return []
        strongest = spans[0][0]
        chosen = [(weight, group) for weight, group in spans if weight >= share * strongest and not names[group[0]]]
        return [
            Driver(self.words[group[0]].start, self.words[group[-1]].end, weight)
            for weight, group in sorted(chosen, key=lambda item: item[1][0])
        ]


class ToneModel:
    """A trained model, loaded from its .npz file.

    Its features are held as their hashes, sorted, beside the weights in the same order: a
    feature's row is where np.searchsorted finds its hash. Python's own string hash is used
    (its key changes from process to process, so the hashes are made when the model loads);
    two features of the vocabulary with one hash would be told apart by nothing, so loading
    refuses them, and a string outside the vocabulary takes one's row with odds of about 1 in
    10^14 a lookup.
    """

    WORD_CACHE_SIZE = 50_000
    SCORE_CACHE_SIZE = 1_024

    def __init__(self, meta: dict[str, Any], vocabulary: Sequence[str], weights: np.ndarray, bias: np.ndarray) -> None:
        if meta.get("format") != FORMAT:
            raise ValueError(f"not a tone model of format {FORMAT!r} (found {meta.get('format')!r})")
        if tuple(meta.get("tones", ())) != TONES or tuple(meta.get("char_ngrams", ())) != CHAR_NGRAMS:
            raise ValueError(f"the model was trained for tones {meta.get('tones')} and n-grams {meta.get('char_ngrams')}; this code reads {TONES} and {CHAR_NGRAMS}")
        if weights.shape != (len(vocabulary), len(TONES)) or bias.shape != (len(TONES),):
            raise ValueError(f"weights {weights.shape} and bias {bias.shape} do not fit {len(vocabulary)} features and {len(TONES)} tones")
        self.meta = meta
        hashes = np.fromiter(map(hash, vocabulary), dtype=np.int64, count=len(vocabulary))
        order = np.argsort(hashes, kind="stable")
        keys = hashes[order]
        if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
            if len(set(vocabulary)) != len(vocabulary):
                raise ValueError("the vocabulary lists a feature twice")
            raise ValueError("two features of the vocabulary have the same hash in this process; load the model again")
        self.features = len(keys)
        # A last key past them all, so that where searchsorted puts any hash there is a key to compare.
        self.keys = np.append(keys, np.iinfo(np.int64).max)
        # One row a feature, in the order of `keys`, and a row of zeros at `features`, for features not found.
        # Held as float32, as the file has them (half the memory); every sum is made in float64.
        self.weights = np.concatenate([np.asarray(weights, dtype=np.float32)[order], np.zeros((1, len(TONES)), dtype=np.float32)])
        self.bias = np.asarray(bias, dtype=np.float64)
        self._word_cache: dict[str, tuple[np.ndarray, int]] = {}
        self._score_cache: dict[str, Scores] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ToneModel:
        with np.load(Path(path), allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            return cls(meta, data["vocabulary"].tolist(), data["weights"], data["bias"])

    def rows(self, features: Sequence[str]) -> np.ndarray:
        """Each feature's row of `weights`, or `self.features` (a row of zeros) for one the model does not know."""
        wanted = np.fromiter(map(hash, features), dtype=np.int64, count=len(features))
        rows = self.keys.searchsorted(wanted)
        rows[self.keys[rows] != wanted] = self.features
        return rows

    def row(self, feature: str) -> int | None:
        """A feature's row of `weights`, or None if the model does not know it."""
        row = int(self.rows([feature])[0])
        return row if row < self.features else None

    def _word_vectors(self, norms: Sequence[str]) -> list[tuple[np.ndarray, int]]:
        """For each word, the sum of its own feature weights and how many it has: from a cache
        (words recur), and for the words not in it, all their features looked up at once."""
        cache = self._word_cache
        vectors = [cache.get(norm) for norm in norms]
        missing = list(dict.fromkeys(norm for norm, vector in zip(norms, vectors, strict=True) if vector is None))
        if missing:
            features = [word_features(norm) for norm in missing]
            rows = self.rows([f for these in features for f in these])
            # Every feature's weights, those of one the model does not know a row of zeros: a word's sum
            # over all its features is the sum over its known ones (adding 0.0 changes no sum).
            weights = self.weights[rows].astype(np.float64)
            known = np.cumsum(rows < self.features).tolist()  # known features so far, at each feature
            made = {}
            start = 0
            for norm, these in zip(missing, features, strict=True):
                end = start + len(these)
                made[norm] = (np.add.reduce(weights[start:end], axis=0), known[end - 1] - (known[start - 1] if start else 0))
                start = end
            with self._lock:
                if len(cache) + len(made) > self.WORD_CACHE_SIZE:
                    cache.clear()  # bounded: the common words come straight back
                cache.update(made)
            vectors = [vector if vector is not None else made[norm] for norm, vector in zip(norms, vectors, strict=True)]
        return vectors  # type: ignore[return-value]

    def cached_score(self, text: str) -> Scores:
        """`score`, remembered for recent texts: every rule that reads the model shares one score a run."""
        scores = self._score_cache.get(text)
        if scores is None:
            scores = self.score(text)
            with self._lock:
                if len(self._score_cache) >= self.SCORE_CACHE_SIZE:
                    self._score_cache.clear()
                self._score_cache[text] = scores
        return scores

    def score(self, text: str) -> Scores:
        norms = word_norms(text)
        if not norms:
            return Scores(text, {tone: _sigmoid(b) for tone, b in zip(TONES, self.bias, strict=True)}, np.zeros((0, len(TONES))), _words=())
        vectors = self._word_vectors(norms)
        contributions = np.array([vector for vector, _ in vectors])
        count = sum([n for _, n in vectors])
        if len(norms) > 1:
            rows = self.rows(pair_features(norms))
            pairs = self.weights[rows].astype(np.float64)  # a row of zeros for a pair the model does not know
            count += int((rows < self.features).sum())
            half = pairs / 2  # a pair's weight is shared by its two words: each word takes the pair before it, then the one after
            contributions[1:] += half
            contributions[:-1] += half
        else:
            pairs = np.zeros((0, len(TONES)))
        if count:
            contributions /= math.sqrt(count)
            pairs /= math.sqrt(count)
        logits = self.bias + contributions.sum(axis=0)
        return Scores(text, {tone: _sigmoid(x) for tone, x in zip(TONES, logits, strict=True)}, contributions, pairs)


def save_model(path: str | os.PathLike[str], meta: dict[str, Any], vocabulary: Sequence[str], weights: np.ndarray, bias: np.ndarray) -> None:
    """Write a model file (what `ToneModel.load` reads): weights and bias as float32, one row of weights a feature of `vocabulary`."""
    np.savez_compressed(
        Path(path),
        meta=np.array(json.dumps(meta, sort_keys=True)),
        vocabulary=np.array(list(vocabulary)),
        weights=np.asarray(weights).astype(np.float32),
        bias=np.asarray(bias).astype(np.float32),
    )


def _is_name(text: str, word: Word) -> bool:
    """A capitalised word inside a sentence ("another Monday", "ask Trump"): a name, not a word of tone.

    A word that starts a sentence, follows a mention, a link or a hashtag's #, or is all capitals (shouting) is read as a word.
    """
    original = text[word.start : word.end]
    if not original[:1].isupper() or original.isupper() or (word.start and text[word.start - 1] == "#"):
        return False
    before = text[max(0, word.start - 100) : word.start].rstrip(" \t\"“‘'(")  # bounded: only the text just before matters
    if not before or before[-1] in ".!?:;\n…":
        return False
    return not before.split()[-1].startswith(("@", "http", "www."))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def _spans(checks: Sequence[Check], doc: Document, context: Context) -> list[tuple[int, int]]:
    """Where the rules of `checks` flag the post."""
    return [(f.start, f.end) for check in checks for f in check.run(doc, context)]


@lru_cache(maxsize=4)
def load_model(path: str) -> ToneModel:
    """A model file, loaded once however many rules and profiles use it."""
    return ToneModel.load(path)


def windows(text: str, sentences: Sequence[tuple[int, int]], size: int = 280) -> Iterator[tuple[int, int]]:
    """Runs of whole sentences of about a tweet's length (what the model was trained on), each within one paragraph.

    A sentence's words count against the others of its run, so one rude line in a long kind
    paragraph can be outweighed; a paragraph of its own never is.
    """
    start = end = None
    for s, e in sentences:
        if start is None or end is None:
            start, end = s, e
        elif e - start <= size and "\n\n" not in text[end:s].replace(" ", "").replace("\r", ""):
            end = e
        else:
            yield start, end
            start, end = s, e
    if start is not None and end is not None:
        yield start, end


# --- the rule kind ---------------------------------------------------------------------

DEFAULT_MODEL = "tone_model.npz"


class ToneModelCheck(Check):
    """The trained tone model over a post, a tweet-sized run of sentences at a time.

    A run whose probability for a tone reaches the rule's `thresholds` gets a finding at the
    rule's severity on each word or short phrase that drives it (never the whole post; at most
    `max_words` of them, a phrase counting once); one that reaches only
    `notes` gets the same findings as info. Words that a listed rule already flags
    (`covered_by`) are left to that rule, and so are runs that reach a level in `defer`
    (what another tone-model rule flags, so one word is not underlined twice).

    `decides_for` names word-list rules whose words block only in context: their own severity
    is info, and a word of theirs gets this rule's finding when its run reaches `confirm_at`
    ("trash" in a post about recycling is a note; in "you are trash" it blocks).
    """

    options_schema = {
        "model": str,
        "thresholds": dict,
        "notes": dict,
        "defer": dict,
        "max_words": int,
        "covered_by": list,
        "decides_for": list,
        "confirm_at": dict,
        "window": int,
    }
    required = ("thresholds",)
    scope = "post"

    def setup(self, policy: Policy) -> None:
        path = policy.root / "policy" / self.options.get("model", DEFAULT_MODEL)
        if not path.is_file():
            raise self.error(f"model file {str(path)!r} not found (train it with `make model`)")
        try:
            self.model = load_model(str(path))
        except (OSError, ValueError, KeyError) as problem:
            raise self.error(f"model file {str(path)!r} cannot be read: {problem}") from None
        self.thresholds = self._levels("thresholds")
        self.notes = self._levels("notes")
        self.defer = self._levels("defer")
        self.confirm_at = self._levels("confirm_at")
        if not self.thresholds and not self.notes:
            raise self.error("'thresholds' (or 'notes') must name at least one tone")
        self.max_words = self.options.get("max_words", 3)
        self.window = self.options.get("window", 280)
        if self.max_words < 1 or self.window < 20:
            raise self.error("'max_words' must be at least 1 and 'window' at least 20 characters")
        # The listed rules, compiled as they are, so their exceptions hold here too.
        self.covered = self._rules(policy, "covered_by")
        self.decided = self._rules(policy, "decides_for")
        if self.decided and not self.confirm_at:
            raise self.error("'decides_for' needs 'confirm_at': the probability at which a listed word blocks")

    def _rules(self, policy: Policy, key: str) -> list[Check]:
        checks = []
        for rule_id in self.strings(key):
            rule = policy.rules.get(rule_id)
            if rule is None:
                raise self.error(f"{key} names {rule_id!r}, which is not a rule")
            if rule.kind == "tone_model":
                raise self.error(f"{key} names {rule_id!r}, a tone-model rule; name word-list rules")
            checks.append(compile_rule(rule, policy))
        return checks

    def _levels(self, key: str) -> dict[str, float]:
        levels = {}
        for tone, value in self.options.get(key, {}).items():
            if tone not in TONES:
                raise self.error(f"{key}: {tone!r} is not a tone of the model; its tones are {', '.join(TONES)}")
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
                raise self.error(f"{key}.{tone} must be a probability above 0 and at most 1, not {value!r}")
            levels[tone] = float(value)
        return levels

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        covered: list[tuple[int, int]] | None = None
        decided: list[tuple[int, int]] | None = None
        for start, end in windows(doc.text, doc.sentences, self.window):
            scores = self.model.cached_score(doc.text[start:end])
            confirmed: list[tuple[int, int]] = []
            if self.decided and any(scores.probabilities[tone] >= level for tone, level in self.confirm_at.items()):
                if decided is None:
                    decided = _spans(self.decided, doc, context)
                confirmed = [(s, e) for s, e in decided if start <= s and e <= end]
                tone, probability = max(((t, scores.probabilities[t]) for t in self.confirm_at), key=lambda item: item[1])
                for s, e in confirmed:
                    yield self.finding(s, e, match=doc.text[s:e], tone=tone, score=f"{probability:.2f}")
            outcome = self._decide(scores)
            if outcome is None:
                continue
            if covered is None:  # only for a post the model flags: most are not
                covered = _spans(self.covered, doc, context)
            tone, probability, blocking = outcome
            for driver in scores.drivers(tone, limit=self.max_words, text=doc.text[start:end]):
                first, last = start + driver.start, start + driver.end
                if any(s < last and first < e for s, e in covered + confirmed):
                    continue  # already flagged (the word, or a word of the phrase), with a better message, by a word list
                finding = self.finding(first, last, match=doc.text[first:last], tone=tone, score=f"{probability:.2f}")
                yield finding if blocking else replace(finding, severity="info")

    def _decide(self, scores: Scores) -> tuple[str, float, bool] | None:
        """The tone a run is flagged for (the one furthest past its level), and whether it blocks."""
        if any(scores.probabilities[tone] >= level for tone, level in self.defer.items()):
            return None
        best = None
        for levels, blocking in ((self.thresholds, True), (self.notes, False)):
            for tone, level in levels.items():
                probability = scores.probabilities[tone]
                if probability >= level and (best is None or probability - level > best[0]):
                    best = (probability - level, tone, probability)
            if best is not None:
                return best[1], best[2], blocking
        return None
