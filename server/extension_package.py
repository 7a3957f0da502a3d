"""The browser extension as shipped: its folder (for *Load unpacked*) and a versioned zip.

In a checkout the extension is `extension/` beside this package; an installed wheel carries a
copy as `server/extension/` (see pyproject.toml). The zip's manifest takes the package's version,
so the extension and the server it talks to are always released together.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from checker import __version__

# Shipped with the extension's folder but not part of the extension itself.
_LEFT_OUT_DIRS = frozenset({"test", "__pycache__", "node_modules"})
_LEFT_OUT_SUFFIXES = (".py", ".pyc")
# A fixed time for every entry: the same sources give the same zip, byte for byte.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def extension_dir() -> Path:
    """The unpacked extension: the wheel's copy when installed, else the checkout's extension/."""
    here = Path(__file__).resolve().parent
    installed = here / "extension"
    return installed if (installed / "manifest.json").is_file() else here.parent / "extension"


def chrome_version(version: str = __version__) -> str:
    """The package version as Chrome accepts it: one to four dot-separated numbers (0.2.0.dev1 -> 0.2.0)."""
    numbers = re.match(r"\d+(?:\.\d+){0,3}", version)
    if numbers is None:
        raise ValueError(f"the package version {version!r} does not start with a number")
    return numbers.group(0)


def extension_files(folder: Path | None = None) -> list[Path]:
    """The files that make up the extension, relative to its folder, in a stable order."""
    folder = folder or extension_dir()
    files = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or any(part in _LEFT_OUT_DIRS or part.startswith(".") for part in relative.parts):
            continue
        if path.suffix in _LEFT_OUT_SUFFIXES:
            continue
        files.append(relative)
    return files


def packaged_manifest(folder: Path | None = None, *, version: str = __version__, keep_key: bool = True) -> dict[str, object]:
    """manifest.json as it goes into the zip: the package's version, and the key unless asked not to."""
    folder = folder or extension_dir()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = chrome_version(version)
    if chrome_version(version) != version:
        manifest["version_name"] = version
    if not keep_key:
        # The Chrome Web Store gives the item its own key (and so its ID) and refuses one in the upload.
        manifest.pop("key", None)
        # Firefox's keys: the Chrome Web Store build is for Chrome alone, which lists them as errors.
        manifest.pop("browser_specific_settings", None)
        background = manifest.get("background")
        if isinstance(background, dict):
            background.pop("scripts", None)
    return manifest


def build_zip(output: str | Path, *, folder: Path | None = None, version: str = __version__, keep_key: bool = True) -> Path:
    """Write the extension's zip (for the Chrome Web Store or an enterprise install); returns its path."""
    folder = folder or extension_dir()
    output = Path(output)
    if output.suffix.lower() != ".zip":
        raise ValueError(f"the output file {output} should end in .zip")
    output.parent.mkdir(parents=True, exist_ok=True)
    manifest = packaged_manifest(folder, version=version, keep_key=keep_key)
    partial = output.with_name(output.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in extension_files(folder):
            name = relative.as_posix()
            data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode() if name == "manifest.json" else (folder / relative).read_bytes()
            entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    partial.replace(output)  # never a half-written zip under the real name
    return output
