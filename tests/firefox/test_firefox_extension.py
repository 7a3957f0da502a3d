"""The same extension folder in Debian's Firefox ESR against the real server.

Firefox is driven over WebDriver BiDi by puppeteer-core (tests/firefox/drive_firefox.mjs), which
installs extension/ as a temporary add-on, exactly as about:debugging's "Load Temporary Add-on"
does. BiDi may not open moz-extension:// pages, so the settings (the server's address and the
local test site) reach the extension the way IT pushes them in Firefox: a managed-storage
manifest, here under a HOME of the test's own, which no other Firefox on the machine reads.
A second Firefox, with nothing pushed, opens a built-in site's address, which Firefox resolves to
a local HTTPS server, to see the manifest's own content script run with the user's defaults.

Skips where Firefox ESR, Node or the npm packages are missing, unless SOCIALCHECK_REQUIRE_BROWSER=1
(as in CI), where it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

try:  # as a package (python -m pytest from the root) or with tests/ on the path
    from tests.live_server import static_site
except ImportError:
    from live_server import static_site

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
PAGES = ROOT / "tests" / "browser" / "pages"
DRIVER = Path(__file__).resolve().parent / "drive_firefox.mjs"
FIREFOX = Path(os.environ.get("SOCIALCHECK_FIREFOX", "/usr/bin/firefox-esr"))
PUPPETEER = ROOT / "node_modules" / "puppeteer-core" / "package.json"
SCREENSHOTS = Path(tempfile.gettempdir()) / "socialcheck-screenshots"  # as the Chromium tests keep theirs
DRAFT = "🎉 HUGE news from Leicester Uni"
# One Firefox run (start, install, pages) takes 5-12 s here; a hung browser must not hang CI.
DRIVER_TIMEOUT_SECONDS = 120

MANIFEST = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
GECKO_ID = MANIFEST["browser_specific_settings"]["gecko"]["id"]
# A built-in site the manifest's own content script runs on, unlikely to be on Firefox's HSTS
# preload list (which would refuse the test's certificate): "https://*.mastodon.ac.uk/*".
BUILT_IN_HOST = "mastodon.ac.uk"
DEFAULT_SERVER_PORT = 8765
BACKGROUND_IDLE_MS = 1000


def _missing(reason: str) -> None:
    if os.environ.get("SOCIALCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (SOCIALCHECK_REQUIRE_BROWSER=1, so this is a failure, not a skip)")
    pytest.skip(reason)


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    """The local compose pages (a textarea and a contenteditable box), served over HTTP."""
    with static_site(PAGES) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The real server on a free loopback port (grammar off: the draft's findings are the policy's)."""
    try:
        from tests.live_server import waitress_server
    except ImportError:
        from live_server import waitress_server

    with waitress_server({"SOCIALCHECK_GRAMMAR": False}) as port:
        yield f"http://127.0.0.1:{port}"


def _require_firefox() -> str:
    """Node's path, once Firefox ESR, Node and puppeteer-core are known to be there."""
    if not FIREFOX.exists():
        _missing(f"Firefox ESR is not installed at {FIREFOX} (Debian: apt-get install firefox-esr)")
    node = shutil.which("node")
    if node is None:
        _missing("Node is not installed: the Firefox test drives Firefox with puppeteer-core")
    if not PUPPETEER.exists():
        _missing("the test-only npm packages are not installed: run `npm install` (make test does)")
    return node  # type: ignore[return-value]


def _drive(node: str, home: Path, pages: list[dict[str, Any]], expected_spans: int, background_idle_ms: int | None = None) -> dict[str, Any]:
    args = {
        "firefox": str(FIREFOX),
        "extension": str(EXTENSION),
        "home": str(home),
        "pages": pages,
        "draft": DRAFT,
        "expectedSpans": expected_spans,
        "localDomains": BUILT_IN_HOST,
        "backgroundIdleMs": background_idle_ms,
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


@pytest.fixture(scope="module")
def firefox_run(tmp_path_factory: pytest.TempPathFactory, pages: str, server: str) -> dict[str, Any]:
    """Firefox with the settings pushed as IT would, on the local compose pages."""
    node = _require_firefox()
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
                "data": {"serverUrl": server, "customSites": ["http://127.0.0.1"], "profile": "corporate"},
            }
        )
    )
    compose = [{"name": name, "url": f"{pages}/{name}.html", "panel": True} for name in ("textarea", "contenteditable")]
    # Firefox suspends an idle background page as Chrome stops an idle worker; here after 1 s, not 30.
    compose.append({"name": "after-idle", "url": f"{pages}/textarea.html", "panel": False, "waitBeforeTypingMs": 3 * BACKGROUND_IDLE_MS})
    return _drive(node, home, compose, len(expected_spans(server)[1]), BACKGROUND_IDLE_MS)


@pytest.fixture(scope="module")
def built_in_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The textarea page at a built-in site's own name (Firefox resolves it to loopback), over
    HTTPS with a certificate made here, so that the manifest's own content script runs there."""
    openssl = shutil.which("openssl")
    if openssl is None:
        _missing("openssl is not installed: the Firefox test makes a certificate with it")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={BUILT_IN_HOST}", "-addext", f"subjectAltName=DNS:{BUILT_IN_HOST}"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with static_site(PAGES, tls=context) as port:
        yield f"https://{BUILT_IN_HOST}:{port}"


@pytest.fixture(scope="module")
def unmanaged_run(tmp_path_factory: pytest.TempPathFactory, built_in_site: str) -> dict[str, Any]:
    """Firefox as most staff have it: no policy, so storage.managed holds nothing, and the
    extension's own defaults: the server at 127.0.0.1:8765."""
    node = _require_firefox()
    home = tmp_path_factory.mktemp("firefox-home-unmanaged")
    return _drive(node, home, [{"name": "built-in-site", "url": f"{built_in_site}/textarea.html", "panel": False}], 1)


def expected_spans(server: str) -> tuple[dict[str, Any], list[list[str]]]:
    """What the server itself says about the draft, as sorted [severity, covered text] pairs."""
    request = urllib.request.Request(
        f"{server}/v1/check/text",
        data=json.dumps({"text": DRAFT, "platform": "generic", "profile": "corporate"}).encode(),
        headers={"Content-Type": "application/json", "X-Socialcheck-Client": "pytest"},
    )
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
    with direct.open(request, timeout=30) as answer:
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
    seen = page_seen(firefox_run, "textarea")
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
    seen = page_seen(firefox_run, "contenteditable")
    assert seen["highlightApi"], "this Firefox has no CSS Custom Highlight API (Firefox 140 and later have it)"
    assert sorted(seen["highlights"]) == spans
    assert seen["counts"] == report["counts"]


def test_the_panel_shortcut_opens_the_findings_in_firefox(firefox_run: dict[str, Any], server: str) -> None:
    report, _ = expected_spans(server)
    for name in ("textarea", "contenteditable"):
        seen = page_seen(firefox_run, name)
        assert "panelError" not in seen, f"Alt+Shift+S opened no panel on {name}: {seen['panelError']}"
        assert seen["panelItems"] == len(report["findings"])


def test_the_background_page_suspended_when_idle_wakes_for_the_next_check(firefox_run: dict[str, Any], server: str) -> None:
    report, spans = expected_spans(server)
    seen = page_seen(firefox_run, "after-idle")
    assert seen["state"] == "result"
    assert seen["counts"] == report["counts"]
    assert sorted([mark["severity"], mark["text"]] for mark in seen["marks"]) == spans


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_with_nothing_pushed_firefox_checks_a_built_in_site_and_says_when_the_server_is_down(unmanaged_run: dict[str, Any]) -> None:
    assert f"https://*.{BUILT_IN_HOST}/*" in MANIFEST["content_scripts"][0]["matches"]
    seen = page_seen(unmanaged_run, "built-in-site")
    # The manifest's content script ran (no registration needed), and the settings loaded although
    # Firefox has no managed storage for the add-on: the badge is there, for the site's network.
    assert seen["state"] in ("result", "error"), seen
    assert seen["platform"] == "mastodon"
    assert seen["draftText"] == DRAFT
    if not _listening(DEFAULT_SERVER_PORT):
        # Nothing at the default address: the badge says so.
        assert seen["state"] == "error", seen
        assert "not running" in seen["badgeText"], seen["badgeText"]
