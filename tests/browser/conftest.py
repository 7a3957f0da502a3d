"""Fixtures for the browser tests: Debian's Chromium with the unpacked extension, the real
socialcheck server on a free port, and local pages that stand in for compose boxes.

Browser tests skip where /usr/bin/chromium is missing, unless SOCIALCHECK_REQUIRE_BROWSER=1
(as in CI), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ROOT, Browser, LiveServer

try:  # as a package (python -m pytest from the root) or with tests/ on the path
    from tests.live_server import static_site
except ImportError:
    from live_server import static_site

EXTENSION = ROOT / "extension"
PAGES = Path(__file__).resolve().parent / "pages"
CHROMIUM = Path(os.environ.get("SOCIALCHECK_CHROMIUM", "/usr/bin/chromium"))


def extension_args(extension: Path) -> list[str]:
    """Chromium's flags for a headless run with only this unpacked extension, and no network
    of its own beyond loopback (this machine refuses the rest)."""
    return [
        f"--disable-extensions-except={extension}",
        f"--load-extension={extension}",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
TOKEN = "browser-tests-pairing-token"
SERVER_START_SECONDS = 90


def _missing(reason: str) -> None:
    if os.environ.get("SOCIALCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (SOCIALCHECK_REQUIRE_BROWSER=1, so this is a failure, not a skip)")
    pytest.skip(reason)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- the real server ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`socialcheck serve`'s own code path (server.serve.run) in a subprocess, on a free port,
    with a config folder of its own (where it keeps the personal dictionary)."""
    config = tmp_path_factory.mktemp("socialcheck-config")
    code = (
        "import sys\n"
        "from server.serve import run\n"
        f"sys.exit(run(host='127.0.0.1', port=0, token={TOKEN!r}))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "SOCIALCHECK_CONFIG_DIR": str(config)},
    )
    lines: list[str] = []
    port = None
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if "listening on http://127.0.0.1:" in line:
            port = int(line.split("listening on http://127.0.0.1:")[1].split()[0])
            break
    if port is None:
        process.kill()
        pytest.fail("the socialcheck server did not start:\n" + "".join(lines))
    # Keep reading its output so it never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # type: ignore[union-attr]
    server = LiveServer(url=f"http://127.0.0.1:{port}", port=port, config=config)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        engines = server.get("/v1/health")["engines"]
        if all(engine.get("state") != "starting" for engine in engines.values()):
            break
        time.sleep(0.5)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


# --- local pages standing in for compose boxes -------------------------------------------------


@pytest.fixture(scope="session")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An HTTP server for the test pages, with the real editors (Lexical, Draft.js, ProseMirror,
    Quill) bundled from node_modules."""
    if not ESBUILD.exists():
        _missing("the test-only npm packages are not installed: run `npm install` (make test does)")
    site = tmp_path_factory.mktemp("pages")
    for page in PAGES.glob("*.html"):
        shutil.copy(page, site / page.name)
    # Each real editor framework is bundled from node_modules; nothing of theirs is in the repository.
    for entry in PAGES.glob("*.entry.js"):
        subprocess.run(
            [
                str(ESBUILD),
                str(entry),
                "--bundle",
                "--format=iife",
                "--define:process.env.NODE_ENV=\"production\"",
                "--define:global=window",
                f"--outfile={site / entry.name.replace('.entry.js', '.js')}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            check=True,
        )
    shutil.copy(ROOT / "node_modules" / "draft-js" / "dist" / "Draft.css", site / "draft-js.css")
    shutil.copy(ROOT / "node_modules" / "quill" / "dist" / "quill.core.css", site / "quill.core.css")
    with static_site(site) as port:
        yield f"http://127.0.0.1:{port}"


# --- Chromium with the extension ---------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Any]:
    """One Playwright for the session: its sync API allows no second one at the same time."""
    if not CHROMIUM.exists():
        _missing(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory, live_server: LiveServer, playwright_session: Any) -> Iterator[Browser]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = playwright_session.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        viewport={"width": 900, "height": 600},
        args=extension_args(EXTENSION),
    )
    try:
        worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker", timeout=15000)
        extension_id = worker.url.split("/")[2]
        chrome = Browser(context=context, extension_id=extension_id)
        chrome.storage_set({"serverUrl": live_server.url, "customSites": ["http://127.0.0.1"], "profile": "corporate"})
        deadline = time.monotonic() + 10
        while "http://127.0.0.1/*" not in chrome.registered_matches():
            assert time.monotonic() < deadline, "the worker did not register the content script for 127.0.0.1"
            time.sleep(0.1)
        yield chrome
    finally:
        context.close()
