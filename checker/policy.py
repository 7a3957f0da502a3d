"""Load and validate a policy pack: the organisation's rules as data.

A pack is a folder (by default `brand_assets/`) holding:

    identity.toml          [organisation] name, short forms, domains (and the visual identity)
    policy/pack.toml       [pack], [guidelines.*], [profiles.*], [platforms.*]
    policy/rules/*.toml    one file per category; `[rules.NAME]` becomes rule `CATEGORY.NAME`

Every mistake raises `PolicyError` naming the file, the rule and the problem.
The rule kinds and their options are validated when the rules are compiled
(`checker.text.rules`), which `load_policy` does eagerly so that a broken pack
fails on load, not on the first post.
"""

from __future__ import annotations

import os
import stat
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from checker.errors import PolicyError, UnknownPlatformError, UnknownProfileError
from checker.findings import SEVERITIES, TEXT_CATEGORIES, Severity


def _bundled_pack() -> Path:
    """The checkout's brand_assets/, or in an installed wheel the copy shipped inside this package."""
    here = Path(__file__).resolve().parent
    installed = here / "brand_assets"
    return installed if installed.is_dir() else here.parent / "brand_assets"


DEFAULT_PACK = Path(os.environ.get("SOCIALCHECK_BRAND_ASSETS") or _bundled_pack())

RULE_FIELDS = {"kind", "severity", "message", "guideline", "examples", "description", "min_matches", "advice"}
COUNTING_METHODS = ("x", "characters", "graphemes", "mastodon")
# A pack's files are a few kilobytes each; these bounds make a mistaken or hostile one fail fast.
MAX_FILE_BYTES = 1_000_000
MAX_NESTING = 32  # tables and arrays inside one another
MAX_MESSAGE_LENGTH = 1_000


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    platform: str = "generic"


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as written in a policy file (compiled later by checker.text.rules)."""

    id: str
    category: str
    kind: str
    severity: Severity
    message: str
    guideline: str
    options: Mapping[str, Any]
    flag_examples: tuple[Example, ...]
    pass_examples: tuple[Example, ...]
    file: str
    description: str = ""
    min_matches: int = 1  # fewer findings than this in one post are only `info`
    advice: str = ""  # what to do instead, where the message and suggestions do not say (see Policy.advice)


@dataclass(frozen=True, slots=True)
class Guideline:
    id: str
    title: str
    text: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Platform:
    id: str
    name: str
    limit: int | None
    counting: str
    url_length: int | None = None
    hashtag_limit: int | None = None
    hashtag_advice: int | None = None
    mention_limit: int | None = None
    url_limit: int | None = None  # links a post may carry (Threads: 5)
    byte_limit: int | None = None  # UTF-8 bytes a post may take (Bluesky: 3,000)
    source: str = ""
    checked: str = ""  # when the figures were last checked against the network's own rules


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    description: str
    extends: str | None
    severity: Mapping[str, Severity]
    disabled: frozenset[str]
    # Options of one rule set for this profile ("offensive.model" = { thresholds = ... }); each replaces the rule's own.
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    short_forms: tuple[str, ...]
    domains: tuple[str, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Policy:
    """A validated policy pack."""

    name: str
    root: Path
    organisation: Organisation
    default_profile: str
    guidelines: Mapping[str, Guideline]
    profiles: Mapping[str, Profile]
    platforms: Mapping[str, Platform]
    rules: Mapping[str, Rule]
    identity: Mapping[str, Any] = field(default_factory=dict)
    grammar: Mapping[str, Any] = field(default_factory=dict)
    # The text engine's compiled rules for each profile (checker.text.engine.compile_checker).
    compiled: dict[str, Any] = field(default_factory=dict, repr=False)

    def platform(self, platform_id: str) -> Platform:
        try:
            return self.platforms[platform_id]
        except (KeyError, TypeError):
            raise UnknownPlatformError(str(platform_id), self.platforms) from None

    def profile(self, profile_id: str | None) -> Profile:
        key = self.default_profile if profile_id is None else profile_id
        try:
            return self.profiles[key]
        except (KeyError, TypeError):
            raise UnknownProfileError(str(key), self.profiles) from None

    def active_rules(self, profile_id: str | None) -> list[Rule]:
        """The rules a profile runs, with its severities applied (bases first, then overrides)."""
        chain: list[Profile] = []
        profile: Profile | None = self.profile(profile_id)
        while profile is not None:
            chain.append(profile)
            profile = self.profiles[profile.extends] if profile.extends else None
        disabled: set[str] = set()
        severity: dict[str, Severity] = {}
        options: dict[str, dict[str, Any]] = {}
        for link in reversed(chain):
            disabled |= link.disabled
            severity.update(link.severity)
            for rule_id, values in link.options.items():
                options.setdefault(rule_id, {}).update(values)
        active = []
        for rule in self.rules.values():
            if _matches_any(rule.id, disabled):
                continue
            override = next((severity[key] for key in _prefixes(rule.id) if key in severity), None)
            rule = _replace_severity(rule, override) if override else rule
            if rule.id in options:
                rule = replace(rule, options=MappingProxyType({**rule.options, **options[rule.id]}))
            active.append(rule)
        return active

    def advice(self, rule_id: str) -> str:
        """What to do about a rule's finding: the rule's own `advice`, else its handbook point's text."""
        rule = self.rules.get(rule_id)
        if rule is None:
            return ""
        if rule.advice:
            return rule.advice
        guideline = self.guidelines.get(rule.guideline)
        return guideline.text if guideline else ""

    def guideline_title(self, guideline_id: str) -> str:
        guideline = self.guidelines.get(guideline_id)
        return guideline.title if guideline else ""


def _prefixes(rule_id: str) -> list[str]:
    """`tone.shouting` is configured by `tone.shouting`, then `tone`: most specific first."""
    parts = rule_id.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


def _matches_any(rule_id: str, keys: set[str]) -> bool:
    return any(prefix in keys for prefix in _prefixes(rule_id))


def _replace_severity(rule: Rule, severity: Severity) -> Rule:
    return replace(rule, severity=severity)


# --- reading -------------------------------------------------------------------------


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file of the pack, or PolicyError naming it and what is wrong.

    Only a regular file of at most MAX_FILE_BYTES is read (a FIFO would block, /dev/zero would
    never end), and tables and arrays nest at most MAX_NESTING deep.
    """
    data = _read_bounded(path)
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(str(path), None, f"not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise PolicyError(str(path), None, "not UTF-8 text") from None
    except RecursionError:
        raise PolicyError(str(path), None, f"tables or arrays are nested too deeply (at most {MAX_NESTING} levels)") from None
    _check_nesting(path, parsed)
    return parsed


def _read_bounded(path: Path) -> bytes:
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not wait for one.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise PolicyError(str(path), None, "file not found") from None
    except OSError as error:
        raise PolicyError(str(path), None, f"cannot be opened ({error.strerror})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise PolicyError(str(path), None, "not a regular file (a pipe, device or folder cannot be a policy file)")
        if info.st_size > MAX_FILE_BYTES:
            raise PolicyError(str(path), None, f"is {info.st_size:,} bytes; a policy file may be at most {MAX_FILE_BYTES:,}")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(descriptor)
    if len(data) > MAX_FILE_BYTES:  # grew while it was read
        raise PolicyError(str(path), None, f"is over {MAX_FILE_BYTES:,} bytes; a policy file may be at most {MAX_FILE_BYTES:,}")
    return data


def _check_nesting(path: Path, data: Any) -> None:
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise PolicyError(str(path), None, f"tables or arrays are nested too deeply (at most {MAX_NESTING} levels)")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def check_message(file: str, rule: str | None, message: str) -> str:
    """A message template may name values ({match}, {limit}) but not format them: `{match:>100000000}`
    would make a 100 MB answer to a 4-byte post, and `{match.__class__}` reaches into objects."""
    if len(message) > MAX_MESSAGE_LENGTH:
        raise PolicyError(file, rule, f"message is {len(message):,} characters; at most {MAX_MESSAGE_LENGTH:,}")
    try:
        fields = list(string.Formatter().parse(message))
    except ValueError as error:
        raise PolicyError(file, rule, f"message is not a valid template ({error}); write {{{{ and }}}} for braces") from None
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if not name.isidentifier():
            raise PolicyError(file, rule, f"message field {{{name}}} must be a plain name such as {{match}}")
        if spec or conversion:
            raise PolicyError(file, rule, f"message field {{{name}}} may not have a format or conversion; write {{{name}}}")
    return message


class _Fields:
    """Typed access to one TOML table, raising PolicyError with the file and rule."""

    def __init__(self, table: Any, file: Path, rule: str | None, where: str = "") -> None:
        if not isinstance(table, dict):
            raise PolicyError(str(file), rule, f"{where or 'entry'} must be a table")
        self.table, self.file, self.rule = table, file, rule

    def fail(self, problem: str) -> PolicyError:
        return PolicyError(str(self.file), self.rule, problem)

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ..., *, name: str | None = None) -> Any:
        if key not in self.table:
            if default is ...:
                raise self.fail(f"missing required field {name or key!r}")
            return default
        value = self.table[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            wanted = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.fail(f"field {name or key!r} must be {wanted}, not {type(value).__name__}")
        return value

    def strings(self, key: str, default: Any = ()) -> tuple[str, ...]:
        values = self.get(key, list, list(default))
        if not all(isinstance(v, str) for v in values):
            raise self.fail(f"field {key!r} must be a list of strings")
        return tuple(values)


def _severity(fields: _Fields, value: Any, what: str) -> Severity:
    if value not in SEVERITIES:
        raise fields.fail(f"{what} must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return value


def _examples(fields: _Fields, key: str) -> tuple[Example, ...]:
    examples = []
    items = fields.get("examples", dict, {}).get(key, [])
    if not isinstance(items, list):
        raise fields.fail(f"examples.{key} must be a list")
    for item in items:
        if isinstance(item, str):
            examples.append(Example(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            examples.append(Example(item["text"], str(item.get("platform", "generic"))))
        else:
            raise fields.fail(f"examples.{key} entries must be strings or tables with 'text'")
    return tuple(examples)


def _load_rules(path: Path, category: str, guidelines: Mapping[str, Guideline]) -> dict[str, Rule]:
    data = read_toml(path)
    unknown = set(data) - {"rules"}
    if unknown:
        raise PolicyError(str(path), None, f"unexpected top-level keys {sorted(unknown)}; put rules under [rules.NAME]")
    rules = {}
    tables = data.get("rules", {})
    if not isinstance(tables, dict):
        raise PolicyError(str(path), None, "'rules' must be tables: [rules.NAME]")
    for name, table in tables.items():
        rule_id = f"{category}.{name}"
        fields = _Fields(table, path, rule_id)
        guideline = fields.get("guideline", str)
        if guideline not in guidelines:
            raise fields.fail(f"guideline {guideline!r} is not defined in pack.toml; defined: {', '.join(sorted(guidelines))}")
        rule = Rule(
            id=rule_id,
            category=category,
            kind=fields.get("kind", str),
            severity=_severity(fields, fields.get("severity", str), "severity"),
            message=check_message(str(path), rule_id, fields.get("message", str)),
            guideline=guideline,
            options=MappingProxyType({k: v for k, v in table.items() if k not in RULE_FIELDS}),
            flag_examples=_examples(fields, "flag"),
            pass_examples=_examples(fields, "pass"),
            file=str(path),
            description=fields.get("description", str, ""),
            min_matches=fields.get("min_matches", int, 1),
            advice=fields.get("advice", str, ""),
        )
        if not rule.flag_examples or not rule.pass_examples:
            raise fields.fail("every rule needs examples.flag and examples.pass (at least one of each)")
        rules[rule_id] = rule
    return rules


def _load_profiles(path: Path, tables: Any, rule_ids: set[str]) -> dict[str, Profile]:
    profiles = {}
    for name, table in _Fields(tables, path, None, "[profiles]").table.items():
        fields = _Fields(table, path, None, f"[profiles.{name}]")
        where = f"profile {name!r}"
        severity = {}
        for key, value in fields.get("severity", dict, {}).items():
            if not any(key in _prefixes(r) for r in rule_ids):
                raise PolicyError(str(path), key, f"{where} sets the severity of a rule that does not exist")
            severity[key] = _severity(fields, value, f"{where}: severity of {key!r}")
        disabled = fields.strings("disable")
        for key in disabled:
            if not any(key in _prefixes(r) for r in rule_ids):
                raise PolicyError(str(path), key, f"{where} disables a rule that does not exist")
        options = {}
        for key, values in fields.get("options", dict, {}).items():
            if key not in rule_ids:
                raise PolicyError(str(path), key, f"{where} sets options of a rule that does not exist (options take a rule id)")
            if not isinstance(values, dict):
                raise PolicyError(str(path), key, f"{where}: options of {key!r} must be a table")
            options[key] = MappingProxyType(dict(values))
        profiles[name] = Profile(
            id=name,
            description=fields.get("description", str, ""),
            extends=fields.get("extends", str, None),
            severity=MappingProxyType(severity),
            disabled=frozenset(disabled),
            options=MappingProxyType(options),
        )
    for profile in profiles.values():
        seen = {profile.id}
        parent = profile.extends
        while parent is not None:
            if parent not in profiles:
                raise PolicyError(str(path), None, f"profile {profile.id!r} extends unknown profile {parent!r}")
            if parent in seen:
                raise PolicyError(str(path), None, f"profile {profile.id!r} extends itself through {parent!r}")
            seen.add(parent)
            parent = profiles[parent].extends
    return profiles


def _load_platforms(path: Path, tables: Any) -> dict[str, Platform]:
    platforms = {}
    for name, table in _Fields(tables, path, None, "[platforms]").table.items():
        fields = _Fields(table, path, None, f"[platforms.{name}]")
        counting = fields.get("counting", str, "characters")
        if counting not in COUNTING_METHODS:
            raise fields.fail(f"platform {name!r}: counting must be one of {', '.join(COUNTING_METHODS)}")
        optional_int = (int, type(None))
        platforms[name] = Platform(
            id=name,
            name=fields.get("name", str),
            limit=fields.get("limit", int, None),
            counting=counting,
            url_length=fields.get("url_length", optional_int, None),
            hashtag_limit=fields.get("hashtag_limit", int, None),
            hashtag_advice=fields.get("hashtag_advice", int, None),
            mention_limit=fields.get("mention_limit", int, None),
            url_limit=fields.get("url_limit", int, None),
            byte_limit=fields.get("byte_limit", int, None),
            source=fields.get("source", str, ""),
            checked=fields.get("checked", str, ""),
        )
    if "generic" not in platforms:
        raise PolicyError(str(path), None, "[platforms.generic] is required (the platform with no limit)")
    return platforms


def _load_organisation(path: Path, identity: Mapping[str, Any]) -> Organisation:
    fields = _Fields(identity.get("organisation"), path, None, "[organisation]")
    return Organisation(
        name=fields.get("name", str),
        short_forms=fields.strings("short_forms"),
        domains=tuple(d.lower() for d in fields.strings("domains")),
    )


def read_policy(root: str | os.PathLike[str] = DEFAULT_PACK) -> Policy:
    """Read and validate the pack's files (without compiling the rules)."""
    root = Path(root)
    identity_path = root / "identity.toml"
    identity = read_toml(identity_path)
    pack_path = root / "policy" / "pack.toml"
    pack = read_toml(pack_path)
    head = _Fields(pack.get("pack"), pack_path, None, "[pack]")

    guidelines = {}
    for key, table in _Fields(pack.get("guidelines", {}), pack_path, None, "[guidelines]").table.items():
        fields = _Fields(table, pack_path, None, f"[guidelines.{key}]")
        guidelines[key] = Guideline(key, fields.get("title", str), fields.get("text", str), fields.get("url", str, ""))

    rules: dict[str, Rule] = {}
    rule_files = sorted((root / "policy" / "rules").glob("*.toml"))
    if not rule_files:
        raise PolicyError(str(root / "policy" / "rules"), None, "no rule files (*.toml) found")
    for path in rule_files:
        if path.stem not in TEXT_CATEGORIES:
            raise PolicyError(str(path), None, f"file name must be a category: one of {', '.join(TEXT_CATEGORIES)}")
        rules.update(_load_rules(path, path.stem, guidelines))

    profiles = _load_profiles(pack_path, pack.get("profiles", {}), set(rules))
    default_profile = head.get("default_profile", str)
    if default_profile not in profiles:
        raise PolicyError(str(pack_path), None, f"default_profile {default_profile!r} is not a profile")
    return Policy(
        name=head.get("name", str),
        root=root,
        organisation=_load_organisation(identity_path, identity),
        default_profile=default_profile,
        guidelines=MappingProxyType(guidelines),
        profiles=MappingProxyType(profiles),
        platforms=MappingProxyType(_load_platforms(pack_path, pack.get("platforms", {}))),
        rules=MappingProxyType(rules),
        identity=MappingProxyType(identity),
        grammar=MappingProxyType(_Fields(pack.get("grammar", {}), pack_path, "grammar", "[grammar]").table),
    )


def load_policy(root: str | os.PathLike[str] | None = None) -> Policy:
    """Read a pack and compile every rule, so that any mistake surfaces now.

    With no argument, the bundled default pack (cached: loading it twice costs nothing).
    """
    if root is None:
        return _default_policy()
    policy = read_policy(root)
    from checker.text.engine import compile_checker

    for profile in policy.profiles:
        compile_checker(policy, profile)
    return policy


@lru_cache(maxsize=1)
def _default_policy() -> Policy:
    return load_policy(DEFAULT_PACK)
