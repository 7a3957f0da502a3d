"""`socialcheck image`: many files at once, a table or JSON, and an exit status for scripts."""

from __future__ import annotations

import base64
import json

import pytest

from checker.cli import main
from test_image import encode, on_brand, photo


@pytest.fixture
def avatars(tmp_path):
    folder = tmp_path / "avatars"
    folder.mkdir()
    (folder / "library.png").write_bytes(encode(on_brand(400)))
    (folder / "physics.jpg").write_bytes(encode(photo(300), "JPEG"))
    (folder / "README.txt").write_text("not an avatar")  # skipped: not an image suffix
    return folder


def test_a_folder_audit_prints_a_table_and_what_to_fix(avatars, capsys):
    status = main(["image", str(avatars)])
    out = capsys.readouterr().out
    assert status == 1
    lines = out.splitlines()
    assert lines[0].split() == ["FILE", "SIZE", "FORMAT", "ON", "PALETTE", "MARK", "RESULT"]
    library = next(line for line in lines if line.startswith(str(avatars / "library.png")))
    assert "400x400" in library and "shield" in library and library.rstrip().endswith("ready")
    physics = next(line for line in lines if line.startswith(str(avatars / "physics.jpg")))
    assert "300x300" in physics and "none" in physics and "1 error," in physics
    assert f"{avatars / 'physics.jpg'}: error   mark" in out
    assert "README" not in out
    assert "2 images checked for x: 1 ready, 1 to fix" in out


def test_json_output_has_one_report_per_file(avatars, capsys):
    status = main(["image", str(avatars / "library.png"), str(avatars / "physics.jpg"), "--json", "--platform", "instagram", "--profile", "department"])
    payload = json.loads(capsys.readouterr().out)
    assert status == 1
    assert [entry["file"] for entry in payload] == [str(avatars / "library.png"), str(avatars / "physics.jpg")]
    assert payload[0]["ok"] is True and payload[0]["metrics"]["platform"] == "instagram"
    assert payload[1]["metrics"]["profile"] == "department"
    assert base64.b64decode(payload[0]["preview_png"]).startswith(b"\x89PNG")


def test_json_for_one_file_is_one_report(avatars, capsys):
    assert main(["image", str(avatars / "library.png"), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["file"] == str(avatars / "library.png") and payload["ok"] is True


def test_all_ready_exits_zero(avatars, capsys):
    assert main(["image", str(avatars / "library.png")]) == 0
    assert "1 image checked for x: 1 ready, 0 to fix" in capsys.readouterr().out


def test_files_that_cannot_be_checked_exit_two(tmp_path, capsys):
    (tmp_path / "empty.png").write_bytes(b"")
    status = main(["image", str(tmp_path / "empty.png"), str(tmp_path / "missing.png")])
    out = capsys.readouterr().out
    assert status == 2
    assert "cannot check: the file is empty" in out and "cannot check: No such file or directory" in out


def test_an_unknown_platform_names_the_valid_ones(avatars, capsys):
    assert main(["image", str(avatars / "library.png"), "--platform", "myspace"]) == 2
    error = capsys.readouterr().err
    assert "unknown platform 'myspace'" in error and "mastodon" in error


def test_a_folder_without_images(tmp_path, capsys):
    assert main(["image", str(tmp_path)]) == 2
    assert "no image files found" in capsys.readouterr().err
