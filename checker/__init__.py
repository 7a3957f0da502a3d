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
from checker.image import ImageReport, ProfileReport, check_image, check_profile
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
