"""Offsets: LanguageTool's UTF-16 units and Harper's code points mapped to `str` indices."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.grammar import check_grammar
from checker.grammar.languagetool_engine import matches_from_json

try:
    from tests.grammar_support import make_policy
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from grammar_support import make_policy

POLICY = make_policy()
from checker.grammar.offsets import Utf16Index

# Text rich in what breaks offset arithmetic: emoji, flags, joiners, mathematical letters.
ASTRAL = st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, exclude_categories=("Cs",))
ANY_CHAR = st.characters(exclude_categories=("Cs",))
TEXTS = st.lists(st.one_of(ASTRAL, ANY_CHAR, st.sampled_from("ab \n😀👩‍🔬🇬🇧")), max_size=60).map("".join)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@given(TEXTS, st.data())
def test_every_str_index_round_trips(text, data):
    index = Utf16Index(text)
    i = data.draw(st.integers(0, len(text)))
    offset = index.to_utf16(i)
    assert offset == utf16_length(text[:i])
    assert index.to_str(offset) == i
    assert index.to_str(offset, round_up=True) == i


@given(TEXTS, st.data())
def test_utf16_spans_map_to_the_same_characters(text, data):
    index = Utf16Index(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    offset, length = utf16_length(text[:start]), utf16_length(text[start:end])
    assert index.span(offset, length) == (start, end)
    encoded = text.encode("utf-16-le")
    assert encoded[2 * offset : 2 * (offset + length)].decode("utf-16-le") == text[start:end]


@given(st.lists(st.one_of(ASTRAL, st.sampled_from("abc ")), min_size=1, max_size=30).map("".join), st.data())
def test_an_offset_inside_a_surrogate_pair_never_splits_a_character(text, data):
    index = Utf16Index(text)
    inner = [utf16_length(text[:i]) + 1 for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    if not inner:
        return
    offset = data.draw(st.sampled_from(inner))
    down, up = index.to_str(offset), index.to_str(offset, round_up=True)
    assert up == down + 1
    assert ord(text[down]) > 0xFFFF


def test_offsets_outside_the_text_are_refused():
    index = Utf16Index("ab😀")
    with pytest.raises(IndexError):
        index.to_str(5)
    with pytest.raises(IndexError):
        index.to_str(-1)
    with pytest.raises(IndexError):
        index.to_utf16(4)


def test_languagetool_answer_is_placed_after_emoji():
    text = "😀 𝐁𝐨𝐥𝐝 news: we has won 🏆 an award"
    start = text.index("has")
    answer = {
        "matches": [
            {
                "message": "The verb does not agree with the subject.",
                "offset": utf16_length(text[:start]),
                "length": 3,
                "replacements": [{"value": "have"}],
                "rule": {"id": "HE_VERB_AGR", "issueType": "grammar", "category": {"id": "GRAMMAR"}},
            },
            {
                "message": "Possible spelling mistake found.",
                "offset": utf16_length(text[: text.index("award")]),
                "length": 5,
                "replacements": [{"value": "Award"}],
                "rule": {"id": "MORFOLOGIK_RULE_EN_GB", "issueType": "misspelling", "category": {"id": "TYPOS"}},
            },
            {"message": "unplaceable", "offset": "x", "length": 1, "rule": {}},
        ]
    }
    first, second = matches_from_json(text, answer)
    assert (text[first.start:first.end], first.category, first.rule, first.suggestions) == (
        "has", "grammar", "HE_VERB_AGR", ("have",)
    )
    assert (text[second.start:second.end], second.category, second.case_only) == ("award", "spelling", True)


# Harper counts code points, as Python does; these tests prove it on the real engine.
MISSPELT = ["recieved", "definately", "seperate", "goverment", "accomodation"]
FILLER = st.lists(st.one_of(ASTRAL, st.sampled_from(["😀", "👩‍🔬", "🇬🇧", "❄️", "𝐁", " ", "é", "中"])), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(FILLER.map("".join), FILLER.map("".join), st.sampled_from(MISSPELT))
def test_harper_spans_are_str_indices_with_astral_characters(monkeypatch, before, after, word):
    monkeypatch.setenv("SOCIALCHECK_GRAMMAR", "harper")
    text = f"{before} Our team {word} it. {after}"
    found = [text[f.start:f.end] for f in check_grammar(text, POLICY) if f.category == "spelling"]
    assert word in found
