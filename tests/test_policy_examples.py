"""Every rule's own examples, from the policy files: adding a rule with examples adds its tests."""

from __future__ import annotations

import pytest

from checker import load_policy
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
