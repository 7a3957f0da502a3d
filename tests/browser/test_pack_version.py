"""The policy pack in force (name and content hash, from /v1/health) in the popup and on the
toolbar button's tooltip."""

from __future__ import annotations

from browser_support import Browser, LiveServer

WAIT_MS = 15000


def test_the_popup_and_the_toolbar_button_name_the_pack_in_force(browser: Browser, live_server: LiveServer) -> None:
    pack = live_server.get("/v1/health")["pack"]
    expected = f"{pack['name']} ({pack['hash'][len('sha256:'):][:12]})"
    popup = browser.popup()
    popup.wait_for_function("expected => document.querySelector('#policy-pack').textContent === expected", arg=expected, timeout=WAIT_MS)
    assert popup.get_attribute("#policy-pack", "title").startswith(pack["hash"])
    assert popup.is_hidden("#pack-problem")
    title = popup.evaluate("chrome.action.getTitle({})")
    assert title == f"Socialcheck · {expected}"
    popup.close()
