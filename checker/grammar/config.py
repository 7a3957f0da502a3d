"""The grammar layer's settings: the pack's `[grammar]` table, then the environment.

    [grammar]
    engines = "harper"              # "harper", "languagetool", "both", "off"; absent: Harper, plus
                                    # LanguageTool where one is configured or installed
    language = "en-GB"              # Harper's dialect and LanguageTool's language
    disabled_rules = ["languagetool.EN_QUOTES"]   # a quick switch; policy/grammar.toml decides the rest
    languagetool_url = "http://lt.example.ac.uk:8081"   # a LanguageTool server (text is sent there)
    languagetool_jar_dir = "/opt/LanguageTool-6.8"      # a local LanguageTool (needs Java 17+)
    start_timeout = 60              # seconds LanguageTool may take to start
    request_timeout = 5             # seconds one LanguageTool check may take
    cache_paragraphs = 512          # paragraphs remembered per engine

What each engine rule is worth (warning, info or off) is decided rule by rule
in `policy/grammar.toml` beside pack.toml (see checker.grammar.decisions).

Environment variables win over the pack (a person's own machine knows best
where its LanguageTool is): SOCIALCHECK_GRAMMAR, SOCIALCHECK_LT_URL,
SOCIALCHECK_LT_JAR_DIR (or language-tool-python's LTP_JAR_DIR_PATH),
SOCIALCHECK_LT_START_TIMEOUT.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.errors import PolicyError
from checker.grammar.decisions import DECISIONS_FILE, Decisions, read_decisions

ENGINE_CHOICES = ("harper", "languagetool", "both", "off")
DIALECTS = {"en-GB": "BRITISH", "en-US": "AMERICAN", "en-AU": "AUSTRALIAN", "en-CA": "CANADIAN", "en-IN": "INDIAN"}

KNOWN_KEYS = {
    "engines",
    "language",
    "disabled_rules",
    "languagetool_url",
    "languagetool_jar_dir",
    "start_timeout",
    "request_timeout",
    "cache_paragraphs",
}


@dataclass(frozen=True, slots=True)
class GrammarConfig:
    """Everything that decides what the engines do; equal configs share engines."""

    engines: str | None = None  # None: Harper, plus LanguageTool where configured
    language: str = "en-GB"
    disabled_rules: frozenset[str] = frozenset()
    decisions: Decisions = Decisions()
    languagetool_url: str | None = None
    languagetool_jar_dir: str | None = None
    start_timeout: float = 60.0
    request_timeout: float = 5.0
    cache_paragraphs: int = 512
    words: tuple[str, ...] = ()  # the organisation's own words (dictionary.txt and identity.toml)

    @property
    def harper_dialect(self) -> str | None:
        """Harper's dialect name, or None when Harper cannot check this language."""
        return DIALECTS.get(self.language)

    def harper_disabled(self) -> frozenset[str]:
        own = frozenset(r.removeprefix("harper.") for r in self.disabled_rules if r.startswith("harper."))
        return own | self.decisions.off("harper")

    def languagetool_disabled(self) -> frozenset[str]:
        own = frozenset(r.removeprefix("languagetool.") for r in self.disabled_rules if r.startswith("languagetool."))
        return own | self.decisions.off("languagetool")


def _pack_file(policy: Any) -> str:
    root = getattr(policy, "root", None)
    return str(Path(root) / "policy" / "pack.toml") if root is not None else "pack.toml"


def read_config(policy: Any, environ: Mapping[str, str] | None = None) -> GrammarConfig:
    """Validate the pack's `[grammar]` table and apply the environment's overrides."""
    environ = os.environ if environ is None else environ
    table = getattr(policy, "grammar", None) or {}
    file = _pack_file(policy)

    def fail(problem: str, where: str = file) -> PolicyError:
        return PolicyError(where, "grammar", problem)

    if not isinstance(table, Mapping):
        raise fail("[grammar] must be a table")
    unknown = set(table) - KNOWN_KEYS
    if unknown:
        raise fail(f"unknown setting(s) {sorted(unknown)}; known: {', '.join(sorted(KNOWN_KEYS))}")

    def get(key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        value = table.get(key, default)
        if value is default:
            return value
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            wanted = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise fail(f"{key} must be {wanted}, not {type(value).__name__}")
        return value

    engines = get("engines", str, None)
    language = get("language", str, "en-GB")
    url = get("languagetool_url", str, None)
    jar_dir = get("languagetool_jar_dir", str, None)
    start_timeout = float(get("start_timeout", (int, float), 60.0))
    request_timeout = float(get("request_timeout", (int, float), 5.0))
    cache_paragraphs = get("cache_paragraphs", int, 512)
    disabled = _rule_list(get("disabled_rules", list, []), "disabled_rules", fail)

    # The environment wins: each override is validated as strictly as the file.
    if environ.get("SOCIALCHECK_GRAMMAR"):
        engines = environ["SOCIALCHECK_GRAMMAR"].strip().lower()
        file_or_env = "environment variable SOCIALCHECK_GRAMMAR"
    else:
        file_or_env = file
    if environ.get("SOCIALCHECK_LT_URL"):
        url = environ["SOCIALCHECK_LT_URL"].strip()
    env_jar = environ.get("SOCIALCHECK_LT_JAR_DIR") or environ.get("LTP_JAR_DIR_PATH")
    if env_jar:
        jar_dir = env_jar.strip()
    if environ.get("SOCIALCHECK_LT_START_TIMEOUT"):
        try:
            start_timeout = float(environ["SOCIALCHECK_LT_START_TIMEOUT"])
        except ValueError:
            raise fail("must be a number of seconds", "environment variable SOCIALCHECK_LT_START_TIMEOUT") from None

    if engines is not None and engines not in ENGINE_CHOICES:
        raise fail(f"engines must be one of {', '.join(ENGINE_CHOICES)}, not {engines!r}", file_or_env)
    if language not in DIALECTS and not _looks_like_language(language):
        raise fail(f"language must be a language tag such as en-GB, not {language!r}")
    if language not in DIALECTS and engines in ("harper", None) and not (url or jar_dir):
        raise fail(f"Harper checks English only ({', '.join(DIALECTS)}); {language!r} needs LanguageTool")
    if url is not None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise fail(f"languagetool_url must be an http(s) URL with a host, not {url!r}")
    if not 0 < start_timeout <= 600:
        raise fail("start_timeout must be between 0 and 600 seconds")
    if not 0 < request_timeout <= 60:
        raise fail("request_timeout must be between 0 and 60 seconds")
    if not 0 <= cache_paragraphs <= 100_000:
        raise fail("cache_paragraphs must be between 0 and 100000")
    decisions = _read_decisions(policy)
    _check_harper_rules(disabled, fail)
    _check_harper_rules(frozenset(r for r, _ in decisions.by_rule), lambda problem: PolicyError(decisions.file, "grammar", problem))

    from checker.grammar.dictionary import organisation_words

    return GrammarConfig(
        engines=engines,
        language=language,
        disabled_rules=disabled,
        decisions=decisions,
        languagetool_url=url,
        languagetool_jar_dir=jar_dir,
        start_timeout=start_timeout,
        request_timeout=request_timeout,
        cache_paragraphs=cache_paragraphs,
        words=organisation_words(policy),
    )


def _read_decisions(policy: Any) -> Decisions:
    """The pack's grammar.toml, if it has one: without it every engine rule is info."""
    root = getattr(policy, "root", None)
    if root is None:
        return Decisions()
    path = Path(root) / DECISIONS_FILE
    if not path.exists():
        return Decisions()
    from checker.policy import read_toml

    return read_decisions(Path(root), read_toml(path))


def _looks_like_language(tag: str) -> bool:
    parts = tag.split("-")
    return 1 <= len(parts) <= 3 and all(p.isalnum() and 2 <= len(p) <= 8 for p in parts)


def _rule_list(values: list[Any], key: str, fail: Any) -> frozenset[str]:
    rules = set()
    for value in values:
        if not isinstance(value, str):
            raise fail(f"{key} must be a list of strings")
        engine, _, name = value.partition(".")
        if engine not in ("harper", "languagetool") or not name:
            raise fail(f"{key}: {value!r} must be 'harper.RuleName' or 'languagetool.RULE_ID'")
        rules.add(value)
    return frozenset(rules)


def _check_harper_rules(rules: frozenset[str], fail: Any) -> None:
    names = [r.removeprefix("harper.") for r in rules if r.startswith("harper.")]
    if not names:
        return
    import harper

    # A Linter's copy, not harper.get_default_lint_config(): both build Harper's dictionary the
    # first time (0.5-1 s), but only the Linter lets go of the GIL meanwhile, so a server answers
    # and its policy loads while it builds (and the dictionary is the one its linters share).
    known = harper.Linter().get_default_lint_config()
    unknown = sorted(n for n in names if n not in known)
    if unknown:
        raise fail(f"Harper has no rule(s) {unknown} (see harper.get_default_lint_config())")
