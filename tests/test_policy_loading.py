"""A policy pack with a mistake fails with the file, the rule and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import PolicyError, load_policy


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


GOOD_RULE = '''
[rules.{name}]
kind = "{kind}"
severity = "{severity}"
guideline = "{guideline}"
message = "Bad: {{match}}"
{extra}
examples.flag = ["a bad word here"]
examples.pass = ["all fine"]
'''


def rule(name="extra", kind="terms", severity="warning", guideline="tone", extra='words = ["bad"]'):
    return GOOD_RULE.format(name=name, kind=kind, severity=severity, guideline=guideline, extra=extra)


def test_the_bundled_pack_loads():
    policy = load_policy()
    assert policy.organisation.name == "University of Leicester"
    assert {"base", "corporate", "department"} <= set(policy.profiles)
    assert {"x", "facebook", "linkedin", "instagram", "threads", "bluesky", "mastodon", "generic"} <= set(policy.platforms)


def test_a_copied_pack_with_an_extra_rule_loads(pack):
    _append(pack / "policy/rules/tone.toml", rule())
    policy = load_policy(pack)
    assert "tone.extra" in policy.rules


@pytest.mark.parametrize(
    ("extra_rule", "problem"),
    [
        (rule(kind="nonsense"), "unknown kind 'nonsense'"),
        (rule(severity="fatal"), "severity must be one of error, warning, info"),
        (rule(guideline="nowhere"), "guideline 'nowhere' is not defined"),
        (rule(extra='words = ["bad"]\ncolour = "red"'), "unknown option(s) ['colour']"),
        (rule(kind="patterns", extra="patterns = ['(unclosed']"), "not a valid regular expression"),
        (rule(kind="terms", extra=""), "needs a non-empty 'terms' table or 'words' list"),
        (rule(kind="sentence_length", extra='max_words = "forty"'), "option 'max_words' has the wrong type"),
        (rule().replace('examples.pass = ["all fine"]', ""), "needs examples.flag and examples.pass"),
    ],
)
def test_a_broken_rule_names_file_rule_and_problem(pack, extra_rule, problem):
    _append(pack / "policy/rules/tone.toml", extra_rule)
    with pytest.raises(PolicyError) as raised:
        load_policy(pack)
    message = str(raised.value)
    assert "tone.toml" in message
    assert "tone.extra" in message
    assert problem in message


def test_invalid_toml_names_the_file_and_line(pack):
    _append(pack / "policy/rules/review.toml", "[rules.oops\nkind = ")
    with pytest.raises(PolicyError, match=r"review\.toml: not valid TOML: .*line"):
        load_policy(pack)


def test_a_rule_file_must_be_named_after_a_category(pack):
    (pack / "policy/rules/misc.toml").write_text(rule(), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"misc\.toml: file name must be a category"):
        load_policy(pack)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (('[profiles.department]\nextends = "base"', '[profiles.department]\nextends = "nobody"'), "extends unknown profile 'nobody'"),
        (('"tone.hype" = "info"', '"tone.nothing" = "info"'), "sets the severity of a rule that does not exist"),
        (('default_profile = "corporate"', 'default_profile = "ceo"'), "default_profile 'ceo' is not a profile"),
        (('limit = 280', 'limit = "280"'), "field 'limit' must be int"),
        (('counting = "x"', 'counting = "words"'), "counting must be one of"),
    ],
)
def test_a_broken_pack_file_says_what_is_wrong(pack, edit, problem):
    path = pack / "policy/pack.toml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(PolicyError) as raised:
        load_policy(pack)
    assert "pack.toml" in str(raised.value)
    assert problem in str(raised.value)


def test_a_missing_pack_says_which_file(tmp_path):
    with pytest.raises(PolicyError, match="identity.toml: file not found"):
        load_policy(tmp_path)


def test_profiles_extend_a_base_and_change_severity():
    policy = load_policy()
    corporate = {r.id: r.severity for r in policy.active_rules("corporate")}
    department = {r.id: r.severity for r in policy.active_rules("department")}
    assert corporate["tone.textspeak"] == "error"
    assert department["tone.textspeak"] == "warning"
    assert department["tone.hype"] == "info"
    assert set(corporate) == set(department) == set(policy.rules)


def test_a_profile_can_disable_a_category(pack):
    _append(pack / "policy/pack.toml", '[profiles.quiet]\nextends = "base"\ndisable = ["clarity", "tone.hype"]')
    policy = load_policy(pack)
    active = {r.id for r in policy.active_rules("quiet")}
    assert not any(rule_id.startswith("clarity.") for rule_id in active)
    assert "tone.hype" not in active and "tone.shouting" in active
