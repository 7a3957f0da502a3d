"""The extension in Debian's Chromium against the real server: underlines, the card, applying a
suggestion, the badge, the popup's image checker, and what happens when the server is down."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from PIL import Image, ImageDraw

from browser_support import SCREENSHOTS, Browser, LiveServer, data_url, png_bytes

DRAFT = "🎉 HUGE news from Leicester Uni"
FIXED = "🎉 HUGE news from University of Leicester"
WAIT_MS = 15000

UI = "#socialcheck-ui"
BADGE = f"{UI} .badge"
CARD = f"{UI} .card"

# Every range in the page's CSS Custom Highlights, as [severity, covered text].
READ_HIGHLIGHTS = """() => {
  const out = [];
  for (const [name, highlight] of CSS.highlights) {
    if (!name.startsWith('socialcheck-')) continue;
    for (const range of highlight) out.push([name.slice('socialcheck-'.length), range.toString()]);
  }
  return out;
}"""

RANGE_RECT = """(text) => {
  for (const [, highlight] of CSS.highlights) {
    for (const range of highlight) {
      if (range.toString() === text) {
        const r = range.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2};
      }
    }
  }
  return null;
}"""


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def server_spans(server: LiveServer, text: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """What the server itself says about `text`, as (severity, covered text) pairs."""
    report = server.post_json("/v1/check/text", {"text": text, "platform": "generic", "profile": "corporate"})
    spans = sorted((f["severity"], utf16_slice(text, f["start"], f["end"])) for f in report["findings"])
    return report, spans


def badge_counts(page: Any) -> dict[str, int]:
    badge = page.locator(BADGE)
    return {
        severity: int(badge.locator(f'.count[data-severity="{severity}"]').get_attribute("data-count"))
        for severity in ("error", "warning", "info")
    }


def wait_for_highlights(page: Any, expected: list[tuple[str, str]]) -> None:
    page.wait_for_function(
        f"expected => JSON.stringify(({READ_HIGHLIGHTS})().sort()) === JSON.stringify(expected)",
        arg=[list(pair) for pair in expected],
        timeout=WAIT_MS,
    )


def open_compose(browser: Browser, pages: str, name: str) -> Any:
    page = browser.context.new_page()
    page.goto(f"{pages}/{name}")
    page.click("#draft")
    page.keyboard.type(DRAFT)
    page.wait_for_selector(f'{BADGE}[data-state="result"]', timeout=WAIT_MS)
    return page


@pytest.mark.parametrize("name", ["contenteditable.html", "lexical.html", "draftjs.html", "prosemirror.html", "quill.html"])
def test_contenteditable_editors_are_underlined_and_fixed(browser: Browser, pages: str, live_server: LiveServer, name: str) -> None:
    page = open_compose(browser, pages, name)
    report, expected = server_spans(live_server, DRAFT)
    assert {span for _, span in expected} >= {"HUGE", "Leicester Uni"}

    # The emoji before them counts two UTF-16 units: the underlines still cover the right words.
    wait_for_highlights(page, expected)
    assert badge_counts(page) == report["counts"]
    assert page.locator(f"{BADGE} .platform").text_content() == "Any site"
    assert "Grammar on" in page.locator(BADGE).text_content()

    if name == "contenteditable.html":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "underlines-and-badge.png"), clip={"x": 0, "y": 0, "width": 720, "height": 300})

    # Hovering the underline shows the card with the message, handbook point and suggestion.
    point = page.evaluate(RANGE_RECT, "Leicester Uni")
    page.mouse.move(point["x"], point["y"])
    card = page.locator(CARD)
    card.wait_for(timeout=WAIT_MS)
    brand = next(f for f in report["findings"] if utf16_slice(DRAFT, f["start"], f["end"]) == "Leicester Uni")
    assert card.locator(".message").text_content() == brand["message"]
    assert brand["guideline"] in card.locator(".guideline").text_content()
    if name == "contenteditable.html":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "underlines-and-card.png"), clip={"x": 0, "y": 0, "width": 720, "height": 420})

    card.locator(f'.suggestion[data-suggestion="{brand["suggestions"][0]}"]').click()
    page.wait_for_function("() => document.querySelector('#draft').innerText.trim() === " + repr(FIXED), timeout=WAIT_MS)
    if name == "lexical.html":
        # Lexical's own model took the change, so the site would post the fixed text.
        assert page.evaluate("() => window.lexicalText()") == FIXED
    if name == "draftjs.html":
        assert page.evaluate("() => window.draftText()") == FIXED
    if name in ("prosemirror.html", "quill.html"):
        assert page.evaluate("() => window.editorText()") == FIXED

    report_after, expected_after = server_spans(live_server, FIXED)
    wait_for_highlights(page, expected_after)
    page.wait_for_function(
        "n => document.querySelector('#socialcheck-ui').shadowRoot.querySelector('.count.warning').dataset.count === String(n)",
        arg=report_after["counts"]["warning"],
        timeout=WAIT_MS,
    )
    assert badge_counts(page) == report_after["counts"]
    page.close()


def test_ignore_hides_a_finding_for_this_draft(browser: Browser, pages: str, live_server: LiveServer) -> None:
    page = open_compose(browser, pages, "contenteditable.html")
    _, expected = server_spans(live_server, DRAFT)
    wait_for_highlights(page, expected)
    before = badge_counts(page)

    point = page.evaluate(RANGE_RECT, "HUGE")
    page.mouse.click(point["x"], point["y"])
    page.locator(f"{CARD} .ignore").click()

    (ignored,) = [pair for pair in expected if pair[1] == "HUGE"]
    wait_for_highlights(page, [pair for pair in expected if pair != ignored])
    assert badge_counts(page)[ignored[0]] == before[ignored[0]] - 1
    assert page.locator("#draft").inner_text().strip() == DRAFT
    page.close()


def test_textarea_overlay_marks_the_spans_and_a_fix_fires_input(browser: Browser, pages: str, live_server: LiveServer) -> None:
    page = open_compose(browser, pages, "textarea.html")
    report, expected = server_spans(live_server, DRAFT)
    marks = page.locator(f"{UI} .mark")
    page.wait_for_function(
        "n => document.querySelector('#socialcheck-ui').shadowRoot.querySelectorAll('.mark').length === n",
        arg=len(expected),
        timeout=WAIT_MS,
    )
    drawn = sorted((m.get_attribute("class").split()[1], m.text_content()) for m in marks.all())
    assert drawn == expected
    assert badge_counts(page) == report["counts"]

    # The overlay lies over the textarea's text: the mark sits inside the textarea's box.
    mark = page.locator(f'{UI} .mark[data-rule="brand.name_forms"]')
    mark_box = mark.bounding_box()
    area_box = page.locator("#draft").bounding_box()
    assert area_box["x"] < mark_box["x"] < area_box["x"] + area_box["width"]
    assert area_box["y"] < mark_box["y"] < area_box["y"] + area_box["height"]

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "textarea-overlay.png"), clip={"x": 0, "y": 0, "width": 720, "height": 340})

    events_before = int(page.locator("#events").text_content())
    page.mouse.move(mark_box["x"] + mark_box["width"] / 2, mark_box["y"] + mark_box["height"] / 2)
    page.locator(f"{CARD} .suggestion").first.click()
    assert page.input_value("#draft") == FIXED
    assert int(page.locator("#events").text_content()) > events_before  # the page's own listener saw it
    page.wait_for_function(
        "() => !document.querySelector('#socialcheck-ui').shadowRoot.querySelector('.mark[data-rule=\"brand.name_forms\"]')",
        timeout=WAIT_MS,
    )
    page.close()


def test_the_worker_is_stopped_and_checking_goes_on(browser: Browser, pages: str, live_server: LiveServer) -> None:
    """Chrome stops an idle worker: the next check wakes it and finds the settings in storage."""
    browser.stop_worker()
    page = open_compose(browser, pages, "textarea.html")
    report, _ = server_spans(live_server, DRAFT)
    assert badge_counts(page) == report["counts"]
    page.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_stopped_server_is_explained_and_the_text_is_kept(browser: Browser, pages: str, live_server: LiveServer) -> None:
    browser.storage_set({"serverUrl": f"http://127.0.0.1:{_free_port()}"})
    try:
        page = browser.context.new_page()
        page.goto(f"{pages}/textarea.html")
        page.click("#draft")
        page.keyboard.type(DRAFT)
        badge = page.locator(f'{BADGE}[data-state="error"]')
        badge.wait_for(timeout=WAIT_MS)
        assert "Server not running" in badge.text_content()
        badge.click()
        help_text = page.locator(CARD).text_content()
        assert "socialcheck serve" in help_text and "socialcheck autostart on" in help_text
        assert page.input_value("#draft") == DRAFT
        page.close()

        popup = browser.popup()
        status = popup.locator('#server-status[data-state="down"]')
        status.wait_for(timeout=WAIT_MS)
        assert status.text_content() == "Not running"
        assert "socialcheck autostart on" in popup.locator("#server-help").text_content()
        popup.close()
    finally:
        browser.storage_set({"serverUrl": live_server.url})


def off_brand_image() -> bytes:
    """A wide, lime-green logo-less picture: the wrong shape and colours for a profile image."""
    image = Image.new("RGB", (300, 120), (40, 220, 40))
    pen = ImageDraw.Draw(image)
    pen.ellipse((120, 20, 200, 100), fill=(250, 0, 200))
    return png_bytes(image)


def test_an_off_brand_image_dropped_on_the_popup_shows_its_findings(browser: Browser, live_server: LiveServer) -> None:
    image = off_brand_image()
    expected = live_server.post_image("/v1/check/image", image, {"platform": "x", "profile": "corporate"})
    assert expected["findings"], "the test image should break the identity"

    popup = browser.popup()
    popup.locator('#server-status[data-state="ok"]').wait_for(timeout=WAIT_MS)
    assert popup.locator("#server-version").text_content() == live_server.get("/v1/health")["version"]
    assert "Harper on" in popup.locator("#grammar-engine").text_content()

    popup.evaluate(
        """async (url) => {
          const blob = await (await fetch(url)).blob();
          const data = new DataTransfer();
          data.items.add(new File([blob], "avatar.png", {type: "image/png"}));
          const zone = document.getElementById("drop-zone");
          for (const type of ["dragenter", "dragover", "drop"]) {
            zone.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true, cancelable: true}));
          }
        }""",
        data_url(image),
    )
    popup.wait_for_selector('#image-result[data-checked="avatar.png"]', timeout=WAIT_MS)
    shown = sorted(item.get_attribute("data-rule") for item in popup.locator("#image-result li.finding").all())
    assert shown == sorted(f["rule"] for f in expected["findings"])
    preview = popup.locator("#image-result .preview img")
    assert preview.get_attribute("src").startswith("data:image/png;base64,")
    assert popup.evaluate("() => document.querySelector('#image-result .preview img').naturalWidth") > 0
    popup.set_viewport_size({"width": 380, "height": 760})
    popup.screenshot(path=str(SCREENSHOTS / "popup-image-check.png"), full_page=True)
    popup.close()


def test_a_profile_picture_chosen_on_a_settings_page_is_checked(browser: Browser, pages: str, live_server: LiveServer, tmp_path) -> None:
    path = tmp_path / "avatar.png"
    path.write_bytes(off_brand_image())
    # A page on no known network: the extension leaves the platform to the server's default.
    expected = live_server.post_image("/v1/check/image", path.read_bytes(), {"profile": "corporate"})

    page = browser.context.new_page()
    page.goto(f"{pages}/settings-profile.html")
    page.wait_for_selector(UI, state="attached", timeout=WAIT_MS)
    page.set_input_files("#avatar", str(path))
    panel = page.locator(f"{UI} .image-panel")
    panel.locator("li.finding").first.wait_for(timeout=WAIT_MS)
    shown = sorted(item.get_attribute("data-rule") for item in panel.locator("li.finding").all())
    assert shown == sorted(f["rule"] for f in expected["findings"])
    page.close()


def test_options_keep_the_settings_in_storage_and_refuse_a_bad_address(browser: Browser, live_server: LiveServer) -> None:
    options = browser.context.new_page()
    options.goto(f"chrome-extension://{browser.extension_id}/options/options.html")
    assert options.input_value("#server-url") == live_server.url
    try:
        options.fill("#server-url", "127.0.0.1:8765")
        options.click("#save")
        assert "not a web address" in options.locator("#save-result").text_content()
        assert options.evaluate("async () => (await chrome.storage.local.get('serverUrl')).serverUrl") == live_server.url

        options.fill("#server-url", live_server.url + "/")
        options.check("#profile-department")
        options.uncheck("#site-linkedin")
        options.click("#save")
        options.wait_for_function("() => document.querySelector('#save-result').textContent === 'Saved.'")
        stored = options.evaluate("() => chrome.storage.local.get(['serverUrl', 'profile', 'sites'])")
        assert stored["serverUrl"] == live_server.url
        assert stored["profile"] == "department"
        assert stored["sites"]["linkedin"] is False and stored["sites"]["x"] is True

        options.click("#test-connection")
        options.wait_for_function("() => document.querySelector('#connection-result').textContent.startsWith('Connected')")
        assert "Harper on" in options.locator("#connection-result").text_content()
    finally:
        browser.storage_set({"profile": "corporate", "sites": {"linkedin": True}})
        options.close()
