"""check_text: the library contract, robustness, and behaviours the rules must keep."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import (
    CATEGORIES,
    InputError,
    UnknownPlatformError,
    UnknownProfileError,
    check_text,
)
from checker.findings import Finding, Report


def rules_of(text: str, **kwargs) -> set[str]:
    return {f.rule for f in check_text(text, grammar=False, **kwargs).findings if f.blocking}


def categories_of(text: str, **kwargs) -> set[str]:
    return {f.category for f in check_text(text, grammar=False, **kwargs).findings if f.blocking}


# --- the contract ---------------------------------------------------------------------


def test_contract_of_the_design_example():
    report = check_text("HUGE NEWS!!! HUGE!!!", platform="x")
    assert isinstance(report, Report)
    finding = report.findings[0]
    assert isinstance(finding, Finding)
    assert finding.category in CATEGORIES and finding.severity in {"error", "warning", "info"}
    assert (finding.rule, finding.start, finding.end) == ("tone.shouting", 0, 9)
    assert finding.suggestions == ("Huge news",)
    assert finding.guideline.startswith("Manner and tone")
    assert report.stats["length"] == 20 and report.stats["limit"] == 280
    data = report.to_dict()
    assert data["ok"] is False and data["counts"]["warning"] >= 2
    assert data["findings"][0]["suggestions"] == ["Huge news"]


def test_findings_are_sorted_and_frozen():
    report = check_text("lol idk tbh. Contact jane.smith@gmail.com, SO EXCITED!!!", platform="x")
    starts = [f.start for f in report.findings]
    assert starts == sorted(starts)
    with pytest.raises(AttributeError):
        report.findings[0].severity = "info"  # type: ignore[misc]


def test_unknown_platform_and_profile_name_the_valid_ones():
    with pytest.raises(UnknownPlatformError, match="choose one of: bluesky, facebook, generic") as raised:
        check_text("Hello", platform="myspace")
    assert isinstance(raised.value, ValueError)
    with pytest.raises(UnknownProfileError, match="base, corporate, department"):
        check_text("Hello", profile="intern")


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "🎉" * 500, "مرحبا بكم في جامعة ليستر", "control\x00chars\x07here\u202e", "a" * 100_000, "\ud800 lone surrogate", "e\u0301" * 300],
)
def test_any_string_is_checked_without_error(text):
    report = check_text(text, platform="x")
    for finding in report.findings:
        assert 0 <= finding.start < finding.end <= len(text)


def test_too_long_or_not_text_is_a_clear_error():
    with pytest.raises(InputError, match="100,000"):
        check_text("a" * 100_001)
    with pytest.raises(InputError, match="must be a string"):
        check_text(b"bytes")  # type: ignore[arg-type]


def test_clean_post_is_ready():
    report = check_text("Applications are now open for our MSc in Data Science: https://le.ac.uk/courses", platform="x")
    assert report.ok, report.findings


# --- tone -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Our NHS partners and UCAS advisers", "STEM outreach with the BBC and NASA", "Join the UCU and REF briefings"])
def test_acronyms_are_never_shouting(text):
    assert "tone.shouting" not in rules_of(text)


def test_one_word_in_capitals_is_only_a_note():
    report = check_text("Applications close TOMORROW.", grammar=False)
    assert [(f.rule, f.severity) for f in report.findings] == [("tone.shouting", "info")]


@pytest.mark.parametrize(
    "text",
    [
        "Our research shows poor housing causes ill health.",
        "The fight against cancer: our new trial opens to patients this month.",
        "We are deeply saddened by the death of Professor Smith. Our thoughts are with her family and friends.",
        "Knife crime devastates families, our criminologists found.",
    ],
)
def test_research_news_and_condolences_are_not_negative_voice(text):
    assert not categories_of(text) & {"tone", "offensive"}


def test_hostile_voice_is_flagged():
    assert "tone" in categories_of("If you can't be bothered to read the guidance, don't expect us to help you.")
    assert "tone.personal_attack" in rules_of("You are pathetic and everyone knows it.")


# --- offensive ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Scunthorpe", "Essex", "assessment", "Dick Whittington", "Cockermouth", "a passing classic", "Shitake mushrooms"])
def test_no_scunthorpe_problem(text):
    assert "offensive" not in categories_of(f"Visit {text} this weekend.")


@pytest.mark.parametrize("text", ["f***", "sh!t", "f*cking", "b!tch", "FUUUCK", "Sh1t"])
def test_masked_and_stretched_profanity(text):
    assert "offensive" in categories_of(f"Well that was {text}")


# --- inclusive ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [("Our chairman spoke", "chair"), ("Students confined to a wheelchair", "wheelchair user"), ("Thanks guys", "everyone"), ("Chairman's address", "Chair")],
)
def test_inclusive_terms_come_with_alternatives(text, suggestion):
    findings = [f for f in check_text(text, grammar=False).findings if f.category == "inclusive"]
    assert findings and suggestion in findings[0].suggestions


# --- privacy --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Email jo.bloggs@gmail.com",
        "Call 07700 900123",
        "Call +44 (0)7700 900123",
        "student number 219384751",
        "Her home is 14 Victoria Road, Leicester LE2 1AB",
        "NI number JG123456C",
        "EMBARGOED until Thursday",
        "This is internal only",
    ],
)
def test_personal_data_and_confidential_markers(text):
    assert "privacy" in categories_of(text)


def test_shared_mailbox_on_our_domain_is_fine():
    assert "privacy" not in categories_of("Email admissions@le.ac.uk or ask at library@leicester.ac.uk")
    assert "privacy" in categories_of("Email js123@le.ac.uk")


# --- brand ----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "fix"), [("Leicester Uni", "University of Leicester"), ("university of leicester", "University of Leicester"), ("organized", "organised"), ("color", "colour"), ("analyzed", "analysed"), ("center", "centre"), ("program", "programme")])
def test_brand_names_and_british_spelling(text, fix):
    findings = [f for f in check_text(f"Welcome to {text} today", grammar=False).findings if f.category == "brand"]
    assert findings and findings[0].suggestions[0] == fix


# --- accessibility --------------------------------------------------------------------


def test_camelcase_hashtag_suggestion():
    finding = next(f for f in check_text("Join #studentsunion events", grammar=False).findings if f.category == "accessibility")
    assert finding.suggestions == ("#StudentsUnion",)


def test_fancy_letters_suggest_plain_text():
    finding = next(f for f in check_text("𝐁𝐢𝐠 𝐧𝐞𝐰𝐬 today", grammar=False).findings if f.rule == "accessibility.fancy_text")
    assert finding.suggestions == ("Big news",)


# --- platform -------------------------------------------------------------------------


def test_x_counts_every_url_as_23():
    url = "https://le.ac.uk/" + "a" * 200
    report = check_text(f"Read more: {url}", platform="x", grammar=False)
    assert report.stats["length"] == len("Read more: ") + 23
    assert "platform" not in {f.category for f in report.findings}


def test_x_counts_emoji_and_cjk_as_two():
    assert check_text("🎉🎉", platform="x").stats["length"] == 4
    assert check_text("大学", platform="x").stats["length"] == 4
    assert check_text("👩‍🔬", platform="bluesky").stats["length"] == 1


def test_over_the_limit_marks_the_part_that_does_not_fit():
    text = "a " * 150
    finding = next(f for f in check_text(text, platform="x", grammar=False).findings if f.rule == "platform.length")
    assert finding.severity == "error"
    assert finding.start == 280 and finding.end == len(text)


def test_generic_has_no_limit_and_instagram_caps_hashtags():
    assert "platform" not in categories_of("word " * 5000, platform="generic")
    tags = " ".join(f"#tag{n}" for n in range(6))
    finding = next(f for f in check_text(tags, platform="instagram", grammar=False).findings if f.rule == "platform.hashtags")
    assert finding.severity == "error" and "at most 5" in finding.message  # since 19 December 2025
    advice = next(f for f in check_text("#a #b #c", platform="x", grammar=False).findings if f.rule == "platform.hashtags")
    assert advice.severity == "info"  # X advises one or two: advice, not a block


def test_threads_refuses_a_sixth_link_and_bluesky_counts_bytes():
    links = " ".join(f"https://le.ac.uk/{n}" for n in range(6))
    assert "platform.links" in {f.rule for f in check_text(links, platform="threads", grammar=False).findings}
    assert "platform.links" not in {f.rule for f in check_text(links, platform="x", grammar=False).findings}
    family = "👨‍👩‍👧‍👦" * 125  # 125 graphemes, 3,125 bytes
    [length] = [f for f in check_text(family, platform="bluesky", grammar=False).findings if f.rule == "platform.length"]
    assert "bytes" in length.message and length.severity == "error"


# --- review ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Vote Labour on Thursday", "UCU strike dates announced", "The University is being sued", "Campus evacuated after a bomb threat"])
def test_topics_needing_sign_off(text):
    assert "review" in categories_of(text)


def test_profiles_change_severity():
    corporate = check_text("lol see u there", profile="corporate", grammar=False)
    department = check_text("lol see u there", profile="department", grammar=False)
    assert {f.severity for f in corporate.findings if f.rule == "tone.textspeak"} == {"error"}
    assert {f.severity for f in department.findings if f.rule == "tone.textspeak"} == {"warning"}


# --- re-checking an edited draft ------------------------------------------------------

DRAFT = (
    "HUGE NEWS TODAY from Leicester Uni!!! Our chairman will speak. "
    "You are pathetic, says nobody. Email jo.bloggs@gmail.com for tickets!! "
    "We analyzed the color of the program. Join #freshersweek 🎉🎉🎉🎉 now."
)


@settings(max_examples=60, deadline=None)
@given(position=st.integers(0, len(DRAFT)), insert=st.text(alphabet="aZ!. 🎉\n", max_size=3), cut=st.integers(0, 3))
def test_a_re_check_after_an_edit_equals_a_check_from_scratch(position, insert, cut):
    from checker import load_policy
    from checker.text.engine import CompiledChecker, compile_checker

    policy = load_policy()
    remembered = compile_checker(policy, None)
    remembered.run(DRAFT, "x", grammar=False)  # the draft before the edit fills the memo
    edited = DRAFT[:position] + insert + DRAFT[position + cut :]
    from_memo = remembered.run(edited, "x", grammar=False)
    from_scratch = CompiledChecker(policy, remembered.profile, remembered.checks).run(edited, "x", grammar=False)
    assert from_memo.findings == from_scratch.findings


def test_a_hashtag_that_is_one_word_passes_and_lower_case_run_together_tags_are_advice():
    report = check_text("Latest #coronavirus advice for #freshersweek and #MENTALHEALTHAWARENESS", grammar=False)
    by_rule = {(f.rule, f.severity) for f in report.findings}
    assert ("accessibility.hashtag_words", "info") in by_rule
    assert ("accessibility.hashtag_case", "warning") in by_rule
    assert not any(f.start <= 8 < f.end for f in report.findings)  # #coronavirus is one word


def test_shouting_is_counted_over_the_post_not_per_sentence():
    one = check_text("HUGE NEWS, we are RANKED in the TOP 20.", grammar=False)
    three = check_text("HUGE NEWS. We are RANKED. In the TOP 20.", grammar=False)
    assert [f.severity for f in one.findings if f.rule == "tone.shouting"] == ["warning"] * 3
    assert [f.severity for f in three.findings if f.rule == "tone.shouting"] == ["warning"] * 3
