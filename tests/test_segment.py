"""Hashtag segmentation is wordsegment's, word for word, however it is worked out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.text import analysis

WORDS = st.sampled_from(["fresher", "freshers", "week", "mental", "health", "awareness", "open", "day", "leicester", "uni",
                         "a", "the", "x", "zz", "q", "2024", "é", "ing", "s"])
TEXTS = st.one_of(st.lists(WORDS, max_size=12).map("".join), st.text("abcdefghijklmnopqrstuvwxyz", max_size=30),
                  st.lists(WORDS, min_size=60, max_size=90).map("".join))  # past wordsegment's 250-letter chunks


@given(TEXTS)
@settings(max_examples=400, deadline=None)
def test_segmentation_is_wordsegments(text):
    segmenter = analysis._segmenter()
    assert analysis._unigram_segment(segmenter, text) == segmenter.segment(text)


def test_a_run_together_hashtag_splits_into_its_words():
    assert analysis.segment("freshersweek") == ("freshers", "week")
