"""Reports for image and profile checks: findings, metrics and a preview."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from checker.findings import SEVERITIES, Finding, Report


def _counts(findings: tuple[Finding, ...]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


@dataclass(frozen=True, slots=True)
class ImageReport:
    """The findings of one image check, what was measured, and a circle-crop preview.

    Image findings span nothing (start = end = 0): they are about the whole image.
    `preview_png` is empty when the image could not be decoded.
    """

    findings: tuple[Finding, ...] = ()
    metrics: Mapping[str, Any] = field(default_factory=dict)
    preview_png: bytes = b""

    def __post_init__(self) -> None:
        # Sorted exactly as Report sorts its findings.
        object.__setattr__(self, "findings", Report(tuple(self.findings)).findings)
        object.__setattr__(self, "metrics", MappingProxyType(dict(self.metrics)))

    @property
    def counts(self) -> dict[str, int]:
        return _counts(self.findings)

    @property
    def ok(self) -> bool:
        """Ready to use: no error and no warning."""
        return not any(f.blocking for f in self.findings)

    def by_category(self, category: str) -> list[Finding]:
        return [f for f in self.findings if f.category == category]

    @property
    def categories(self) -> set[str]:
        return {f.category for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "counts": self.counts,
            "findings": [f.to_dict() for f in self.findings],
            "metrics": dict(self.metrics),
            "preview_png": base64.b64encode(self.preview_png).decode("ascii"),
        }


PROFILE_PARTS: tuple[str, ...] = ("display_name", "handle", "bio", "image")


@dataclass(frozen=True, slots=True)
class ProfileReport:
    """The findings for each part of a profile. Text offsets are indices into that part."""

    display_name: Report
    handle: Report
    bio: Report
    image: ImageReport | None = None

    @property
    def parts(self) -> dict[str, Report | ImageReport]:
        parts: dict[str, Report | ImageReport] = {"display_name": self.display_name, "handle": self.handle, "bio": self.bio}
        if self.image is not None:
            parts["image"] = self.image
        return parts

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding, part by part in PROFILE_PARTS order."""
        return tuple(f for part in self.parts.values() for f in part.findings)

    @property
    def counts(self) -> dict[str, int]:
        return _counts(self.findings)

    @property
    def ok(self) -> bool:
        return all(part.ok for part in self.parts.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "counts": self.counts,
            "parts": {name: part.to_dict() for name, part in self.parts.items()},
        }
