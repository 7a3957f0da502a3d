"""The RE2 set that decides which pattern checks run on a sentence finds exactly what running them all finds."""

from __future__ import annotations

import pytest

from checker.policy import load_policy
from checker.text.document import Document
from checker.text.engine import compile_checker
from checker.text.matchers import word_forms
from checker.text.rules import Context

SENTENCES = [
    "Vote Labour at the general election, the best university in the UK!!",
    "We are the world's best, the number one university, second to none?!",
    "Flat 12, Bruce Stream, Leicester LE2 1AB is where she lives at 14 victoria road",
    "Student ID: 12345678 and NI number QQ 12 34 56 C, embargoed until Monday",
    "Unıversity of Leicester students analyzed the game-changing results",  # a dotless i
    "UNİVERSİTY\u00a0OF\u2003leicester, univerſity of leicester and university  of\nLeicester",  # Python's i, s and spaces
    "A lone surrogate \ud800 in a sentence that votes for the Tories",
    "Nothing here but a quiet, ordinary sentence about the library.",
    "Card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, from 192.168.0.1 and fe80::1",
    "Call 07700 900123 or +44 116 252 2522, or jane.smith@gmail.com, or (0116) 252-2522",
    "𝐁𝐨𝐥𝐝 text, ｆｕｌｌｗｉｄｔｈ, f*** this sh!t, ſh!t and b1tch #freshersweek #MENTALHEALTHAWARENESS",
    "The world's best, THE WORLD’S FİNEST and the world's finest-ranked: our number one, number one priority",
    "NI QQ 12 34 56 C, qq123456c, QQ123456İ, ab 12 34 56 d",
    "Party at 7 Elm Close tonight, then 14 Victoria Drİve, 21 Awesome Street Art and 3b, Carlton Upon Hill Mews",
    "Write to a.b@le.ac.uk or @user@mastodon.social; the server is at 10.0.0.1, ::1 or fe80::a:b, at 10:30",
    "!" * 5000,
    "a1 " * 3000,
]


@pytest.fixture(scope="module")
def checker():
    return compile_checker(load_policy())


def test_the_gate_finds_what_running_every_check_finds(checker):
    context = Context(platform=checker.policy.platform("x"), policy=checker.policy)
    for sentence in SENTENCES:
        doc = Document(sentence)
        everything = {c.rule.id: list(c.run(doc, context)) for c in checker.sentence_checks}
        gated = {c.rule.id: [] for c in checker.sentence_checks}
        for index, parts in checker.gate.open_checks(doc):
            check = checker.sentence_checks[index]
            gated[check.rule.id] = list(check.run_parts(doc, context, parts))
        assert gated == everything, sentence


def test_the_gate_skips_pattern_checks_on_a_sentence_none_of_their_patterns_match(checker):
    opened = {checker.sentence_checks[i].rule.id for i, _ in checker.gate.open_checks(Document("A quiet sentence about the library."))}
    assert "review.politics" not in opened and "tone.clickbait" not in opened
    assert "offensive.profanity" not in opened  # no word of the list is in it
    assert "inclusive.other" not in opened  # "the" and "a" start its phrases, but none of the words after them is here
    assert "clarity.sentence_length" in opened  # a check with no gate runs everywhere
    opened = {checker.sentence_checks[i].rule.id for i, _ in checker.gate.open_checks(Document("What the fuuuck, you are pathetic"))}
    assert {"offensive.profanity", "tone.personal_attack"} <= opened
    politics = {checker.sentence_checks[i].rule.id: parts for i, parts in checker.gate.open_checks(Document("Vote Labour on Thursday."))}
    assert politics["review.politics"] == frozenset({0})  # only the pattern that matches is run


def test_a_pattern_on_a_backtracking_engine_is_gated_by_a_looser_one():
    from checker.linear_regex import compile_linear
    from checker.text.gate import backtracking_gate

    pattern = compile_linear(r"\bthe world's (?:best|finest)\b(?! ranked)", ignore_case=True, file="f", rule="r")
    assert pattern.engine == "re"
    assert backtracking_gate(pattern) == "(?i:the world's (?:best|f[iIİı]nest))"
    assert backtracking_gate(compile_linear(r"(a)\1", file="f", rule="r")) is None  # a backreference: RE2 cannot


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

GATE_PIECES = st.sampled_from(["the", "THE", "world", "wORLD", "'s", "’s", "s", " ", "  ", "\t", "best", "fİnest", "fınest", "finest",
                               "number", "one", "ranked", "priority", "-", "QQ", "qq", "ab", "İ", "ı", "12", "34", "5", "C", "d", "\n", "."])


@given(st.lists(GATE_PIECES, max_size=14).map("".join))
@settings(max_examples=1500, deadline=None)
def test_a_looser_gate_matches_wherever_its_pattern_does(text):
    import re2

    from checker.linear_regex import _encodable
    from checker.text.gate import backtracking_gate

    checker = compile_checker(load_policy())
    for check in checker.sentence_checks:
        for pattern in getattr(check, "patterns", []):
            gate = backtracking_gate(pattern)
            if gate is not None and pattern.search(text) is not None:
                assert re2.search(gate, _encodable(text)) is not None, (check.rule.id, pattern.source)


def test_patterns_too_many_for_one_automaton_run_without_a_gate(pack):
    # 40 patterns of 200 alternatives each: more than RE2's memory for one set, so the set has none
    # of them and their rule runs on every sentence, finding what it finds without a gate.
    patterns = ", ".join("'(?:" + "|".join(f"w{i}[a-z]{{1,30}}x{j}" for i in range(200)) + ")'" for j in range(40))
    rules = pack / "policy" / "rules" / "tone.toml"
    rules.write_text(rules.read_text(encoding="utf-8") + f"""
[rules.many_patterns]
kind = "patterns"
severity = "warning"
guideline = "tone"
message = "“{{match}}” is one of many patterns."
patterns = [{patterns}]
examples.flag = ["Say w7abcx3 now"]
examples.pass = ["Say hello now"]
""", encoding="utf-8")
    checker = compile_checker(load_policy(pack))
    index = next(i for i, c in enumerate(checker.sentence_checks) if c.rule.id == "tone.many_patterns")
    assert index in checker.gate.always
    assert [f.rule for f in checker.run("Say w7abcx3 now.", "x", grammar=False).findings if f.rule == "tone.many_patterns"] == ["tone.many_patterns"]


def test_one_pass_over_the_word_forms_opens_the_lists_whose_prefixes_a_word_starts_with(checker):
    """The lists with prefixes ("fuck*") are searched in one RE2 set; it opens what each list's own search opens."""
    assert checker.gate._prefix_set is not None
    for sentence in [*SENTENCES, "fuckwits and shitholes", "Shhh, idiots", "a quiet line", "FUCKİNG hell", ""]:
        doc = Document(sentence)
        one_pass = sorted(checker.gate._prefixed_opened(doc))
        each = sorted(index for index, phrases in checker.gate._prefixed if phrases.has_prefixed_start(doc))
        assert one_pass == each, sentence
    opened = {checker.sentence_checks[i].rule.id for i, _ in checker.gate.open_checks(Document("What fuckwits"))}
    assert "offensive.profanity" in opened


@pytest.mark.parametrize(
    "text",
    ["Our graduates celebrate today", "The chairman's speech", "Sooo proud of the teeeam", "Vice-Chancellor’s award", "soooo", ""],
)
def test_a_sentences_word_forms_are_every_form_of_every_word(text):
    """word_forms skips _forms when no word is possessive or stretched: the set is the same either way."""
    from checker.text.matchers import _forms

    doc = Document(text)
    forms, lines = word_forms(doc)
    assert forms == frozenset(form for token in doc.tokens for form in _forms(token.lower))
    assert sorted(lines.split("\n")) == sorted(forms) if forms else lines == ""
