"""The findings model: what every check returns.

A `Finding` is one problem in one span of the input; a `Report` is the sorted
findings of one check plus the figures measured on the way (`stats`).
Both are frozen, so a report can be cached and shared between threads.
Offsets are Python `str` indices (code points); the server converts them to
UTF-16 code units for JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
BLOCKING: frozenset[str] = frozenset({"error", "warning"})

TEXT_CATEGORIES: tuple[str, ...] = (
    "tone",
    "offensive",
    "inclusive",
    "privacy",
    "brand",
    "accessibility",
    "platform",
    "clarity",
    "review",
    "grammar",
    "spelling",
)
IMAGE_CATEGORIES: tuple[str, ...] = (
    "format",
    "dimensions",
    "aspect",
    "file_size",
    "transparency",
    "safe_zone",
    "palette",
    "mark",
    "sharpness",
)
CATEGORIES: tuple[str, ...] = TEXT_CATEGORIES + IMAGE_CATEGORIES


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: which rule, how bad, where, and what to do about it."""

    rule: str
    category: str
    severity: Severity
    start: int
    end: int
    message: str
    suggestions: tuple[str, ...] = ()
    guideline: str = ""

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def moved(self, offset: int) -> Finding:
        """The same finding, `offset` characters further on (a sentence's finding, placed in its post)."""
        return Finding(self.rule, self.category, self.severity, self.start + offset, self.end + offset,
                       self.message, self.suggestions, self.guideline)

    @property
    def blocking(self) -> bool:
        """True for errors and warnings: a post with one is not ready."""
        return self.severity in BLOCKING

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "guideline": self.guideline,
        }


def _sort_key(finding: Finding) -> tuple[int, int, int, str]:
    return (finding.start, finding.end, SEVERITIES.index(finding.severity), finding.rule)


@dataclass(frozen=True, slots=True)
class Report:
    """The findings of one check, sorted by position, and what was measured."""

    findings: tuple[Finding, ...] = ()
    stats: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "findings", tuple(sorted(self.findings, key=_sort_key)))
        object.__setattr__(self, "stats", MappingProxyType(dict(self.stats)))

    @classmethod
    def build(cls, findings: Iterable[Finding], stats: Mapping[str, Any] | None = None) -> Report:
        return cls(tuple(findings), stats or {})

    @property
    def counts(self) -> dict[str, int]:
        """Number of findings at each severity, every severity present."""
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    @property
    def ok(self) -> bool:
        """Ready to publish: no error and no warning (info never blocks)."""
        return not any(f.blocking for f in self.findings)

    def by_category(self, category: str) -> list[Finding]:
        return [f for f in self.findings if f.category == category]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "counts": self.counts,
            "findings": [f.to_dict() for f in self.findings],
            "stats": dict(self.stats),
        }
