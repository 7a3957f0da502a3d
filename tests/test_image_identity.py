"""The visual identity as data: palette, marks, avatar rules, naming and platform specs.

Mistakes in the files raise PolicyError naming the file, the entry and the problem.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from checker.errors import PolicyError
from checker.image.identity import read_visual_identity, visual_identity
from checker.policy import load_policy, read_policy
from test_image import ASSETS, PLATFORMS

ROOT = ASSETS.parent


def test_the_bundled_identity_loads():
    identity = visual_identity(load_policy())
    assert [c.role for c in identity.palette][:2] == ["primary", "secondary"]
    assert {m.name for m in identity.marks} == {"shield", "wordmark"}
    assert dict(identity.mark_rules) == {"base": "optional", "corporate": "required", "department": "optional"}
    assert set(identity.platforms) == set(PLATFORMS)
    assert identity.naming["corporate"].display_names == ("University of Leicester",)
    assert visual_identity(load_policy()) is identity  # read once per policy


def test_the_organisation_section_keeps_its_names():
    policy = load_policy()
    assert policy.organisation.name == "University of Leicester"
    assert policy.identity["organisation"]["domains"] == ["le.ac.uk", "leicester.ac.uk"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_platform_figure_has_its_source(platform):
    spec = visual_identity(load_policy()).platform(platform)
    for figure in ("shape", "recommended", "minimum", "display"):
        assert spec.sources.get(figure), f"{platform}.{figure} has no source"
    if spec.max_bytes is not None:
        assert spec.sources["max_bytes"]
    if spec.formats:
        assert spec.sources["formats"]
    assert spec.minimum <= spec.recommended


def test_the_marks_are_drawn_by_our_script():
    location = ROOT / "scripts" / "draw_marks.py"
    module_spec = importlib.util.spec_from_file_location("draw_marks", location)
    assert module_spec and module_spec.loader
    draw_marks = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(draw_marks)
    colours = draw_marks.palette()
    shield = np.asarray(draw_marks.draw_shield(colours), dtype=np.int16)
    committed = np.asarray(Image.open(ASSETS / "marks" / "shield.png").convert("RGBA"), dtype=np.int16)
    assert shield.shape == committed.shape and np.abs(shield - committed).max() <= 1
    wordmark = draw_marks.draw_wordmark(colours)
    committed_word = Image.open(ASSETS / "marks" / "wordmark.png").convert("RGBA")
    assert wordmark.size == committed_word.size  # text rendering may differ by a grey level with the font version


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    copy = tmp_path / "pack"
    shutil.copytree(ASSETS, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "entry", "problem"),
    [
        ("identity.toml", 'hex = "#C8102E"', 'hex = "C8102E"', "palette #1", "#RRGGBB"),
        ("identity.toml", 'role = "secondary"', 'role = "accent"', "palette #2", "role must be one of"),
        ("identity.toml", 'file = "marks/shield.png"', 'file = "marks/crest.png"', "marks #1", "not found"),
        ("identity.toml", 'mark = "required"', 'mark = "always"', "avatar.profiles.corporate", "mark must be one of"),
        ("identity.toml", "[avatar.profiles.base]", "[avatar.profiles.faculty]", "avatar.profiles.faculty", "not a profile"),
        ("identity.toml", "palette_min_share = 0.5", "palette_min_share = 5", "avatar", "between"),
        ("identity.toml", 'guideline = "identity"', 'guideline = "logos"', "avatar", "not defined in pack.toml"),
        ("identity.toml", "[naming.base]", "[naming.faculty]", "naming.faculty", "not a profile"),
        ("identity.toml", '"Leicester [A-Z][A-Za-z&,\' -]+",', '"Leicester [A-Z",', "naming.department", "not a valid regular expression"),
        ("avatar_specs.toml", 'shape = "square"', 'shape = "hexagon"', "platforms.linkedin", "shape must be one of"),
        ("avatar_specs.toml", 'recommended = "third-party guides: 320x320"\n', "", "platforms.instagram", "needs its public source"),
        ("avatar_specs.toml", 'formats = ["PNG", "JPEG"]', 'formats = ["PNG", "HEIC"]', "platforms.bluesky", "not ones the checker reads"),
        ("avatar_specs.toml", "minimum = 46", "minimum = 4600", "platforms.mastodon", "minimum must not exceed recommended"),
    ],
)
def test_mistakes_name_the_file_the_entry_and_the_problem(pack, file, old, new, entry, problem):
    _edit(pack / file, old, new)
    with pytest.raises(PolicyError) as raised:
        read_visual_identity(read_policy(pack))
    error = raised.value
    assert Path(error.file).name == file
    assert error.rule == entry
    assert problem in error.problem


def test_a_mark_without_a_transparent_background_is_refused(pack):
    Image.new("RGBA", (64, 64), (200, 16, 46, 255)).save(pack / "marks" / "shield.png")
    with pytest.raises(PolicyError, match="no transparent background"):
        read_visual_identity(read_policy(pack))


def test_a_pack_without_platform_specs_uses_the_bundled_ones(pack):
    (pack / "avatar_specs.toml").unlink()
    identity = read_visual_identity(read_policy(pack))
    assert set(identity.platforms) == set(PLATFORMS)
    assert identity.platform("x").recommended == 400


def test_another_organisation_changes_data_not_code(pack):
    _edit(pack / "identity.toml", 'hex = "#C8102E"', 'hex = "#1E963C"')
    identity = read_visual_identity(read_policy(pack))
    assert identity.palette[0].hex == "#1E963C"
