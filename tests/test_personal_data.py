"""Personal data: the identity's own numbers and role mailboxes, the libraries' formats, and recall
on labelled cases (tests/data/personal_data_cases.jsonl, written by scripts/make_personal_data_cases.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker import check_text, load_policy
from checker.text.document import Document

POLICY = load_policy()
PRIVACY = POLICY.identity["privacy"]
CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "personal_data_cases.jsonl").read_text(encoding="utf-8").splitlines()]


def privacy_findings(text: str, platform: str = "generic"):
    return [f for f in check_text(text, platform=platform, grammar=False).findings if f.category == "privacy"]


def blocks(text: str) -> bool:
    return any(f.severity in ("error", "warning") for f in privacy_findings(text))


IDENTITY_EXAMPLES = [
    pytest.param(text, expected, id=f"{where}-{'flag' if expected else 'pass'}-{n}")
    for where, entry in [*((f"phone_range-{i}", e) for i, e in enumerate(PRIVACY["phone_ranges"])), ("role_mailboxes", PRIVACY["role_mailboxes"])]
    for expected, texts in ((True, entry.get("examples", {}).get("flag", [])), (False, entry.get("examples", {}).get("pass", [])))
    for n, text in enumerate(texts)
]


@pytest.mark.parametrize(("text", "expected"), IDENTITY_EXAMPLES)
def test_identity_privacy_examples(text, expected):
    """identity.toml's [privacy] examples: `pass` gives no privacy finding at all, `flag` at least one
    (a number just outside the ranges may be only a note)."""
    if expected:
        assert privacy_findings(text), text
    else:
        assert privacy_findings(text) == [], text


def test_every_identity_privacy_entry_has_pass_examples():
    for entry in [*PRIVACY["phone_ranges"], PRIVACY["role_mailboxes"]]:
        assert entry["examples"]["pass"], entry


@pytest.mark.parametrize("kind", sorted({c["kind"] for c in CASES} - {"none"}))
def test_recall_on_labelled_cases(kind):
    """Personal data is caught (error or warning). Landlines with no sign that they are someone's own
    are only a note, so the international figure is lower by design."""
    cases = [c for c in CASES if c["kind"] == kind]
    caught = sum(blocks(c["text"]) for c in cases)
    floor = {"phone_international": 0.7}.get(kind, 0.9)
    assert caught / len(cases) >= floor, f"{kind}: {caught}/{len(cases)}"


@pytest.mark.parametrize("text", [c["text"] for c in CASES if not c["personal"]])
def test_figures_that_are_not_personal_data(text):
    """Dates, times, ISBNs, DOIs, prices, rooms, statistics and the organisation's own contacts."""
    assert not blocks(text), [(f.rule, text[f.start : f.end]) for f in privacy_findings(text)]


def test_the_organisations_ranges_are_allowed_and_neighbouring_numbers_are_not():
    assert privacy_findings("the Student Wellbeing Service on 0116 223 1268") == []
    assert privacy_findings("Call +44 116 252 2522") == []
    landline = privacy_findings("Call 0116 253 2522 for tickets")
    assert [(f.rule, f.severity) for f in landline] == [("privacy.phone_landline", "info")]


def test_a_mobile_is_an_error_in_any_country():
    for text in ("Message Chloe on 07400 123456", "Ring +33 6 12 34 56 78", "Text 0490 75 40 81", "Call +49 151 23456789"):
        assert [(f.rule, f.severity) for f in privacy_findings(text)] == [("privacy.phone", "error")], text


def test_a_british_number_that_was_never_assigned_is_not_read_as_another_country():
    """07700 900456 (Ofcom's drama range) is valid in India as a mobile; in a British post it is British."""
    (finding,) = privacy_findings("Message Chloe on 07700 900456 to sign up.")
    assert finding.rule == "privacy.phone_unclear"


def test_role_mailboxes_on_any_domain_pass_and_personal_ones_do_not():
    for address in ("study@murdoch.edu.au", "degreestudies@lu.se", "info@example.org", "events@le.ac.uk", "press@ox.ac.uk", "bmga.digital@bristol.gov.uk"):
        assert privacy_findings(f"Email {address} today") == [], address
    (private,) = privacy_findings("Email jane.smith@gmail.com today")
    assert (private.rule, private.severity) == ("privacy.email", "error")
    (named,) = privacy_findings("Email jane.smith@le.ac.uk today")
    assert (named.rule, named.severity) == ("privacy.named_email", "warning")
    assert "shared mailbox on le.ac.uk" in named.message


def test_a_mastodon_remote_mention_is_a_mention_counted_by_its_user_part():
    text = "Thanks @LeicesterUni@mastodon.ac.uk!"
    assert [(s.kind, text[s.start : s.end]) for s in Document(text).special] == [("mention", "@LeicesterUni@mastodon.ac.uk")]
    assert privacy_findings(text) == []
    report = check_text("@LeicesterUni@mastodon.ac.uk " + "a" * 486, platform="mastodon", grammar=False)
    assert report.stats["length"] == len("@LeicesterUni ") + 486 == 500
    assert not [f for f in report.findings if f.rule == "platform.length"]
    # A real address beside it is still an address.
    assert [s.kind for s in Document("jo@le.ac.uk and @jo@mastodon.social").special] == ["email", "mention"]


def test_check_digits_decide_not_the_shape():
    assert blocks("Pay with 4111 1111 1111 1111")
    assert not blocks("Pay with 4111 1111 1111 1112")
    assert blocks("IBAN GB82 WEST 1234 5698 7654 32")
    assert not blocks("IBAN GB82 WEST 1234 5698 7654 33")
    assert blocks("Patient 943 476 5919")
    assert not blocks("Patient 943 476 5918 visitors") or any(f.rule != "privacy.nhs_number" for f in privacy_findings("Patient 943 476 5918 visitors"))


def test_addresses_in_any_case_with_or_without_a_postcode():
    for text in ("Flat 12, Bruce Stream", "FLAT 12, Bruce Stream", "flat 3, Carlton House", "She lives at 42 Marsh Lane", "14 Victoria Road, Leicester LE2 1AB"):
        assert [f.rule for f in privacy_findings(text) if f.rule == "privacy.address"], text
    for text in ("21 Awesome Street Art Pieces From Tartu", "the 2020 Federation University Road National Championships"):
        assert not [f for f in privacy_findings(text) if f.rule == "privacy.address"], text


@pytest.mark.parametrize(
    "text",
    [
        "1" * 5000,
        "0" + " 0" * 5000,
        "+" * 3000 + "4" * 3000,
        "Flat " + "1" * 3000 + ", " + "Aa " * 3000,
        "1 " + "Aa " * 5000 + "road",
        ":" * 5000 + "a" * 5000,
        "GB82" + " A" * 5000,
        "1.1.1." * 2000,
    ],
    ids=["digits", "spaced-zeros", "plus-digits", "flat-names", "street-names", "colons", "iban-groups", "dots"],
)
def test_pathological_input_finishes_with_an_answer(text):
    """Candidate patterns have bounded repetition and no nested quantifiers: long odd input ends
    (its speed is measured in bench/, not here)."""
    report = check_text(text, grammar=False)
    assert isinstance(report.findings, tuple | list)


def _unbounded_repeats_holding_repeats(tree) -> list[str]:
    """Nested quantifiers that can backtrack without bound: an unbounded repeat holding another repeat."""
    import re._constants as constants  # the parser's own names (MAX_REPEAT, SUBPATTERN...)

    found = []

    def holds_repeat(items) -> bool:
        return any(op in (constants.MAX_REPEAT, constants.MIN_REPEAT) or any(holds_repeat(part) for part in _children(op, av)) for op, av in items)

    def walk(items) -> None:
        for op, av in items:
            if op in (constants.MAX_REPEAT, constants.MIN_REPEAT) and av[1] == constants.MAXREPEAT and holds_repeat(av[2]):
                found.append(str(op))
            for part in _children(op, av):
                walk(part)

    walk(tree)
    return found


def _children(op, av):
    import re._constants as constants

    if op in (constants.MAX_REPEAT, constants.MIN_REPEAT):
        return [av[2]]
    if op == constants.SUBPATTERN:
        return [av[3]]
    if op == constants.BRANCH:
        return list(av[1])
    if op in (constants.ASSERT, constants.ASSERT_NOT):
        return [av[1]]
    return []


def test_personal_data_patterns_have_no_unbounded_nested_quantifiers():
    """Every candidate pattern runs in linear time on Python's engine without help from a safe engine."""
    import re._parser as parser

    from checker.text import personal_data
    from checker.text.engine import compile_checker

    patterns = [value for value in vars(personal_data).values() if isinstance(value, type(personal_data._DIGIT))]
    for check in compile_checker(POLICY).checks:
        if check.rule.category == "privacy":
            patterns += [p for p in getattr(check, "patterns", []) if hasattr(p, "pattern")]
    assert len(patterns) > 8
    for pattern in patterns:
        assert _unbounded_repeats_holding_repeats(parser.parse(pattern.pattern, pattern.flags).data) == [], pattern.pattern


def test_an_empty_personal_context_word_is_a_policy_error_naming_the_table(pack):
    from checker.errors import PolicyError
    from checker.text.engine import compile_checker

    identity = pack / "identity.toml"
    identity.write_text(identity.read_text(encoding="utf-8").replace("personal_context_words = [", 'personal_context_words = ["", ', 1), encoding="utf-8")
    with pytest.raises(PolicyError, match="personal_context_words"):
        compile_checker(load_policy(pack))


def test_many_addresses_in_one_sentence_are_checked_in_linear_time():
    # Each address found is compared with those kept before it (overlaps are dropped); a walk
    # over all of them made 100,000 characters of "12 Abbey Road" take 0.9 s, and four times
    # the text sixteen times as long. The ratio only catches the square.
    import time

    def seconds(addresses: int, run: int) -> float:
        text = " ".join(f"{(n + run) % 900 + 1} Abbey Road" for n in range(addresses))  # new to the memo
        start = time.process_time()
        report = check_text(text, platform="x", grammar=False)
        assert any(f.rule == "privacy.address" for f in report.findings)
        return time.process_time() - start

    small = min(seconds(1_600, run) for run in range(3))
    large = min(seconds(6_400, run) for run in range(3, 6))
    assert large < 10 * small, (small, large)
