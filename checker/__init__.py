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

# The checks load on first use: `socialcheck text` has no need of the image checks (Pillow,
# the identity's marks), and none of the rules when a running server answers it (about 0.2 s
# of imports each).
_LAZY_EXPORTS = {
    "ImageReport": "checker.image",
    "ProfileReport": "checker.image",
    "check_image": "checker.image",
    "check_profile": "checker.image",
    "Policy": "checker.policy",
    "load_policy": "checker.policy",
    "check_text": "checker.text.engine",
}


def __getattr__(name: str) -> object:
    module = _LAZY_EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'checker' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY_EXPORTS))
