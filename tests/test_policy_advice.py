"""Every finding says what to do: each rule has advice (its own, else its handbook point's text),
and the policy document the extension reads lists it with the handbook's URL."""

from __future__ import annotations

from checker import load_policy
from server import create_app


def test_every_rule_has_advice_its_own_or_its_handbook_points() -> None:
    policy = load_policy()
    for rule in policy.rules.values():
        advice = policy.advice(rule.id)
        assert advice, rule.id
        assert advice == (rule.advice or policy.guidelines[rule.guideline].text)
    assert policy.advice("tone.punctuation") != policy.guidelines["tone"].text  # written for the rule
    assert policy.advice("no.such_rule") == ""


def test_the_policy_document_lists_each_rules_advice_and_handbook_point() -> None:
    client = create_app({"SOCIALCHECK_GRAMMAR": False}).test_client()
    document = client.get("/v1/policy").get_json()
    rules = {rule["id"]: rule for rule in document["rules"]}
    guidelines = {g["id"]: g for g in document["guidelines"]}
    assert set(rules) == set(load_policy().rules)
    assert "“!”" in rules["tone.punctuation"]["advice"]
    assert guidelines[rules["brand.name_forms"]["guideline"]]["url"].startswith("https://")
