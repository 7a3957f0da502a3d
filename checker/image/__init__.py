"""Profile images and whole profiles against the platform's specification and the visual identity.

    from checker import check_image, check_profile
    report = check_image(png_bytes, platform="x", profile="corporate")
    report.findings, report.metrics, report.preview_png
"""

from checker.image.check import check_image
from checker.image.profile import check_profile
from checker.image.report import ImageReport, ProfileReport

__all__ = ["ImageReport", "ProfileReport", "check_image", "check_profile"]
