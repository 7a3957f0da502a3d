"""Settings pushed by IT: Chrome enterprise policy for the extension ("3rdparty" policy, read by
Chromium on Linux from /etc/chromium/policies/managed/*.json) reaches chrome.storage.managed,
wins over the user's own settings, and is shown read-only in the options page.

Chromium reads policy files only as it starts, so this test starts its own Chromium. It loads a
copy of the extension without the manifest key, under an ID of its own: other engineers' browsers
on this machine, which load the real extension, never see this test's policy.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import Browser, LiveServer
from conftest import CHROMIUM, EXTENSION, TOKEN, _missing, extension_args

POLICY_DIR = Path("/etc/chromium/policies/managed")
WAIT_MS = 15000


def id_from_bytes(data: bytes) -> str:
    """Chrome's extension ID: the first 128 bits of a SHA-256, written with the letters a-p."""
    return "".join(chr(ord("a") + int(digit, 16)) for digit in hashlib.sha256(data).hexdigest()[:32])


def test_the_manifest_key_gives_the_extension_a_stable_id(browser: Browser) -> None:
    manifest = json.loads((EXTENSION / "manifest.json").read_text())
    # The ID IT names in its policy, the same on every computer and for every copy of the folder.
    assert browser.extension_id == id_from_bytes(base64.b64decode(manifest["key"]))


@pytest.fixture
def managed_chromium(tmp_path: Path, live_server: LiveServer, playwright_session: Any) -> Iterator[tuple[Any, str, dict[str, Any]]]:
    if not CHROMIUM.exists():
        _missing(f"Chromium is not installed at {CHROMIUM}")
    try:
        POLICY_DIR.mkdir(parents=True, exist_ok=True)
        probe = POLICY_DIR / f".socialcheck-probe-{uuid.uuid4().hex}"
        probe.write_text("{}")
        probe.unlink()
    except OSError as error:
        _missing(f"cannot write Chromium's policy folder {POLICY_DIR} ({error.strerror}): the test needs root")
    copy = tmp_path / "extension"
    shutil.copytree(EXTENSION, copy, ignore=shutil.ignore_patterns("test"))
    manifest = json.loads((copy / "manifest.json").read_text())
    del manifest["key"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    extension_id = id_from_bytes(str(copy).encode())  # an unpacked extension without a key: from its path

    pushed = {
        "serverUrl": live_server.url,
        "token": TOKEN,  # the live server's: the worker must send the pushed one, not the user's
        "profile": "department",
        "sites": {"x": False, "linkedin": True},
    }
    policy_file = POLICY_DIR / f"socialcheck-test-{uuid.uuid4().hex}.json"
    policy_file.write_text(json.dumps({"3rdparty": {"extensions": {extension_id: pushed}}}))
    try:
        context = playwright_session.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=extension_args(copy),
        )
        try:
            worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker", timeout=WAIT_MS)
            assert worker.url.split("/")[2] == extension_id
            yield context, extension_id, pushed
        finally:
            context.close()
    finally:
        policy_file.unlink(missing_ok=True)  # never leave policy behind for the machine's other browsers


def test_policy_settings_reach_managed_storage_win_and_are_read_only(managed_chromium: tuple[Any, str, dict[str, Any]], live_server: LiveServer) -> None:
    context, extension_id, pushed = managed_chromium
    page = context.new_page()
    page.goto(f"chrome-extension://{extension_id}/options/options.html")
    assert page.evaluate("chrome.storage.managed.get(null)") == pushed

    # The user's own settings say otherwise; the organisation's win.
    page.evaluate("chrome.storage.local.set({serverUrl: 'http://127.0.0.1:9', profile: 'corporate', token: 'mine', sites: {x: true, linkedin: false, facebook: false}})")
    settings = page.evaluate("async () => (await import('../lib/settings.js')).loadSettings()")
    assert settings["serverUrl"] == live_server.url
    assert settings["token"] == pushed["token"] and settings["profile"] == "department"
    assert settings["sites"]["x"] is False and settings["sites"]["linkedin"] is True
    assert settings["sites"]["facebook"] is False  # not pushed: the user's choice stands
    assert sorted(settings["managed"]) == ["profile", "serverUrl", "sites.linkedin", "sites.x", "token"]

    # The options page shows them, read-only, and says who set them.
    page.reload()
    page.wait_for_selector("#server-url[data-managed]", timeout=WAIT_MS)
    assert page.input_value("#server-url") == live_server.url
    assert page.is_disabled("#server-url") and page.is_disabled("#token")
    assert page.is_disabled("#profile-department") and page.is_checked("#profile-department")
    assert page.is_disabled("#site-x") and not page.is_checked("#site-x")
    assert not page.is_disabled("#site-facebook")
    assert page.locator(".managed").count() >= 4
    assert page.is_visible("#managed-note")

    # Saving keeps the user's own values underneath and changes nothing that is managed.
    page.check("#site-facebook")
    page.click("#save")
    page.wait_for_selector("#save-result.good", timeout=WAIT_MS)
    stored = page.evaluate("chrome.storage.local.get(null)")
    assert stored["serverUrl"] == "http://127.0.0.1:9" and stored["profile"] == "corporate" and stored["token"] == "mine"
    assert stored["sites"]["facebook"] is True and stored["sites"]["x"] is True

    # The worker talks to the pushed server with the pushed token (the user's would be refused).
    page.click("#test-connection")
    page.wait_for_selector("#connection-result.good", timeout=WAIT_MS)
    assert "Connected" in page.text_content("#connection-result")

    # The popup shows the pushed profile, and does not let it be changed.
    popup = context.new_page()
    popup.goto(f"chrome-extension://{extension_id}/popup/popup.html")
    popup.wait_for_function("document.querySelector('#profile').value === 'department'", timeout=WAIT_MS)
    assert popup.is_disabled("#profile")
    page.close()
    popup.close()


def test_without_policy_nothing_is_managed(browser: Browser) -> None:
    page = browser._page()
    assert page.evaluate("chrome.storage.managed.get(null)") == {}
    assert page.evaluate("async () => (await import('../lib/settings.js')).loadSettings()")["managed"] == []
    assert page.locator(".managed").count() == 0
