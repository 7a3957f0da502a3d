"""Helpers for the grammar tests: a real Policy built from the bundled pack's folder.

The grammar layer needs only the pack's root (for policy/dictionary.txt), the
organisation and the guidelines, so the tests build that Policy directly and do
not depend on every rule file of the pack being finished.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from checker.policy import DEFAULT_PACK, Guideline, Organisation, Policy

QUALITY = "Spelling and grammar"


def make_policy(grammar: Mapping[str, Any] | None = None, root: Any = DEFAULT_PACK) -> Policy:
    return Policy(
        name="grammar tests",
        root=root,
        organisation=Organisation("University of Leicester", ("Leicester", "the University"), ("le.ac.uk",)),
        default_profile="base",
        guidelines=MappingProxyType({"quality": Guideline("quality", QUALITY, "Check before posting.")}),
        profiles=MappingProxyType({}),
        platforms=MappingProxyType({}),
        rules=MappingProxyType({}),
        grammar=MappingProxyType(dict(grammar or {})),
    )
