"""analysis.sentiment skips VADER for a text with no word VADER rates; its answer must be VADER's all the same."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.text import analysis

PIECES = st.sampled_from(["good", "GOOD", "bad!", "no", "not", "very", "kind of", ":)", ":-(", "(:", "a", "lol", "😀", "💔",
                          "the", "library", "open", "?", "!!!", " ", "\n", "ok.", "\"hate\"", "'s", "but", "Σ", "ΟΔΟΣ", "…"])
TEXTS = st.one_of(st.lists(PIECES, max_size=20).map(" ".join), st.lists(PIECES, max_size=20).map("".join), st.text(max_size=80))


@given(TEXTS)
@settings(max_examples=800, deadline=None)
def test_sentiment_is_vaders_compound(text):
    assert analysis.sentiment(text) == float(analysis._vader().polarity_scores(text[: analysis.SENTIMENT_SPAN])["compound"])
