"""Reviewing a draft as staff do with the tools they know, in Debian's Chromium with the real
extension against the real server: underlines that never hide each other, the findings panel,
keyboard-only review, the personal dictionary, a network chosen on an unknown site, cards that
say what to do, and the time from the last keystroke to the underline."""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest

from browser_support import SCREENSHOTS, Browser, LiveServer

WAIT_MS = 15000
UI = "#socialcheck-ui"
BADGE = f"{UI} .badge"
CARD = f"{UI} .card"
PANEL = f"{UI} .panel"

# One sentence hard to read (reading ease covers all of it) full of jargon, and a phrase
# finding ("What a bloody") over a word finding ("bloody").
JARGON = (
    "We will leverage our synergies to unlock a paradigm shift in how our stakeholders across the region can "
    "operationalise cutting-edge research and deliver impactful outcomes going forward, and what a bloody "
    "mess it is for everyone involved in it."
)
HOUSE = "We analyze data for the chairman of Leicester Uni and the colour of the organization."
HOUSE_FIXED = "We analyse data for the chair of University of Leicester and the colour of the organisation."
NAMES = "Hartley met Priya about the trial."

EDITORS = ["textarea.html", "contenteditable.html", "lexical.html"]

# The text of the draft, whichever editor the page has.
DRAFT_TEXT = """() => {
  const box = document.querySelector('#draft');
  if (box instanceof HTMLTextAreaElement) return box.value;
  return box.innerText.replace(/\\n$/, '');
}"""

# The on-screen box of one UTF-16 character of the draft: from the extension's overlay for a
# textarea, from the editor's own text nodes for a contenteditable.
CHAR_POINT = """(offset) => {
  const box = document.querySelector('#draft');
  const range = document.createRange();
  if (box instanceof HTMLTextAreaElement) {
    const ui = document.querySelector('#socialcheck-ui').shadowRoot;
    const pieces = [...ui.querySelectorAll('.mirror span[data-from]')];
    const piece = pieces.find(p => Number(p.dataset.from) <= offset && offset < Number(p.dataset.from) + p.textContent.length);
    if (!piece) return null;
    range.setStart(piece.firstChild, offset - Number(piece.dataset.from));
    range.setEnd(piece.firstChild, offset - Number(piece.dataset.from) + 1);
  } else {
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    let at = 0, node;
    while ((node = walker.nextNode())) {
      if (offset < at + node.nodeValue.length) break;
      at += node.nodeValue.length;
    }
    if (!node) return null;
    range.setStart(node, offset - at);
    range.setEnd(node, offset - at + 1);
  }
  const r = range.getBoundingClientRect();
  return {x: r.left + r.width / 2, y: r.top + r.height / 2};
}"""

# What is drawn under the words: [severity, text] for each highlight range or overlay mark.
DRAWN = """() => {
  const out = [];
  for (const [name, highlight] of CSS.highlights) {
    if (name.startsWith('socialcheck-')) for (const range of highlight) out.push(range.toString());
  }
  const ui = document.querySelector('#socialcheck-ui').shadowRoot;
  for (const mark of ui.querySelectorAll('.mark')) out.push(mark.textContent);
  return out;
}"""


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def server_report(server: LiveServer, text: str, platform: str = "generic") -> dict[str, Any]:
    return server.post_json("/v1/check/text", {"text": text, "platform": platform, "profile": "corporate"})


def shadow(page: Any, script: str, arg: Any = None) -> Any:
    return page.evaluate(f"(arg) => {{ const ui = document.querySelector('#socialcheck-ui').shadowRoot; {script} }}", arg)


def type_draft(browser: Browser, pages: str, name: str, text: str) -> Any:
    page = browser.context.new_page()
    page.goto(f"{pages}/{name}")
    page.click("#draft")
    page.keyboard.type(text)
    wait_for_result(page, text)
    return page


def wait_for_result(page: Any, text: str) -> None:
    page.wait_for_function(f"t => ({DRAFT_TEXT})() === t", arg=text, timeout=WAIT_MS)
    page.wait_for_selector(f'{BADGE}[data-state="result"]', timeout=WAIT_MS)


def checks_answered(server: LiveServer) -> int:
    cache = server.get("/v1/health")["cache"]
    return cache["hits"] + cache["misses"]


# --- 1. underlines that never hide each other -----------------------------------------------


@pytest.mark.parametrize("name", EDITORS)
def test_every_word_finding_opens_when_a_sentence_finding_covers_it(browser: Browser, pages: str, live_server: LiveServer, name: str) -> None:
    report = server_report(live_server, JARGON)
    wide = [f for f in report["findings"] if f["end"] - f["start"] > 40]
    narrow = [f for f in report["findings"] if f["end"] - f["start"] <= 40]
    assert {f["rule"] for f in wide} >= {"clarity.readability", "clarity.sentence_length"}
    assert {"leverage", "synergies", "what a bloody", "bloody"} <= {utf16_slice(JARGON, f["start"], f["end"]) for f in narrow}
    page = browser.context.new_page()
    page.goto(f"{pages}/{name}")
    page.add_style_tag(content="textarea { height: 320px !important; }")  # the whole draft in view
    page.click("#draft")
    page.keyboard.type(JARGON)
    wait_for_result(page, JARGON)
    page.wait_for_function(f"() => ({DRAWN})().includes('leverage') && ({DRAWN})().includes('bloody')", timeout=WAIT_MS)
    # No underline covers the sentence: it would swallow the words inside it.
    assert all(len(text) <= 40 for text in page.evaluate(DRAWN))
    # Every narrow finding is drawn, overlapping or not.
    if name == "textarea.html":
        underlined = set(
            shadow(
                page,
                "return [...ui.querySelectorAll('.mirror .mark')].flatMap(m =>"
                " Array.from(m.textContent, (_, i) => Number(m.dataset.from) + i));",
            )
        )
        assert all(set(range(f["start"], f["end"])) <= underlined for f in narrow)
    else:
        assert sorted(page.evaluate(DRAWN)) == sorted(utf16_slice(JARGON, f["start"], f["end"]) for f in narrow)

    for finding in narrow:
        # A character of this finding that no narrower finding covers: pointing there means it.
        narrower = [f for f in narrow if f is not finding and f["end"] - f["start"] < finding["end"] - finding["start"]]
        offset = next(o for o in range(finding["start"], finding["end"]) if not any(f["start"] <= o < f["end"] for f in narrower))
        same_words = {f["rule"] for f in narrow if (f["start"], f["end"]) == (finding["start"], finding["end"])}
        point = page.evaluate(CHAR_POINT, offset)
        page.mouse.move(point["x"], point["y"])
        page.wait_for_function(
            "rules => { const c = document.querySelector('#socialcheck-ui').shadowRoot.querySelector('.card');"
            " return c && rules.includes(c.dataset.rule); }",
            arg=sorted(same_words),
            timeout=WAIT_MS,
        )
        # Several findings about the very same words: the card leads to each of the others.
        shown = page.locator(CARD).get_attribute("data-rule")
        for other in sorted(same_words - {shown}):
            page.locator(f'{CARD} .also[data-rule="{other}"]').click()
            page.wait_for_selector(f'{CARD}[data-rule="{other}"]', timeout=WAIT_MS)
            page.keyboard.press("Escape")
        page.mouse.move(2, 2)

    # The sentence-wide findings have a marker in the margin that opens their card.
    for finding in wide:
        marker = page.locator(f'{UI} .marker[data-rule="{finding["rule"]}"]')
        assert marker.is_visible()
        assert finding["message"] in marker.get_attribute("aria-label")
        marker.hover()
        page.wait_for_selector(f'{CARD}[data-rule="{finding["rule"]}"]', timeout=WAIT_MS)
    page.close()


# --- 2. the findings panel --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["textarea.html", "contenteditable.html", "prosemirror.html", "draftjs.html"])
def test_the_panel_lists_every_finding_and_applies_the_safe_fixes(browser: Browser, pages: str, live_server: LiveServer, name: str) -> None:
    report = server_report(live_server, HOUSE)
    page = type_draft(browser, pages, name, HOUSE)
    page.locator(BADGE).click()
    panel = page.locator(PANEL)
    panel.wait_for(timeout=WAIT_MS)
    assert panel.get_attribute("role") == "dialog"

    # Every finding, once, grouped by severity with counts.
    items = panel.locator(".item")
    assert sorted(items.evaluate_all("els => els.map(e => e.dataset.rule)")) == sorted(f["rule"] for f in report["findings"])
    for severity, count in report["counts"].items():
        group = panel.locator(f'.group[data-severity="{severity}"]')
        if count:
            assert int(group.locator(".group-count").text_content()) == count
        else:
            assert group.count() == 0

    # Clicking a finding shows its card beside its words; next moves to the following one.
    items.filter(has_text="chairman").locator(".item-main").click()
    page.wait_for_selector(f'{CARD}[data-rule="inclusive.gendered"]', timeout=WAIT_MS)
    before = panel.locator(".item.current").get_attribute("data-index")
    panel.locator(".next").click()
    assert panel.locator(".item.current").get_attribute("data-index") == str((int(before) + 1) % items.count())  # it wraps

    if name == "contenteditable.html":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "findings-panel.png"))

    safe = [f for f in report["findings"] if f["category"] in ("brand", "inclusive") and len(f["suggestions"]) == 1]
    assert panel.locator(".apply-safe").text_content() == f"Apply all safe fixes ({len(safe)})"
    panel.locator(".apply-safe").click()
    page.wait_for_function(f"t => ({DRAFT_TEXT})() === t", arg=HOUSE_FIXED, timeout=WAIT_MS)
    if name == "prosemirror.html":
        assert page.evaluate("() => window.editorText()") == HOUSE_FIXED  # the editor's own model kept up
    if name == "draftjs.html":
        assert page.evaluate("() => window.draftText()") == HOUSE_FIXED
    fixed = server_report(live_server, HOUSE_FIXED)
    page.wait_for_function(
        "n => document.querySelector('#socialcheck-ui').shadowRoot.querySelectorAll('.panel .item').length === n"
        " && document.querySelector('#socialcheck-ui').shadowRoot.querySelector('.badge[data-state=\"result\"]')",
        arg=len(fixed["findings"]),
        timeout=WAIT_MS,
    )
    page.close()


# --- 3. keyboard and screen readers ------------------------------------------------------------


def focused_in_panel(page: Any) -> dict[str, Any] | None:
    return shadow(
        page,
        "const a = ui.activeElement; const item = a && a.closest('.item');"
        "return a ? {cls: a.className, index: item ? Number(item.dataset.index) : null, rule: item ? item.dataset.rule : null} : null;",
    )


def press_until(page: Any, rule: str) -> None:
    for _ in range(20):
        if (focused_in_panel(page) or {}).get("rule") == rule:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no item for {rule}")


@pytest.mark.parametrize("name", ["textarea.html", "contenteditable.html", "draftjs.html"])
def test_keyboard_only_review_from_start_to_end(browser: Browser, pages: str, live_server: LiveServer, name: str) -> None:
    draft = "What a bloody mess for the chairman of Leicester Uni, said Ngozi."
    report = server_report(live_server, draft)
    assert "spelling" in {f["category"] for f in report["findings"] if utf16_slice(draft, f["start"], f["end"]) == "Ngozi"}
    page = browser.context.new_page()
    page.goto(f"{pages}/{name}")
    page.keyboard.press("Tab")  # into the editor, the page's only field
    page.keyboard.type(draft)
    wait_for_result(page, draft)

    page.keyboard.press("Alt+Shift+S")  # the manifest's `open-panel` command, as bound
    page.wait_for_selector(PANEL, timeout=WAIT_MS)
    assert focused_in_panel(page) == {"cls": "item-main", "index": 0, "rule": focused_in_panel(page)["rule"]}
    assert page.locator(PANEL).get_attribute("aria-label") == "Socialcheck findings"
    page.keyboard.press("ArrowDown")
    assert focused_in_panel(page)["index"] == 1
    page.keyboard.press("ArrowUp")
    assert focused_in_panel(page)["index"] == 0
    # The current finding's card is beside its words, labelled for screen readers.
    card = page.locator(CARD)
    card.wait_for(timeout=WAIT_MS)
    assert card.get_attribute("role") == "dialog"
    assert shadow(page, "const c = ui.querySelector('.card'); return ui.getElementById(c.getAttribute('aria-labelledby')).textContent;")

    # Enter applies the first suggestion; the panel keeps the keyboard.
    press_until(page, "inclusive.gendered")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({DRAFT_TEXT})().includes('the chair of')", timeout=WAIT_MS)
    page.wait_for_function(
        "() => { const a = document.querySelector('#socialcheck-ui').shadowRoot.activeElement; return a && a.closest('.panel'); }",
        timeout=WAIT_MS,
    )
    # Delete dismisses one for this draft.
    press_until(page, "offensive.mild")
    page.keyboard.press("Delete")
    page.wait_for_function(
        "() => !document.querySelector('#socialcheck-ui').shadowRoot.querySelector('.panel .item[data-rule=\"offensive.mild\"]')",
        timeout=WAIT_MS,
    )
    # A adds a spelling to the dictionary (the server's, so it is taken out again after).
    spelling = next(f["rule"] for f in report["findings"] if f["category"] == "spelling")
    try:
        press_until(page, spelling)
        page.keyboard.press("a")
        page.wait_for_function(
            "rule => !document.querySelector('#socialcheck-ui').shadowRoot.querySelector(`.panel .item[data-rule=\"${rule}\"]`)",
            arg=spelling,
            timeout=WAIT_MS,
        )
        assert "Ngozi" in live_server.get("/v1/dictionary")["personal"]
    finally:
        live_server.delete("/v1/dictionary/Ngozi")
    # Escape goes back to the editor, where typing goes on.
    page.keyboard.press("Escape")
    page.wait_for_selector(PANEL, state="detached", timeout=WAIT_MS)
    assert page.evaluate("() => { const d = document.querySelector('#draft'); return d === document.activeElement || d.contains(document.activeElement); }")
    assert "chairman" in {utf16_slice(draft, f["start"], f["end"]) for f in report["findings"]}
    page.close()


def test_the_command_opens_the_panel_through_the_worker(browser: Browser, pages: str) -> None:
    """Chrome delivers the `open-panel` command to the worker, which asks the tab's content script."""
    manifest = browser.context.new_page()
    manifest.goto(f"chrome-extension://{browser.extension_id}/manifest.json")
    assert '"open-panel"' in manifest.content()
    manifest.close()
    page = type_draft(browser, pages, "contenteditable.html", "HUGE news")
    popup = browser.popup()  # wakes the worker if Chrome stopped it
    worker = next(w for w in browser.context.service_workers if browser.extension_id in w.url)
    opened = worker.evaluate(
        "async (url) => { const [tab] = await chrome.tabs.query({url}); return openPanelInTab(tab.id); }", page.url
    )
    popup.close()
    assert opened is True
    page.wait_for_selector(PANEL, timeout=WAIT_MS)
    page.close()


# --- 4. the dictionary ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["textarea.html", "contenteditable.html"])
def test_a_dictionary_word_stops_being_flagged_and_survives_a_reload(browser: Browser, pages: str, live_server: LiveServer, name: str) -> None:
    words = lambda: [utf16_slice(NAMES, f["start"], f["end"]) for f in server_report(live_server, NAMES)["findings"]]  # noqa: E731
    assert {"Hartley", "Priya"} <= set(words())
    page = type_draft(browser, pages, name, NAMES)
    try:
        page.wait_for_function(f"() => ({DRAWN})().includes('Hartley')", timeout=WAIT_MS)
        point = page.evaluate(CHAR_POINT, 2)
        page.mouse.move(point["x"], point["y"])
        add = page.locator(f"{CARD} .add-word")
        assert add.text_content() == "Add “Hartley” to dictionary"
        add.click()
        page.wait_for_function(f"() => !({DRAWN})().includes('Hartley') && ({DRAWN})().includes('Priya')", timeout=WAIT_MS)
        assert "Hartley" in (live_server.config / "dictionary.txt").read_text(encoding="utf-8")

        page.reload()
        page.click("#draft")
        page.keyboard.type(NAMES)
        wait_for_result(page, NAMES)
        page.wait_for_function(f"() => ({DRAWN})().includes('Priya')", timeout=WAIT_MS)
        assert "Hartley" not in page.evaluate(DRAWN)

        # The options page lists it and removes it; the open draft is checked again at once.
        options = browser.context.new_page()
        options.goto(f"chrome-extension://{browser.extension_id}/options/options.html")
        entry = options.locator('#personal-words li.word[data-word="Hartley"]')
        entry.wait_for(timeout=WAIT_MS)
        popup = browser.popup()
        popup.locator("#dictionary-section:not([hidden])").wait_for(timeout=WAIT_MS)
        assert popup.locator("#dictionary-count").text_content() == "1 word added from spelling cards."
        popup.close()
        if name == "textarea.html":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            options.locator("#dictionary").screenshot(path=str(SCREENSHOTS / "options-dictionary.png"))
        entry.locator(".remove-word").click()
        entry.wait_for(state="detached", timeout=WAIT_MS)
        assert "Hartley" not in live_server.get("/v1/dictionary")["personal"]
        options.close()
        page.wait_for_function(f"() => ({DRAWN})().includes('Hartley')", timeout=WAIT_MS)
    finally:
        live_server.delete("/v1/dictionary/Hartley")
        page.close()


def test_the_dictionary_card_screenshot(browser: Browser, pages: str, live_server: LiveServer) -> None:
    page = type_draft(browser, pages, "contenteditable.html", NAMES)
    page.wait_for_function(f"() => ({DRAWN})().includes('Priya')", timeout=WAIT_MS)
    point = page.evaluate(CHAR_POINT, NAMES.index("Priya") + 1)
    page.mouse.move(point["x"], point["y"])
    page.locator(f"{CARD} .add-word").wait_for(timeout=WAIT_MS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "spelling-card-dictionary.png"), clip={"x": 0, "y": 0, "width": 720, "height": 420})
    page.close()


# --- 5. a network chosen on a site the extension does not know ----------------------------------


def test_a_scheduler_page_can_be_set_to_x_and_counts_280(browser: Browser, pages: str, live_server: LiveServer) -> None:
    draft = "Open day on Saturday: come and see the campus."
    try:
        page = type_draft(browser, pages, "textarea.html", draft)
        assert page.locator(f"{BADGE} .platform").text_content() == "Any site"
        picker = page.locator(f"{UI} .platform-picker")
        assert picker.get_attribute("aria-label").startswith("Network this post is for")
        picker.select_option("x")
        expected = server_report(live_server, draft, "x")["stats"]
        page.wait_for_selector(f'{BADGE} .length[data-limit="280"]', timeout=WAIT_MS)
        assert page.locator(f"{BADGE} .platform").text_content() == "X"
        assert page.locator(f"{BADGE} .length").text_content() == f"{expected['length']}/280"

        # Over the limit: the part that will not fit is tinted (the words in it keep their own
        # underlines) and its finding has a margin marker.
        page.keyboard.type(" " + "Join us to explore labs, meet students and staff, and find out about our courses. " * 5)
        page.wait_for_selector(f"{BADGE} .length.over", timeout=WAIT_MS)
        page.wait_for_selector(f'{UI} .marker[data-rule="platform.length"]', timeout=WAIT_MS)
        assert page.locator(f"{UI} .mirror .piece.overflow").count() >= 1

        # Remembered for the site: another page on it, after a reload, counts for X too.
        page.goto(f"{pages}/contenteditable.html")
        page.click("#draft")
        page.keyboard.type(draft)
        page.wait_for_selector(f'{BADGE} .length[data-limit="280"]', timeout=WAIT_MS)
        assert page.locator(f"{UI} .platform-picker").input_value() == "x"
        page.keyboard.type(" " + "Join us to explore labs, meet students and staff, and find out about our courses. " * 5)
        page.wait_for_selector(f'{UI} .marker[data-rule="platform.length"]', timeout=WAIT_MS)
        assert page.evaluate("() => CSS.highlights.has('socialcheck-overflow')")
        page.close()
    finally:
        browser.storage_set({"sitePlatforms": {}})


# --- 7. cards that help -------------------------------------------------------------------------------


def test_every_card_says_what_to_do_and_links_the_handbook(browser: Browser, pages: str, live_server: LiveServer) -> None:
    draft = "No cap, Leicester Uni is great!!!"
    policy = live_server.get("/v1/policy")
    advice = {rule["id"]: rule["advice"] for rule in policy["rules"]}
    page = type_draft(browser, pages, "contenteditable.html", draft)
    report = server_report(live_server, draft)
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert not by_rule["tone.punctuation"]["suggestions"]
    page.wait_for_function(f"() => ({DRAWN})().includes('!!!')", timeout=WAIT_MS)
    point = page.evaluate(CHAR_POINT, draft.index("!!!") + 1)
    page.mouse.move(point["x"], point["y"])
    card = page.locator(f'{CARD}[data-rule="tone.punctuation"]')
    card.wait_for(timeout=WAIT_MS)
    assert card.locator(".advice").text_content() == "What to do: " + advice["tone.punctuation"]
    link = card.locator("a.guideline-link")
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("href") == "https://le.ac.uk/social-media"
    # The handbook opens in a new tab (answered here: the tests never reach the internet).
    handbook = "https://le.ac.uk/social-media"
    browser.context.route(handbook, lambda route: route.fulfill(body="<title>Social media handbook</title>", content_type="text/html"))
    try:
        with page.context.expect_page() as opened:
            link.click()
        opened.value.wait_for_load_state()
        assert opened.value.url == handbook
        assert opened.value.title() == "Social media handbook"
        opened.value.close()
    finally:
        browser.context.unroute(handbook)
    page.close()


# --- 6. a faster loop ---------------------------------------------------------------------------------

# Resolves when the underline for `word` is drawn: ms since the last keystroke the page saw.
UNDERLINE_AFTER_LAST_KEY = """(word) => new Promise((resolve) => {
  const drawn = () => {
    for (const [name, highlight] of CSS.highlights) {
      if (name.startsWith('socialcheck-')) for (const range of highlight) if (range.toString() === word) return true;
    }
    const ui = document.querySelector('#socialcheck-ui').shadowRoot;
    return [...ui.querySelectorAll('.mark')].some((mark) => mark.textContent === word);
  };
  const poll = () => (drawn() ? resolve(performance.now() - window.__lastKeyAt) : requestAnimationFrame(poll));
  poll();
})"""

RECORD_KEYS = """() => {
  window.__keyTimes = [];
  document.addEventListener('keydown', () => { window.__lastKeyAt = performance.now(); window.__keyTimes.push(window.__lastKeyAt); }, true);
}"""


@pytest.mark.parametrize("name", EDITORS)
def test_keystroke_to_underline_median_is_at_most_250_ms(browser: Browser, pages: str, live_server: LiveServer, name: str) -> None:
    page = browser.context.new_page()
    page.goto(f"{pages}/{name}")
    page.evaluate(RECORD_KEYS)
    page.click("#draft")
    latencies, checks = [], []
    for number in ["one", "two", "three", "four", "five", "six", "seven"]:
        draft = f"Open day {number}: HUGE news"
        before = checks_answered(live_server)
        page.keyboard.type(draft)
        latencies.append(page.evaluate(UNDERLINE_AFTER_LAST_KEY, "HUGE"))
        wait_for_result(page, draft)
        checks.append(checks_answered(live_server) - before)
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.wait_for_function(f"() => ({DRAFT_TEXT})().trim() === ''", timeout=WAIT_MS)
        page.wait_for_function(f"() => ({DRAWN})().length === 0", timeout=WAIT_MS)

    # A steadier typist, 30 ms a key: still one check for the sentence, as with the old pause.
    page.evaluate("() => { window.__keyTimes = []; }")
    before = checks_answered(live_server)
    sentence = "Applications for the summer school are open until Friday: HUGE news"
    page.keyboard.type(sentence, delay=30)
    steady = page.evaluate(UNDERLINE_AFTER_LAST_KEY, "HUGE")
    wait_for_result(page, sentence)
    time.sleep(0.6)
    steady_checks = checks_answered(live_server) - before
    gaps = page.evaluate("() => window.__keyTimes.slice(1).map((t, i) => t - window.__keyTimes[i])")
    old_checks = 1 + sum(1 for gap in gaps if gap > 500)  # the old fixed half-second pause
    pauses = sum(1 for gap in gaps if gap > 150)  # the shortest pause the scheduler takes as "stopped"
    page.close()

    median = statistics.median(latencies)
    print(
        f"\n{name}: keystroke to underline, median {median:.0f} ms (runs: {', '.join(f'{v:.0f}' for v in latencies)}); "
        f"typing at 30 ms a key: {steady:.0f} ms, {steady_checks} check(s) for {len(sentence.split())} words "
        f"(the old pause: {old_checks}; key gaps over 150 ms: {pauses}, longest {max(gaps):.0f} ms)"
    )
    assert median <= 250, latencies
    assert checks == [1] * len(checks), "one check for each draft typed, as with the old pause"
    # Steady typing is never interrupted by a check: only a real pause (which a loaded machine
    # sometimes puts between two keys) starts one before the end.
    assert steady_checks <= 1 + pauses
