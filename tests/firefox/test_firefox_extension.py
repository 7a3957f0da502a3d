"""The same extension folder in Debian's Firefox ESR against the real server.

Firefox is driven over WebDriver BiDi by puppeteer-core (tests/firefox/drive_firefox.mjs), which
installs extension/ as a temporary add-on, exactly as about:debugging's "Load Temporary Add-on"
does. BiDi may not open moz-extension:// pages, so the settings (the server's address and the
local test site) reach the extension the way IT pushes them in Firefox: a managed-storage
manifest, here under a HOME of the test's own, which no other Firefox on the machine reads.

Skips where Firefox ESR, Node or the npm packages are missing, unless SOCIALCHECK_REQUIRE_BROWSER=1
(as in CI), where it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
PAGES = ROOT / "tests" / "browser" / "pages"
DRIVER = Path(__file__).resolve().parent / "drive_firefox.mjs"
FIREFOX = Path(os.environ.get("SOCIALCHECK_FIREFOX", "/usr/bin/firefox-esr"))
PUPPETEER = ROOT / "node_modules" / "puppeteer-core" / "package.json"
SCREENSHOTS = Path(os.environ.get("TMPDIR", "/tmp")) / "socialcheck-screenshots"
DRAFT = "🎉 HUGE news from Leicester Uni"
# Firefox's start, the install and two pages take about 8 s here; a hung browser must not hang CI.
DRIVER_TIMEOUT_SECONDS = 120

MANIFEST = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
GECKO_ID = MANIFEST["browser_specific_settings"]["gecko"]["id"]


def _missing(reason: str) -> None:
    if os.environ.get("SOCIALCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (SOCIALCHECK_REQUIRE_BROWSER=1, so this is a failure, not a skip)")
    pytest.skip(reason)


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    """The local compose pages (a textarea and a contenteditable box), served over HTTP."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(PAGES)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The real server on a free loopback port (grammar off: the draft's findings are the policy's)."""
    try:
        from tests.live_server import waitress_server
    except ImportError:
        from live_server import waitress_server

    with waitress_server({"SOCIALCHECK_GRAMMAR": False}) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def firefox_run(tmp_path_factory: pytest.TempPathFactory, pages: str, server: str) -> dict[str, Any]:
    if not FIREFOX.exists():
        _missing(f"Firefox ESR is not installed at {FIREFOX} (Debian: apt-get install firefox-esr)")
    node = shutil.which("node")
    if node is None:
        _missing("Node is not installed: the Firefox test drives Firefox with puppeteer-core")
    if not PUPPETEER.exists():
        _missing("the test-only npm packages are not installed: run `npm install` (make test does)")
    server_url = server
    home = tmp_path_factory.mktemp("firefox-home")
    # Firefox's managed storage on Linux, per user: ~/.mozilla/managed-storage/<add-on ID>.json.
    managed = home / ".mozilla" / "managed-storage"
    managed.mkdir(parents=True)
    (managed / f"{GECKO_ID}.json").write_text(
        json.dumps(
            {
                "name": GECKO_ID,
                "description": "Socialcheck settings pushed by IT (test)",
                "type": "storage",
                "data": {"serverUrl": server_url, "customSites": ["http://127.0.0.1"], "profile": "corporate"},
            }
        )
    )
    args = {
        "firefox": str(FIREFOX),
        "extension": str(EXTENSION),
        "home": str(home),
        "pages": pages,
        "pageNames": ["textarea.html", "contenteditable.html"],
        "draft": DRAFT,
        "expectedSpans": len(expected_spans(server)[1]),
        "screenshots": str(SCREENSHOTS),
    }
    try:
        done = subprocess.run(
            [node, str(DRIVER), json.dumps(args)], cwd=ROOT, capture_output=True, text=True, timeout=DRIVER_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"Firefox did not finish within {DRIVER_TIMEOUT_SECONDS} s")
    assert done.returncode == 0, f"the Firefox driver failed:\n{done.stderr[-4000:]}"
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in report, report["error"]
    return report


def expected_spans(server: str) -> tuple[dict[str, Any], list[list[str]]]:
    """What the server itself says about the draft, as sorted [severity, covered text] pairs."""
    request = urllib.request.Request(
        f"{server}/v1/check/text",
        data=json.dumps({"text": DRAFT, "platform": "generic", "profile": "corporate"}).encode(),
        headers={"Content-Type": "application/json", "X-Socialcheck-Client": "pytest"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        report = json.loads(answer.read())
    return report, sorted([f["severity"], utf16_slice(DRAFT, f["start"], f["end"])] for f in report["findings"])


def page_seen(report: dict[str, Any], name: str) -> dict[str, Any]:
    (seen,) = [page for page in report["pages"] if page["page"] == name]
    assert "waitError" not in seen, f"{seen['waitError']}\nwhat Firefox showed: {seen}"
    return seen


def test_firefox_installs_the_extension_folder_under_its_gecko_id(firefox_run: dict[str, Any]) -> None:
    # Before the manifest named background.scripts, Firefox refused the folder outright:
    # "background.service_worker is currently disabled. Add background.scripts."
    assert firefox_run["version"].startswith("firefox/")
    assert firefox_run["extensionId"] == GECKO_ID


def test_a_textarea_in_firefox_gets_the_servers_findings_drawn_over_its_text(firefox_run: dict[str, Any], server: str) -> None:
    report, spans = expected_spans(server)
    assert len(spans) >= 2  # the draft has findings to draw: a warning and a tip at least
    seen = page_seen(firefox_run, "textarea.html")
    # The managed settings reached the extension: it asked this test's server, on its random port.
    assert seen["state"] == "result"
    assert seen["counts"] == report["counts"]
    assert sorted([mark["severity"], mark["text"]] for mark in seen["marks"]) == spans
    area = seen["draftBox"]
    for mark in seen["marks"]:
        box = mark["box"]
        assert area["x"] < box["x"] < area["x"] + area["width"], mark
        assert area["y"] < box["y"] < area["y"] + area["height"], mark


def test_a_contenteditable_box_in_firefox_is_underlined_with_css_highlights(firefox_run: dict[str, Any], server: str) -> None:
    report, spans = expected_spans(server)
    seen = page_seen(firefox_run, "contenteditable.html")
    assert seen["highlightApi"], "this Firefox has no CSS Custom Highlight API (Firefox 140 and later have it)"
    assert sorted(seen["highlights"]) == spans
    assert seen["counts"] == report["counts"]


def test_the_panel_shortcut_opens_the_findings_in_firefox(firefox_run: dict[str, Any], server: str) -> None:
    report, _ = expected_spans(server)
    for name in ("textarea.html", "contenteditable.html"):
        seen = page_seen(firefox_run, name)
        assert "panelError" not in seen, f"Alt+Shift+S opened no panel on {name}: {seen['panelError']}"
        assert seen["panelItems"] == len(report["findings"])
