"""Property tests of check_text on arbitrary Unicode: it never crashes and its spans are sound.

For any string (astral characters, lone surrogates, controls, right-to-left marks, text
made of words the rules look for), any platform and any profile in the bundled policy:
check_text returns a Report or raises the documented InputError (only for text over the
size limit), and every finding's span lies inside the text, is non-empty, and the
findings come sorted by where they start. Python str indexes code points, so a span
cannot split a UTF-16 surrogate pair; what we check is that a span never starts or ends
outside the text or covers nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checker import InputError, check_text, load_policy
from checker.findings import CATEGORIES, Report

POLICY = load_policy()
PLATFORMS = st.sampled_from(sorted(POLICY.platforms))
PROFILES = st.sampled_from([None, *sorted(POLICY.profiles)])

# Every code point hypothesis can produce, lone surrogates (category Cs) included.
ANY_CHARACTER = st.characters(exclude_categories=())
ASTRAL = st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, exclude_categories=())
# Pieces that make the rules fire, so spans from many rules (not only none) are exercised.
FRAGMENTS = st.sampled_from(
    [
        "HUGE NEWS!!! ", "f***", "sh!t ", "Leicester Uni", "chairman", "guys", "jane.smith@gmail.com",
        "07700 900123", "LE1 7RH", "#DataScienceAtLeicester", "🎉🎉🎉🎉", "𝐁𝐨𝐥𝐝 𝐭𝐞𝐱𝐭", "https://le.ac.uk/x ",
        "organized", "color", "synergy", "vote Labour", "strike", "lol idk tbh", "Scunthorpe", "NHS", "\u202e",
        "\u200d", "\r\n", "\t", "\x00", "e\u0301", "👩\u200d🔬", "\ud83d", "\ude00", "\ud83d\ude00", "  ", ". ", "?",
    ]
)
MIXED = st.lists(st.one_of(FRAGMENTS, st.text(ANY_CHARACTER, max_size=8), st.text(ASTRAL, max_size=3)), max_size=25).map("".join)
TEXTS = st.one_of(st.text(ANY_CHARACTER, max_size=400), st.text(max_size=400), MIXED)


def assert_sound(report: Report, text: str) -> None:
    assert isinstance(report, Report)
    starts = [finding.start for finding in report.findings]
    assert starts == sorted(starts), f"findings not sorted by start: {starts}"
    for finding in report.findings:
        assert isinstance(finding.start, int) and isinstance(finding.end, int)
        assert 0 <= finding.start < finding.end <= len(text), (finding.rule, finding.start, finding.end, len(text))
        assert text[finding.start : finding.end], finding.rule
        assert finding.category in CATEGORIES, finding.category
        assert finding.severity in {"error", "warning", "info"}, finding.severity
        assert finding.message.strip(), finding.rule
    report.to_dict()  # what the server serialises: must not fail on any finding


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, platform=PLATFORMS, profile=PROFILES)
@example(text="\ud83d", platform="x", profile=None)  # a lone high surrogate
@example(text="\ude00\ud83d", platform="generic", profile=None)  # a pair the wrong way round
@example(text="😀" * 300, platform="x", profile="corporate")  # astral, over the X limit
@example(text="", platform="generic", profile=None)
def test_rules_accept_any_string_and_give_sound_spans(text: str, platform: str, profile: str | None) -> None:
    assert_sound(check_text(text, platform, profile, grammar=False), text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, platform=PLATFORMS)
@example(text="Our reserchers has publish the results\ud83d today.", platform="x")
@example(text="\ud83d\ude00 Thier new programme starts tommorow 🎉", platform="generic")
def test_rules_and_grammar_accept_any_string_and_give_sound_spans(text: str, platform: str) -> None:
    assert_sound(check_text(text, platform, grammar=True), text)


LONG_TEXTS = st.lists(MIXED, min_size=5, max_size=60).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=LONG_TEXTS, platform=PLATFORMS, grammar=st.booleans())
def test_long_posts_of_rule_fragments_give_sound_spans(text: str, platform: str, grammar: bool) -> None:
    assert_sound(check_text(text, platform, grammar=grammar), text)


@settings(max_examples=15, deadline=None)
@given(fragment=MIXED)
def test_text_over_the_limit_is_an_input_error_not_a_crash(fragment: str) -> None:
    text = (fragment or "a") * (100_001 // max(len(fragment), 1) + 1)
    assert len(text) > 100_000
    with pytest.raises(InputError, match="100,000"):
        check_text(text, grammar=False)


@settings(max_examples=40, deadline=None)
@given(value=st.one_of(st.none(), st.integers(), st.binary(max_size=20), st.lists(st.text(max_size=3), max_size=3)))
def test_anything_but_a_string_is_an_input_error(value: object) -> None:
    with pytest.raises(InputError, match="must be a string"):
        check_text(value, grammar=False)  # type: ignore[arg-type]
