"""Check social media posts and profiles against an organisation's social media identity.

    from checker import check_text
    report = check_text("HUGE NEWS!!!", platform="x")
    for finding in report.findings:
        print(finding.category, finding.severity, finding.message)
"""

from checker.errors import (
    CheckerError,
    InputError,
    PolicyError,
    UnknownPlatformError,
    UnknownProfileError,
)
from checker.findings import CATEGORIES, Finding, Report
from checker.policy import Policy, load_policy
from checker.text.engine import check_text

__version__ = "0.1.0"

__all__ = [
    "CATEGORIES",
    "CheckerError",
    "Finding",
    "ImageReport",
    "InputError",
    "Policy",
    "PolicyError",
    "ProfileReport",
    "Report",
    "UnknownPlatformError",
    "UnknownProfileError",
    "__version__",
    "check_image",
    "check_profile",
    "check_text",
    "load_policy",
]

# The image checks (Pillow and the identity's marks) load on first use: a text check, the
# CLI's `socialcheck text` above all, has no need of them (about 0.2 s of imports).
_IMAGE_EXPORTS = frozenset({"ImageReport", "ProfileReport", "check_image", "check_profile"})


def __getattr__(name: str) -> object:
    if name in _IMAGE_EXPORTS:
        import checker.image

        return getattr(checker.image, name)
    raise AttributeError(f"module 'checker' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _IMAGE_EXPORTS)
