"""Term lists: word forms, hyphens and spaces as the list writes them, and context for words with a second sense."""

from __future__ import annotations

from typing import Any

import pytest

from checker import check_text
from checker.errors import PolicyError
from checker.policy import Rule, load_policy
from checker.text.document import Document
from checker.text.rules import Context, Terms
from checker.text.wordforms import word_forms

POLICY = load_policy()


def terms_rule(**options: Any) -> Terms:
    rule = Rule(
        id="test.terms", category="inclusive", kind="terms", severity="warning", message="“{match}” → “{suggestion}”",
        guideline="open", options=options, flag_examples=(), pass_examples=(), file="test.toml",
    )
    return Terms(rule, POLICY)


def found(check: Terms, text: str) -> list[tuple[str, tuple[str, ...]]]:
    context = Context(platform=POLICY.platform("x"), policy=POLICY)
    return [(text[f.start : f.end], f.suggestions) for f in check.run(Document(text), context)]


def findings(text: str, rule_prefix: str) -> list[tuple[str, str, tuple[str, ...]]]:
    report = check_text(text, grammar=False)
    return [(f.rule, text[f.start : f.end], f.suggestions) for f in report.findings if f.rule.startswith(rule_prefix)]


# --- word forms --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match", "suggestion"),
    [
        ("Our chairmen met today.", "chairmen", "chairs"),
        ("The Chairman's report is out.", "Chairman", "Chair"),  # the "'s" stays outside the span, so it is kept
        ("Meet the craftsmen behind the gallery.", "craftsmen", "craftspeople"),
        ("Housewives in the 1950s", "Housewives", "Homemakers"),
        ("Fishermen on the Wash", "Fishermen", "Fishers"),
        ("The clergymen of Leicester", "clergymen", "members of the clergy"),
        ("They were blacklisting suppliers.", "blacklisting", "blocklisting"),
        ("The council turned a blind eye.", "turned a blind eye", "ignored"),
        ("OUR CHAIRMEN MET TODAY", "CHAIRMEN", "CHAIRS"),
    ],
)
def test_a_term_matches_its_word_forms_and_the_suggestion_takes_the_same_form(text, match, suggestion):
    hits = [(m, s) for _, m, s in findings(text, "inclusive.")]
    assert (match, suggestion) == (hits[0][0], hits[0][1][0])


def test_forms_come_from_the_lexicon_only_where_every_suggestion_has_them():
    forms = dict(word_forms("chairman", ("chair",)))
    assert forms == {"chairmen": ("chairs",)}
    # "lame" has verb forms, but "disappointing" has no past tense: "lamed" is not made.
    assert "lamed" not in dict(word_forms("lame", ("disappointing", "dull")))
    # A word without a suggestion gets its plural, never a verb form ("creep" is not "crept").
    assert set(dict(word_forms("creep", ()))) == {"creeps"}
    assert list(word_forms("fuck*", ())) == [] and list(word_forms("Open-Day", ("open day",))) == []


def test_a_form_the_list_gives_keeps_the_lists_suggestion():
    check = terms_rule(terms={"addict": "person with an addiction", "addicts": "people with addictions"})
    assert found(check, "Support for addicts") == [("addicts", ("people with addictions",))]


def test_word_forms_are_an_option_a_rule_can_turn_off():
    assert found(terms_rule(terms={"chairman": "chair"}), "two chairmen") == [("chairmen", ("chairs",))]
    assert found(terms_rule(terms={"chairman": "chair"}, word_forms=False), "two chairmen") == []


# --- hyphens and spaces --------------------------------------------------------------------


def test_hyphen_and_space_stand_for_each_other_only_where_the_rule_says_so():
    strict = terms_rule(terms={"Open-Day": "open day"})
    assert found(strict, "Doors Open Day on 12 September") == []
    assert found(strict, "Come to our Open-Day") == [("Open-Day", ("Open day",))]
    loose = terms_rule(terms={"wheelchair-bound": "wheelchair user"}, hyphen_or_space=True)
    assert found(loose, "wheelchair bound students") == [("wheelchair bound", ("wheelchair user",))]
    assert found(loose, "wheelchair‑bound students") == [("wheelchair‑bound", ("wheelchair user",))]


def test_the_house_terms_leave_open_day_alone():
    assert findings("Bristol Doors Open Day - 12th Sept!", "brand.house_terms") == []
    assert findings("Book your place at our open-day", "brand.house_terms")[0][1] == "open-day"


def test_a_slash_in_a_term_is_a_slash():
    check = terms_rule(terms={"he/she": "they"})
    assert found(check, "he/she should apply") == [("he/she", ("they",))]
    assert found(check, "he / she should apply") == [("he / she", ("they",))]
    assert found(check, "he she") == []


# --- context ---------------------------------------------------------------------------------


def test_not_in_clears_a_term_in_a_second_sense():
    check = terms_rule(words=["trash"], context={"trash": {"not_in": ["{term} talk*", "{term} bag*", "take out the {term}"]}})
    assert found(check, "You are trash") == [("trash", ())]
    assert found(check, "We're talking trash-talk before the derby") == []
    assert found(check, "Bring a trash bag to the beach clean") == []
    assert found(check, "Please take out the trash") == []


def test_only_in_counts_a_term_only_in_its_context():
    check = terms_rule(words=["clown"], context={"clown": {"only_in": ["you {term}", "what a {term}", "such a {term}"]}})
    assert found(check, "Meet Mattie the clown at the museum") == []
    assert found(check, "What a clown.") == [("clown", ())]
    assert found(check, "What a. Clown") == []  # the context does not reach across a sentence


def test_word_classes_in_context_phrases():
    check = terms_rule(words=["bloody"], context={"bloody": {"not_in": ["{term} {positive}"]}})
    assert found(check, "What a bloody brilliant result") == []
    assert found(check, "The printers are bloody useless") == [("bloody", ())]


def test_context_applies_to_every_form_of_the_term():
    check = terms_rule(terms={"chairman": "chair"}, context={"chairman": {"not_in": ["{term} mao"]}})
    assert found(check, "Chairman Mao's China") == []
    assert found(check, "the chairmen of the board") == [("chairmen", ("chairs",))]


@pytest.mark.parametrize(
    ("context", "problem"),
    [
        ({"nope": {"not_in": ["{term} talk"]}}, "does not list"),
        ({"trash": {"not_in": ["trash talk"]}}, "exactly once"),
        ({"trash": {"not_in": ["{term}"]}}, "no words around"),
        ({"trash": {"sometimes": ["{term} talk"]}}, "only_in"),
        ({"trash": {"not_in": "{term} talk"}}, "lists of strings"),
    ],
)
def test_a_context_that_is_not_of_the_form_is_a_policy_error(context, problem):
    with pytest.raises(PolicyError, match=problem):
        terms_rule(words=["trash"], context=context)


def test_context_checks_stay_linear_on_long_text():
    check = terms_rule(words=["trash"], context={"trash": {"only_in": ["you {any} {any} {term}", "what a {term}"]}})
    text = "trash " * 20_000
    assert found(check, text) == []


def test_one_context_names_several_terms_and_a_term_in_two_keeps_both():
    check = terms_rule(
        words=["loser", "losers", "clown"],
        context={"loser|losers|clown": {"only_in": ["are {term}", "what a {term}"]}, "losers": {"not_in": ["winners and {term}"]}},
    )
    assert found(check, "They are losers") == [("losers", ())]
    assert found(check, "What a clown") == [("clown", ())]
    assert found(check, "We are winners and losers") == []
    assert found(check, "the winners and losers of the budget") == []


def test_a_word_stretched_in_two_places_still_matches():
    assert [rule for rule, _, _ in findings("Fuuckkkk youuuuu", "offensive.")] == ["offensive.profanity"]
    assert findings("A looong day at the booook fair", "offensive.") == []


def test_a_phrase_without_a_suggestion_is_matched_as_written():
    # Nothing says which word of "do not share" takes a plural; "data breach" lists its plural itself if it wants it.
    assert list(word_forms("do not share", ())) == []
    assert dict(word_forms("tribunal", ())) == {"tribunals": ()}


def test_word_forms_of_a_phrase_need_a_suggestion_that_takes_the_form():
    # "the blind" is about people: "the blinds" at the window is not one of its forms.
    assert "the blinds" not in dict(word_forms("the blind", ("blind people",)))
    # "falls on deaf ears" -> "was ignored" is already inflected: no "felled on deaf ears" -> "wassed ignored".
    assert list(word_forms("fell on deaf ears", ("was ignored",))) == []
    assert dict(word_forms("maiden name", ("family name",))) == {"maiden names": ("family names",)}


def test_the_lexicon_is_let_go_once_a_policy_is_compiled_and_comes_back_when_needed():
    from lemminflect.core.Inflections import Inflections

    from checker.policy import DEFAULT_PACK, read_policy
    from checker.text.engine import compile_checker

    compile_checker(read_policy(DEFAULT_PACK))
    instance = type(Inflections)._instances.get(Inflections)
    assert instance is not None and not hasattr(instance, "infl_dict")
    # A term never seen before still gets its forms: lemminflect loads its lexicon again.
    assert dict(word_forms("locksmith", ("key cutter",))) == {"locksmiths": ("key cutters",)}
