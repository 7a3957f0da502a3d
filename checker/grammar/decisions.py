"""What each grammar-engine rule is worth on a social post: the pack's `policy/grammar.toml`.

Harper runs over 900 rules and LanguageTool thousands; most are prose style
("..." for "…", an en dash in 9am-4pm) that no communications officer would
change before posting. The pack decides, rule by rule:

    [defaults]
    severity = "info"                      # a rule not decided below

    [decisions.spelling]
    rules = ["harper.SpellCheck"]
    severity = "warning"                   # error, warning, info, or off (not run at all)
    names = "info"                         # when the words look like a proper name
    typo = { commoner_by = 20, max_edits = 2 }   # see below
    why = "A misspelt word reflects on the University."
    examples.flag = ["We recieve applications all year."]
    examples.pass = ["Meet Kianne, our new Hartley Fellow."]

`names`: a capitalised word no dictionary knows is a name (Kianne, Flinders),
wherever it stands in the sentence. `typo`: a word the engine does not know
blocks only when one of its suggestions, at most `max_edits` edits away, is
used `commoner_by` times as often in English web text (checker.grammar.wordfreq):
"recieve" and "Britian" are typos, "immunotherapy" and "telehealth" are words
Harper lacks. The examples are checked by the suite like every rule's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.errors import PolicyError
from checker.findings import SEVERITIES

DECISIONS_FILE = Path("policy") / "grammar.toml"
LEVELS = (*SEVERITIES, "off")
_KEYS = {"rules", "severity", "names", "typo", "typo_capitalised", "why", "examples"}
_TYPO_KEYS = {"commoner_by", "max_edits", "min_letters", "variant_count"}
_TYPO_SWITCHES = {"swaps_only", "dictionary"}


@dataclass(frozen=True, slots=True)
class Typo:
    """A word is a typo when a suggestion `max_edits` away is used `commoner_by` times as often."""

    commoner_by: float
    max_edits: int
    min_letters: int
    variant_count: float  # a word and its suggestion both this common: a dialect's spelling (behavior)
    swaps_only: bool = False  # only two neighbouring letters swapped counts (Britian for Britain)
    dictionary: bool = False  # a word an English dictionary holds is no typo (grub, soya), unless it lacks an apostrophe (wont)
    variant_edits: int | None = None  # at most this many edits between two dialects' spellings (max_edits if None)


@dataclass(frozen=True, slots=True)
class Decision:
    """How findings of some engine rules are reported."""

    name: str
    rules: tuple[str, ...]
    severity: str  # a Severity, or "off"
    names: str | None = None  # the severity when the words look like a proper name
    typo: Typo | None = None
    typo_capitalised: Typo | None = None  # the stricter test for a capitalised word
    why: str = ""
    flag_examples: tuple[str, ...] = ()
    pass_examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Decisions:
    """Every decision of a pack, and the severity of rules it does not decide."""

    default: str = "info"
    by_rule: tuple[tuple[str, Decision], ...] = ()
    file: str = ""
    # by_rule as a dict, made once: `of` runs for every engine match.
    _index: Mapping[str, Decision] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", dict(self.by_rule))

    def of(self, rule: str) -> Decision | None:
        """The decision for 'harper.SpellCheck' or 'languagetool.MORFOLOGIK_RULE_EN_GB', if any."""
        return self._index.get(rule)

    def off(self, engine: str) -> frozenset[str]:
        """The rules of one engine that are not run."""
        prefix = f"{engine}."
        return frozenset(r.removeprefix(prefix) for r, d in self.by_rule if r.startswith(prefix) and d.severity == "off")

    @property
    def all(self) -> tuple[Decision, ...]:
        seen: dict[str, Decision] = {}
        for _, decision in self.by_rule:
            seen.setdefault(decision.name, decision)
        return tuple(seen.values())


def read_decisions(root: Path | None, table: Mapping[str, Any] | None) -> Decisions:
    """Validate the pack's grammar.toml (already read as `table`), naming the decision at fault."""
    if table is None:
        return Decisions()
    file = str(Path(root or ".") / DECISIONS_FILE)

    def fail(name: str | None, problem: str) -> PolicyError:
        return PolicyError(file, f"grammar.{name}" if name else "grammar", problem)

    unknown = set(table) - {"defaults", "decisions"}
    if unknown:
        raise fail(None, f"unexpected top-level keys {sorted(unknown)}; use [defaults] and [decisions.NAME]")
    defaults = table.get("defaults", {})
    if not isinstance(defaults, Mapping) or set(defaults) - {"severity"}:
        raise fail(None, "[defaults] takes only severity")
    default = defaults.get("severity", "info")
    if default not in LEVELS:
        raise fail(None, f"[defaults] severity must be one of {', '.join(LEVELS)}, not {default!r}")
    tables = table.get("decisions", {})
    if not isinstance(tables, Mapping):
        raise fail(None, "decisions must be tables: [decisions.NAME]")
    by_rule: dict[str, Decision] = {}
    for name, entry in tables.items():
        decision = _decision(name, entry, lambda problem, n=name: fail(n, problem))
        for rule in decision.rules:
            if rule in by_rule:
                raise fail(name, f"{rule} is already decided by [decisions.{by_rule[rule].name}]")
            by_rule[rule] = decision
    return Decisions(default=default, by_rule=tuple(by_rule.items()), file=file)


def _decision(name: str, entry: Any, fail: Any) -> Decision:
    if not isinstance(entry, Mapping):
        raise fail("must be a table")
    unknown = set(entry) - _KEYS
    if unknown:
        raise fail(f"unknown field(s) {sorted(unknown)}; known: {', '.join(sorted(_KEYS))}")
    rules = entry.get("rules")
    if not isinstance(rules, list) or not rules or not all(isinstance(r, str) for r in rules):
        raise fail("rules must be a non-empty list such as ['harper.SpellCheck']")
    for rule in rules:
        engine, _, rule_name = rule.partition(".")
        if engine not in ("harper", "languagetool") or not rule_name:
            raise fail(f"{rule!r} must be 'harper.RuleName' or 'languagetool.RULE_ID'")
    severity = entry.get("severity")
    if severity not in LEVELS:
        raise fail(f"severity must be one of {', '.join(LEVELS)}, not {severity!r}")
    names = entry.get("names")
    if names is not None and names not in SEVERITIES:
        raise fail(f"names must be one of {', '.join(SEVERITIES)}, not {names!r}")
    if names is not None and severity != "off" and SEVERITIES.index(names) < SEVERITIES.index(severity):
        raise fail("names cannot be more severe than severity")
    typo = _typo(entry, "typo", fail)
    typo_capitalised = _typo(entry, "typo_capitalised", fail)
    if typo_capitalised is not None and typo is None:
        raise fail("typo_capitalised needs typo")
    if (typo is not None or typo_capitalised is not None) and names is None:
        raise fail("typo needs names: the severity of a word that is not a typo")
    why = entry.get("why", "")
    if not isinstance(why, str):
        raise fail("why must be a string")
    examples = entry.get("examples", {})
    if not isinstance(examples, Mapping) or set(examples) - {"flag", "pass"}:
        raise fail("examples takes flag and pass lists")
    flag, passing = examples.get("flag", []), examples.get("pass", [])
    for key, values in (("flag", flag), ("pass", passing)):
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise fail(f"examples.{key} must be a list of strings")
    if not passing:
        raise fail("every decision needs examples.pass: text on which it must not block")
    if severity != "off" and not flag:
        raise fail("a decision that reports needs examples.flag: text on which the engine reports it")
    if severity == "off" and flag:
        raise fail("a rule that is off reports nothing: give only examples.pass")
    return Decision(name, tuple(rules), severity, names, typo, typo_capitalised, why, tuple(flag), tuple(passing))


def _typo(entry: Mapping[str, Any], key: str, fail: Any) -> Typo | None:
    raw = entry.get(key)
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not _TYPO_KEYS <= set(raw) <= _TYPO_KEYS | _TYPO_SWITCHES | {"variant_edits"}:
        raise fail(f"{key} must be a table with {', '.join(sorted(_TYPO_KEYS))} (and optionally "
                   f"{', '.join(sorted(_TYPO_SWITCHES))} or variant_edits)")
    for switch in sorted(_TYPO_SWITCHES):
        if not isinstance(raw.get(switch, False), bool):
            raise fail(f"{key}.{switch} must be true or false")
    swaps_only, dictionary = raw.get("swaps_only", False), raw.get("dictionary", False)
    variant_edits = raw.get("variant_edits")
    if variant_edits is not None and variant_edits not in (1, 2, 3):
        raise fail(f"{key}.variant_edits must be 1, 2 or 3")
    values = {k: raw[k] for k in _TYPO_KEYS}
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in values.values()):
        raise fail(f"{key}: {', '.join(sorted(_TYPO_KEYS))} must be numbers")
    if not 1 <= values["commoner_by"] <= 1e6:
        raise fail(f"{key}.commoner_by must be from 1 to 1000000")
    if values["max_edits"] not in (1, 2, 3):
        raise fail(f"{key}.max_edits must be 1, 2 or 3")
    if values["min_letters"] not in range(1, 21):
        raise fail(f"{key}.min_letters must be from 1 to 20")
    if values["variant_count"] < 1000:
        raise fail(f"{key}.variant_count must be at least 1000")
    return Typo(float(values["commoner_by"]), int(values["max_edits"]), int(values["min_letters"]),
                float(values["variant_count"]), swaps_only, dictionary, variant_edits)
