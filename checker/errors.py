"""Errors the library raises, all under one base class.

    CheckerError
    ├── PolicyError            a policy or identity file has a mistake (file, rule, problem)
    ├── UnknownChoiceError     (also ValueError) an unknown platform or profile
    │   ├── UnknownPlatformError
    │   └── UnknownProfileError
    └── InputError             (also ValueError) input that cannot be checked at all
        └── CheckTimeoutError  a check ran past its time budget and was stopped
"""

from __future__ import annotations

from collections.abc import Iterable


class CheckerError(Exception):
    """Base class of every error the library raises on purpose."""


class PolicyError(CheckerError):
    """A policy file is wrong: says which file, which rule and what is wrong."""

    def __init__(self, file: str, rule: str | None, problem: str) -> None:
        self.file = file
        self.rule = rule
        self.problem = problem
        where = f"{file}: rule {rule!r}" if rule else file
        super().__init__(f"{where}: {problem}")


class UnknownChoiceError(CheckerError, ValueError):
    """A name (platform, profile) that the policy does not define."""

    kind = "choice"

    def __init__(self, name: str, valid: Iterable[str]) -> None:
        self.name = name
        self.valid = tuple(sorted(valid))
        super().__init__(f"unknown {self.kind} {name!r}; choose one of: {', '.join(self.valid)}")


class UnknownPlatformError(UnknownChoiceError):
    kind = "platform"


class UnknownProfileError(UnknownChoiceError):
    kind = "profile"


class InputError(CheckerError, ValueError):
    """Input that cannot be checked at all (not a string, too large, not an image)."""


class CheckTimeoutError(InputError):
    """A check took longer than its budget and was stopped (rather than hold a server thread)."""
