"""Issue 15: a property test that searches every pattern, the policy's and the code's, for texts that
make it slow.

Hypothesis builds texts from the pattern's own characters (the ones that make a backtracking
engine try again), repeated to 30,000 characters, and steers towards the slowest it finds
(`target`). A linear-time search of 30,000 characters takes a few milliseconds of CPU; the bound
here is a full second, so only a search whose time grows with the square of the text (or faster)
can break it: at this length that is hundreds of millions of steps.
"""

from __future__ import annotations

import re
import string
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from checker import load_policy
from checker.grammar import social
from checker.text import analysis, document, matchers
from checker.text.engine import compile_checker
from checker.linear_regex import LinearPattern
from checker.text.rules import FancyText, Masked

LENGTH = 30_000
CPU_SECONDS = 1.0


def _policy_patterns() -> dict[str, tuple[str, Callable[[str], object]]]:
    policy = load_policy()
    found: dict[str, tuple[str, Callable[[str], object]]] = {}
    for profile in policy.profiles:
        for check in compile_checker(policy, profile).checks:
            # Whatever the kind, every pattern it compiled from the policy (`patterns`, `personal`...).
            for attribute, value in vars(check).items():
                patterns = value if isinstance(value, (list, tuple)) else [value]
                for number, pattern in enumerate(p for p in patterns if isinstance(p, LinearPattern)):
                    found[f"{check.rule.id}.{attribute}#{number}"] = (pattern.source, lambda text, p=pattern: list(p.finditer(text)))
    from checker.image.identity import visual_identity

    identity = visual_identity(policy)
    for platform, spec in identity.platforms.items():
        if spec.handle_regex is not None:
            found[f"handle_pattern.{platform}"] = (spec.handle_pattern or "", lambda text, p=spec.handle_regex: p.fullmatch(text))
    for profile, naming in identity.naming.items():
        for number, pattern in enumerate(naming.display_name_patterns + naming.handle_patterns):
            found[f"naming.{profile}#{number}"] = (pattern.source, lambda text, p=pattern: p.fullmatch(text))
    return found


def _code_patterns() -> dict[str, tuple[str, Callable[[str], object]]]:
    compiled: dict[str, re.Pattern[str]] = {
        "document.URL": document.URL,
        "document.EMAIL": document.EMAIL,
        "document.MENTION": document.MENTION,
        "document.HASHTAG": document.HASHTAG,
        "document.CAMEL_PART": document.CAMEL_PART,
        "document.WORD": document.WORD,
        "document.EMOJI_CANDIDATES": document.EMOJI_CANDIDATES,
        "document.SENTENCE_END": document.SENTENCE_END,
        "rules.Masked.TOKEN": Masked.TOKEN,
        "rules.FancyText.FANCY": FancyText.FANCY,
        "matchers.JOINERS": matchers.JOINERS,
        "matchers.ELONGATED": matchers.ELONGATED,
        "analysis.X_HEAVY": analysis._X_HEAVY,
        "grammar.social.SOCIAL_TOKEN": social.SOCIAL_TOKEN,
    }
    return {name: (pattern.pattern, lambda text, p=pattern: list(p.finditer(text))) for name, pattern in compiled.items()}


PATTERNS = {**_policy_patterns(), **_code_patterns()}


def _alphabet(source: str) -> str:
    """The characters a pattern names, and the few that end a run where it hoped for more."""
    named = {ch for ch in source if ch.isprintable() and ch not in "\\()[]{}?*+|^$"}
    extra = set(" \n.,!?@#_-'*1aA0é😀" + string.ascii_lowercase[:6])
    return "".join(sorted(named | extra))


# Runs that backtracking patterns are known to choke on, tried first for every pattern.
CLASSIC_UNITS = ["a.", "a-", "a ", "a_", "1", "1 ", "a@", "a@b.", "#a ", "!? ", " ", "aa", "a1", ".a", "-a", "a.-", "\n"]


def _classic_examples(test):
    from hypothesis import example

    for unit in CLASSIC_UNITS:
        for tail in ("", "_", "!"):
            test = example(unit=unit, head="", tail=tail)(test)
    return test


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_text_makes_a_pattern_slow(name):
    source, search = PATTERNS[name]
    alphabet = _alphabet(source)

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @_classic_examples
    @given(
        unit=st.text(alphabet=alphabet, min_size=1, max_size=8),
        head=st.text(alphabet=alphabet, max_size=12),
        tail=st.text(alphabet=alphabet, max_size=4),
    )
    def search_is_quick(unit: str, head: str, tail: str) -> None:
        text = (head + unit * (LENGTH // len(unit)))[: LENGTH - len(tail)] + tail
        started = time.thread_time()
        search(text)
        spent = time.thread_time() - started
        target(spent, label="cpu seconds")
        assert spent < CPU_SECONDS, f"{name}: {spent:.2f} s of CPU on {text[:60]!r}..."

    search_is_quick()


def test_the_search_would_catch_a_backtracking_pattern():
    # The masked-word token as it was: this test's own method finds it slow.
    before = re.compile(r"(?<![\w*@#$!])[a-z][a-z*!@#$%1310]*[*!@#$%1310][a-z*!@#$%1310]*(?![\w*@#$])", re.I)
    text = "a" + "1" * (LENGTH - 2) + "_"
    started = time.thread_time()
    before.search(text)
    assert time.thread_time() - started > CPU_SECONDS
