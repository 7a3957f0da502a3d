"""analysis.sentiment skips VADER for a text with no word VADER rates, and analysis.may_be_negative
says without VADER that a text cannot score below zero; their answers must be VADER's all the same."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.text import analysis

PIECES = st.sampled_from(["good", "GOOD", "bad!", "no", "not", "very", "kind of", ":)", ":-(", "(:", "a", "lol", "😀", "💔",
                          "the", "library", "open", "?", "!!!", " ", "\n", "ok.", "\"hate\"", "'s", "but", "Σ", "ΟΔΟΣ", "…",
                          "NO", "barely", "yeah", "right", "kiss", "of", "death", "sort", "least", "at", "isn't", "WIN", "never", "so",
                          "without", "doubt", "bus", "stop", "kind", "great!", "Happy", "HAPPY", "love", "hardly"])
TEXTS = st.one_of(st.lists(PIECES, max_size=20).map(" ".join), st.lists(PIECES, max_size=20).map("".join), st.text(max_size=80))


@given(TEXTS)
@settings(max_examples=800, deadline=None)
def test_sentiment_is_vaders_compound(text):
    assert analysis.sentiment(text) == float(analysis._vader().polarity_scores(text[: analysis.SENTIMENT_SPAN])["compound"])


@given(TEXTS)
@settings(max_examples=1500, deadline=None)
def test_a_text_that_cannot_be_negative_scores_at_least_zero(text):
    if not analysis.may_be_negative(text):
        assert analysis._vader().polarity_scores(text[: analysis.SENTIMENT_SPAN])["compound"] >= 0


def test_negations_lowering_boosters_and_negative_words_may_be_negative():
    for text in ("This is not good", "Barely good", "yeah right, great", "It was kind of nice", "at least it is good", "No fun", "bad", "💔"):
        assert analysis.may_be_negative(text), text
    assert not analysis.may_be_negative("Congratulations to all our graduates: a brilliant day!")
