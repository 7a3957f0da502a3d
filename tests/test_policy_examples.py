"""Every rule's own examples, from the policy files: adding a rule with examples adds its tests."""

from __future__ import annotations

import pytest

from checker import load_policy
from checker.grammar import decision_example_holds, read_config
from checker.text.engine import check_example

POLICY = load_policy()
CASES = [
    pytest.param(rule, example, expected, id=f"{rule.id}-{'flag' if expected else 'pass'}-{n}")
    for rule in POLICY.rules.values()
    for expected, examples in ((True, rule.flag_examples), (False, rule.pass_examples))
    for n, example in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "example", "expected"), CASES)
def test_rule_example(rule, example, expected):
    assert check_example(POLICY, rule, example) is expected, f"{rule.file}: {rule.id} on {example.text!r}"


def test_every_rule_has_examples_of_both_kinds():
    for rule in POLICY.rules.values():
        assert rule.flag_examples and rule.pass_examples, rule.id


def test_every_category_but_grammar_has_rules():
    from checker.findings import TEXT_CATEGORIES

    covered = {rule.category for rule in POLICY.rules.values()}
    assert covered == set(TEXT_CATEGORIES) - {"grammar", "spelling"}


# --- policy/grammar.toml: what each engine rule is worth, with its own examples ---------------

GRAMMAR_DECISIONS = read_config(POLICY).decisions.all
GRAMMAR_CASES = [
    pytest.param(decision, text, flagged, id=f"grammar.{decision.name}-{'flag' if flagged else 'pass'}-{n}")
    for decision in GRAMMAR_DECISIONS
    for flagged, texts in ((True, decision.flag_examples), (False, decision.pass_examples))
    for n, text in enumerate(texts)
]


@pytest.fixture
def harper_only(monkeypatch):
    """Harper alone, whatever the developer's environment says (the variables checker.grammar reads)."""
    from checker.grammar import ENV_KEYS

    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("SOCIALCHECK_GRAMMAR", "harper")


@pytest.mark.parametrize(("decision", "text", "flagged"), GRAMMAR_CASES)
def test_grammar_decision_example(harper_only, decision, text, flagged):
    should = f"be reported at {decision.severity}" if flagged else "not be blocked"
    assert decision_example_holds(POLICY, decision, text, flagged=flagged), (
        f"policy/grammar.toml: [decisions.{decision.name}] on {text!r} should {should}"
    )


def test_the_pack_decides_the_engine_rules_that_fire_most_on_real_posts():
    decided = {rule for decision in GRAMMAR_DECISIONS for rule in decision.rules}
    for rule in ("harper.SpellCheck", "harper.Spaces", "harper.UseEllipsisCharacter", "harper.NumericRangeEnDash",
                 "harper.DisjointPrefixes", "harper.SentenceCapitalization", "harper.ExpandWith"):
        assert rule in decided, rule
