"""`socialcheck image FILE|FOLDER...`: check many profile images at once.

An audit of every departmental avatar in a folder prints one row per image
(table by default, or JSON) and then what to fix in each. Exit status as the
other commands: 0 all ready, 1 something at error or warning level, 2 a file
that could not be checked at all (missing, unreadable or empty).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from checker.errors import InputError
from checker.image.check import check_image
from checker.image.report import ImageReport
from checker.policy import Policy

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif"})
EXIT_CLEAN, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
# Never read more than this from one file: far above any platform's avatar limit.
MAX_FILE_BYTES = 64 * 1024 * 1024


def expand(paths: list[str]) -> list[Path]:
    """Files as given; folders become their image files (not recursive), sorted by name."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES))
        else:
            files.append(path)
    return files


def _read(path: Path) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"the file is over {MAX_FILE_BYTES // (1024 * 1024)} MB, far larger than any profile image")
    if not data:
        raise InputError("the file is empty (0 bytes)")
    return data


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _cells(name: str, report: ImageReport) -> list[str]:
    metrics = report.metrics
    size = f"{metrics['width']}x{metrics['height']}" if "width" in metrics else "?"
    palette = f"{metrics['palette_share']:.0%}" if "palette_share" in metrics else "-"
    mark = metrics.get("mark")
    mark_text = (mark["name"] if mark["found"] else "none") if mark else "-"
    counts = report.counts
    if report.ok:
        verdict = "ready" + (f" ({_plural(counts['info'], 'note')})" if counts["info"] else "")
    else:
        verdict = f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}"
    return [name, size, str(metrics.get("format", "?")), palette, mark_text, verdict]


def _table(rows: list[list[str]]) -> str:
    header = ["FILE", "SIZE", "FORMAT", "ON PALETTE", "MARK", "RESULT"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]]
    return "\n".join(lines)


def run(paths: list[str], *, platform: str, profile: str | None, policy: Policy, as_json: bool, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    files = expand(paths)
    if not files:
        print("socialcheck image: no image files found (.png, .jpg, .jpeg, .webp, .gif)", file=sys.stderr)
        return EXIT_ERROR
    status = EXIT_CLEAN
    rows: list[list[str]] = []
    details: list[str] = []
    results: list[dict[str, Any]] = []
    for path in files:
        try:
            report = check_image(_read(path), platform, profile, policy=policy)
        except (OSError, InputError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            status = EXIT_ERROR
            rows.append([str(path), "-", "-", "-", "-", f"cannot check: {reason}"])
            results.append({"file": str(path), "error": reason})
            continue
        if not report.ok and status == EXIT_CLEAN:
            status = EXIT_FOUND
        rows.append(_cells(str(path), report))
        results.append({"file": str(path), **report.to_dict()})
        for finding in report.findings:
            details.append(f"{path}: {finding.severity:<7} {finding.category:<12} {finding.message}")
    if as_json:
        # As `socialcheck text`: one report on its own, several as a list.
        print(json.dumps(results[0] if len(results) == 1 else results, ensure_ascii=False, indent=2), file=out)
        return status
    print(_table(rows), file=out)
    if details:
        print("", file=out)
        print("\n".join(details), file=out)
    checked = sum(1 for r in results if "error" not in r)
    ready = sum(1 for r in results if r.get("ok"))
    print(f"\n{_plural(checked, 'image')} checked for {platform}: {ready} ready, {checked - ready} to fix", file=out)
    return status
