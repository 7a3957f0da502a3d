"""check_profile: naming rules, the bio (with the text rules) and the image, part by part."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import ProfileReport, Report, check_profile, check_text
from checker.errors import InputError, UnknownPlatformError, UnknownProfileError
from checker.image.profile import bare_handle
from test_image import encode, on_brand, photo

GOOD_BIO = "Official account of the University of Leicester. News, events and research: le.ac.uk"


def rules(report: Report) -> set[str]:
    return {f.rule for f in report.findings}


def test_a_corporate_profile_on_brand_is_ready():
    report = check_profile(
        "University of Leicester", "@uniofleicester", GOOD_BIO, encode(on_brand(400)), platform="x", profile="corporate"
    )
    assert report.ok, [(f.rule, f.message) for f in report.findings]
    assert set(report.parts) == {"display_name", "handle", "bio", "image"}
    assert report.image is not None and report.image.metrics["mark"]["found"]


@pytest.mark.parametrize(
    ("display_name", "handle", "platform"),
    [
        ("University of Leicester Library", "UoLLibrary", "x"),
        ("Leicester Physics", "@LeicPhysics", "x"),
        ("Careers at the University of Leicester", "uolcareers", "x"),
        ("Leicester Physics", "leicesterphysics", "instagram"),
        ("University of Leicester Library", "library.le.ac.uk", "bluesky"),
        ("Leicester Physics", "@uolphysics@mastodon.ac.uk", "mastodon"),
    ],
)
def test_department_names_that_follow_the_format(display_name, handle, platform):
    report = check_profile(display_name, handle, "News from the University of Leicester.", platform=platform, profile="department")
    assert report.display_name.findings == () and report.handle.findings == (), report.to_dict()
    assert "image" not in report.parts and report.image is None


@pytest.mark.parametrize("display_name", ["Leicester Uni", "UoL", "The University Of Leicester", "Physics Dept"])
def test_a_corporate_display_name_must_be_the_agreed_name(display_name):
    report = check_profile(display_name, "uniofleicester", GOOD_BIO, profile="corporate")
    naming = [f for f in report.display_name.findings if f.rule == "profile.naming.display_name"]
    assert naming and naming[0].category == "brand" and naming[0].severity == "warning"
    assert (naming[0].start, naming[0].end) == (0, len(display_name))
    assert "University of Leicester" in naming[0].suggestions


def test_a_department_display_name_outside_the_format():
    report = check_profile("Physics Dept", "uolphysics", "Physics at the University of Leicester.", profile="department")
    assert rules(report.display_name) == {"profile.naming.display_name"}
    assert "Leicester Physics" in report.display_name.findings[0].message


def test_display_names_also_go_through_the_text_rules():
    report = check_profile("UNIVERSITY OF LEICESTER LIBRARY", "UoLLibrary", "News from the University of Leicester.", profile="department")
    found = rules(report.display_name)
    assert "tone.shouting" in found and "brand.name_case" in found


def test_a_display_name_too_long_for_the_platform():
    name = "University of Leicester " + "Department of Interdisciplinary Studies and More"
    report = check_profile(name, "UoLInterdisc", "News from the University of Leicester.", platform="x", profile="department")
    too_long = [f for f in report.display_name.findings if f.rule == "profile.display_name.too_long"]
    assert too_long and too_long[0].category == "platform" and too_long[0].severity == "error"
    assert (too_long[0].start, too_long[0].end) == (50, len(name))


def test_empty_display_name_and_handle_are_errors():
    report = check_profile("  ", "", GOOD_BIO, profile="corporate")
    assert rules(report.display_name) == {"profile.display_name.empty"}
    assert rules(report.handle) == {"profile.handle.empty"}
    assert not report.ok


@pytest.mark.parametrize(
    ("handle", "platform"),
    [("uni_of_leicester_official", "x"), ("uol physics", "instagram"), ("not a domain", "bluesky"), ("ab", "x")],
)
def test_handles_the_platform_refuses(handle, platform):
    report = check_profile("University of Leicester", handle, GOOD_BIO, platform=platform, profile="corporate")
    invalid = [f for f in report.handle.findings if f.rule == "profile.handle.invalid"]
    assert invalid and invalid[0].category == "platform" and invalid[0].severity == "error"


def test_a_corporate_handle_must_be_the_agreed_one():
    report = check_profile("University of Leicester", "@LeicsUniNews", GOOD_BIO, profile="corporate")
    assert rules(report.handle) == {"profile.naming.handle"}
    finding = report.handle.findings[0]
    assert (finding.start, finding.end) == (1, len("@LeicsUniNews"))  # the span skips the "@"
    assert "uniofleicester" in finding.suggestions


def test_handle_spans_skip_the_at_and_the_mastodon_server():
    assert bare_handle("  @uolphysics@mastodon.ac.uk") == ("uolphysics", 3)
    report = check_profile("Leicester Physics", "@physicsnews@mastodon.ac.uk", "Physics at the University of Leicester.", platform="mastodon", profile="department")
    finding = report.handle.findings[0]
    assert "@physicsnews@mastodon.ac.uk"[finding.start : finding.end] == "physicsnews"


def test_a_bio_must_name_the_organisation():
    report = check_profile("Leicester Physics", "uolphysics", "Stars, atoms and everything in between.", profile="department")
    assert rules(report.bio) == {"profile.bio.organisation"}
    assert report.bio.findings[0].category == "brand"
    for bio in ("Physics at the University of Leicester.", "Physics news. le.ac.uk/physics"):
        assert check_profile("Leicester Physics", "uolphysics", bio, profile="department").bio.findings == ()


def test_the_base_profile_has_no_naming_rules():
    report = check_profile("Dr Jane Smith", "janesmith_astro", "Astronomer. Views my own.", profile="base")
    assert rules(report.display_name) == set() and rules(report.handle) == set() and "profile.bio.organisation" not in rules(report.bio)


def test_a_bio_too_long_for_the_platform():
    bio = "News from the University of Leicester. " * 6
    report = check_profile("University of Leicester", "uniofleicester", bio, platform="x", profile="corporate")
    too_long = [f for f in report.bio.findings if f.rule == "profile.bio.too_long"]
    assert too_long and (too_long[0].start, too_long[0].end) == (160, len(bio))


def test_the_bio_goes_through_check_text():
    bio = "we r sooo excited to share news from the University of Leicester!!!"
    report = check_profile("University of Leicester", "uniofleicester", bio, profile="corporate")
    from_text = {(f.rule, f.start, f.end) for f in check_text(bio, "generic", "corporate").findings}
    assert from_text and from_text <= {(f.rule, f.start, f.end) for f in report.bio.findings}


def test_the_image_part_is_checked_for_the_same_platform_and_profile():
    report = check_profile("University of Leicester", "uniofleicester", GOOD_BIO, encode(photo(400, 1)), platform="instagram", profile="corporate")
    assert report.image is not None
    assert report.image.metrics["platform"] == "instagram" and report.image.metrics["profile"] == "corporate"
    assert {"mark", "palette"} <= {f.category for f in report.image.findings}
    assert not report.ok and report.display_name.ok


def test_to_dict_is_json_with_findings_per_part():
    report = check_profile("Leicester Uni", "uniofleicester", GOOD_BIO, encode(on_brand(400)), profile="corporate")
    payload = json.loads(json.dumps(report.to_dict()))
    assert set(payload["parts"]) == {"display_name", "handle", "bio", "image"}
    assert payload["ok"] is False and payload["counts"]["warning"] >= 1
    assert payload["parts"]["image"]["preview_png"]
    assert sum(payload["counts"].values()) == sum(len(part["findings"]) for part in payload["parts"].values())
    assert isinstance(report, ProfileReport)


def test_bad_input_is_a_clear_error():
    with pytest.raises(InputError, match="display name"):
        check_profile(None, "uniofleicester", GOOD_BIO)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="bio"):
        check_profile("University of Leicester", "uniofleicester", b"bytes")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="empty"):
        check_profile("University of Leicester", "uniofleicester", GOOD_BIO, b"")
    with pytest.raises(UnknownPlatformError):
        check_profile("University of Leicester", "uniofleicester", GOOD_BIO, platform="friendster")
    with pytest.raises(UnknownProfileError):
        check_profile("University of Leicester", "uniofleicester", GOOD_BIO, profile="faculty")


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=80), st.text(max_size=40), st.text(max_size=300), st.sampled_from(["x", "instagram", "bluesky", "mastodon", "linkedin"]))
def test_any_text_gives_findings_inside_each_part(display_name, handle, bio, platform):
    report = check_profile(display_name, handle, bio, platform=platform, profile="department")
    for part, text in (("display_name", display_name), ("handle", handle), ("bio", bio)):
        for finding in report.parts[part].findings:
            assert 0 <= finding.start <= finding.end <= len(text), (part, finding)
