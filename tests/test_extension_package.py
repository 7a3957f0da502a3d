"""`socialcheck extension path` and `socialcheck extension build` from the checkout."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from checker import __version__
from checker.cli import main
from server.extension_package import build_zip, chrome_version, extension_dir

ROOT = Path(__file__).resolve().parents[1]


def test_path_is_the_checkouts_extension(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extension", "path"]) == 0
    assert Path(capsys.readouterr().out.strip()) == ROOT / "extension"


def test_build_writes_a_zip_versioned_with_the_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out" / "socialcheck-extension.zip"
    assert main(["extension", "build", "--output", str(output)]) == 0
    assert str(output) in capsys.readouterr().out
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["version"] == __version__
    assert manifest["storage"]["managed_schema"] in names
    assert "key" in manifest  # a stable extension ID for enterprise installs
    for needed in ("background.js", "popup/popup.html", "options/options.js", "lib/settings.js", "icons/icon128.png"):
        assert needed in names
    assert not [n for n in names if n.startswith("test/") or n.endswith(".py")]
    # Every file the extension's folder holds, apart from its tests, is in the zip.
    on_disk = {p.relative_to(extension_dir()).as_posix() for p in extension_dir().rglob("*") if p.is_file()}
    assert {n for n in on_disk if not n.startswith("test/") and not n.endswith((".py", ".pyc")) and "__pycache__" not in n} == set(names)


def test_build_is_reproducible(tmp_path: Path) -> None:
    first = build_zip(tmp_path / "a.zip").read_bytes()
    second = build_zip(tmp_path / "b.zip").read_bytes()
    assert first == second


def test_build_for_the_store_leaves_out_the_key(tmp_path: Path) -> None:
    with zipfile.ZipFile(build_zip(tmp_path / "store.zip", keep_key=False)) as archive:
        assert "key" not in json.loads(archive.read("manifest.json"))


def test_a_development_version_becomes_numbers_chrome_accepts(tmp_path: Path) -> None:
    assert chrome_version("0.2.0.dev1") == "0.2.0"
    assert chrome_version("1.4") == "1.4"
    with zipfile.ZipFile(build_zip(tmp_path / "dev.zip", version="0.2.0rc1")) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert (manifest["version"], manifest["version_name"]) == ("0.2.0", "0.2.0rc1")


def test_a_wrong_output_name_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extension", "build", "--output", str(tmp_path / "socialcheck.crx")]) == 2
    assert "should end in .zip" in capsys.readouterr().err


def test_the_checkouts_manifest_carries_the_package_version() -> None:
    # Kept equal so that Load unpacked and the zip report the same version.
    assert json.loads((ROOT / "extension" / "manifest.json").read_text())["version"] == chrome_version(__version__)


def test_the_store_build_leaves_out_firefox_keys():
    from server.extension_package import packaged_manifest

    store = packaged_manifest(keep_key=False)
    assert "browser_specific_settings" not in store and "scripts" not in store["background"]
    assert "key" not in store and store["background"]["service_worker"] == "background.js"
    assert "browser_specific_settings" in packaged_manifest()  # the enterprise and Firefox build keeps them
