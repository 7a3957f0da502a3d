"""LanguageTool: degrading to Harper when it cannot start, and checks against a live one.

The live tests run where a LanguageTool is configured (SOCIALCHECK_LT_URL, or a
local install: SOCIALCHECK_LT_JAR_DIR, LTP_JAR_DIR_PATH, or a download made by
`python -m checker.grammar install-languagetool`) and are skipped elsewhere.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from checker.grammar import check_grammar, engine_states, shutdown_engines, start_engines
from checker.grammar.languagetool_engine import installed_languagetool

try:
    from tests.grammar_support import make_policy
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from grammar_support import make_policy

LIVE = bool(
    os.environ.get("SOCIALCHECK_LT_URL")
    or os.environ.get("SOCIALCHECK_LT_JAR_DIR")
    or os.environ.get("LTP_JAR_DIR_PATH")
    or installed_languagetool()
)
needs_languagetool = pytest.mark.skipif(
    not LIVE,
    reason=(
        "needs a live LanguageTool: set SOCIALCHECK_LT_URL=http://HOST:8081 for a server, or install one "
        "locally (Java 17+) with `python -m checker.grammar install-languagetool` or SOCIALCHECK_LT_JAR_DIR"
    ),
)
ENV_KEYS = ("SOCIALCHECK_GRAMMAR", "SOCIALCHECK_LT_URL", "SOCIALCHECK_LT_JAR_DIR", "LTP_JAR_DIR_PATH",
            "SOCIALCHECK_LT_START_TIMEOUT")


@pytest.fixture(scope="module", autouse=True)
def stop_languagetool():
    yield
    shutdown_engines()  # no Java left behind by these tests


@pytest.fixture
def no_languagetool(monkeypatch):
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LTP_PATH", "/nonexistent/socialcheck-no-languagetool")  # hide any real download


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- degrading: these run everywhere -------------------------------------------------------


def test_unreachable_server_degrades_to_harper_with_a_reason(no_languagetool, monkeypatch):
    monkeypatch.setenv("SOCIALCHECK_LT_URL", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("SOCIALCHECK_LT_START_TIMEOUT", "5")
    policy = make_policy()
    states = start_engines(policy, background=False)
    assert states["languagetool"]["state"] == "unavailable"
    assert "did not answer" in states["languagetool"]["reason"]
    assert states["harper"]["state"] == "ready"
    text = "The team recieved an award."
    assert [text[f.start:f.end] for f in check_grammar(text, policy)] == ["recieved"]


def test_missing_local_install_says_how_to_install(no_languagetool, monkeypatch, tmp_path):
    monkeypatch.setenv("SOCIALCHECK_LT_JAR_DIR", str(tmp_path / "LanguageTool-6.8"))
    policy = make_policy()
    states = start_engines(policy, background=False)
    assert states["languagetool"]["state"] == "unavailable"
    assert "install-languagetool" in states["languagetool"]["reason"]
    assert check_grammar("It recieved praise.", policy)


def test_languagetool_alone_without_one_lets_harper_stand_in(no_languagetool):
    policy = make_policy({"engines": "languagetool"})
    states = start_engines(policy, background=False)
    assert states["languagetool"]["state"] == "unavailable"
    assert "not installed" in states["languagetool"]["reason"]
    assert "standing in for LanguageTool" in states["harper"]["reason"]
    text = "It recieved praise."
    [finding] = check_grammar(text, policy)
    assert finding.rule == "spelling.harper.SpellCheck"


def test_not_configured_means_off(no_languagetool):
    policy = make_policy()
    start_engines(policy, background=False)
    assert engine_states()["languagetool"]["state"] == "off"
    assert "SOCIALCHECK_LT_URL" in engine_states()["languagetool"]["reason"]


# --- our client against an HTTP server speaking LanguageTool's /v2 protocol --------------------
# LanguageTool cannot be installed on every machine, so these tests run our side of the
# protocol (requests, UTF-16 offsets, de-duplication, degrading) against a small server that
# answers as LanguageTool does (fields as in its /v2/check documentation).

MISSPELT = {"recieved": "received", "Oadby": "Oddly"}


class FakeLanguageTool(BaseHTTPRequestHandler):
    received: list[dict[str, list[str]]] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _answer(self, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.startswith("/v2/languages"):
            self._answer([{"name": "English (GB)", "code": "en", "longCode": "en-GB"}])
        else:
            self.send_error(404)

    def do_POST(self):
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        type(self).received.append(form)
        text = form["text"][0]
        matches = []
        for word, fix in MISSPELT.items():
            at = text.find(word)
            if at >= 0:
                matches.append({
                    "message": "Possible spelling mistake found.",
                    "offset": len(text[:at].encode("utf-16-le")) // 2,
                    "length": len(word),
                    "replacements": [{"value": fix}],
                    "rule": {"id": "MORFOLOGIK_RULE_EN_GB", "issueType": "misspelling", "category": {"id": "TYPOS"}},
                })
        self._answer({"matches": matches})


@pytest.fixture
def protocol_server(no_languagetool, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLanguageTool)
    FakeLanguageTool.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("SOCIALCHECK_LT_URL", f"http://127.0.0.1:{server.server_address[1]}")
    yield server
    server.shutdown()
    server.server_close()


def test_remote_languagetool_matches_are_placed_after_emoji(protocol_server):
    policy = make_policy({"engines": "both", "cache_paragraphs": 3})
    states = start_engines(policy, background=False)
    assert states["languagetool"]["state"] == "ready"
    text = "😀 𝐁𝐨𝐥𝐝 news 🇬🇧 from Oadby: the team recieved an award."
    findings = check_grammar(text, policy)
    # Harper and LanguageTool both flag "recieved": one finding, LanguageTool's.
    assert [(f.rule, text[f.start:f.end], f.suggestions) for f in findings] == [
        ("spelling.languagetool.MORFOLOGIK_RULE_EN_GB", "recieved", ("received",))
    ]  # and "Oadby" is the organisation's own word
    sent = FakeLanguageTool.received[-1]
    assert sent["language"] == ["en-GB"] and sent["text"] == [text]


def test_a_server_that_stops_answering_leaves_harper_in_charge(protocol_server):
    policy = make_policy({"engines": "languagetool", "request_timeout": 2, "cache_paragraphs": 4})
    assert start_engines(policy, background=False)["languagetool"]["state"] == "ready"
    protocol_server.shutdown()
    protocol_server.server_close()
    text = "Another team recieved a prize."
    [finding] = check_grammar(text, policy)
    assert finding.rule == "spelling.harper.SpellCheck"
    states = engine_states()
    assert states["languagetool"]["state"] == "unavailable"
    assert "did not answer" in states["languagetool"]["reason"]
    assert "standing in for LanguageTool" in states["harper"]["reason"]


# --- a live LanguageTool ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_policy():
    policy = make_policy({"engines": "languagetool"})
    states = start_engines(policy, background=False)
    if states["languagetool"]["state"] != "ready":
        pytest.fail(f"LanguageTool is configured but not ready: {states['languagetool']}")
    return policy


@pytest.mark.languagetool
@needs_languagetool
def test_languagetool_finds_misspellings_after_emoji(live_policy):
    text = "😀 𝐁𝐨𝐥𝐝 news 🇬🇧: the team recieved an award."
    findings = [f for f in check_grammar(text, live_policy) if f.category == "spelling"]
    [finding] = [f for f in findings if text[f.start:f.end] == "recieved"]
    assert finding.rule.startswith("spelling.languagetool.")
    assert "received" in finding.suggestions


@pytest.mark.languagetool
@needs_languagetool
def test_languagetool_knows_the_organisations_words(live_policy):
    text = "Visit the Attenborough Arts Centre in Oadby, Leicestershire, for our MSc open day."
    assert [f for f in check_grammar(text, live_policy) if f.category == "spelling" and f.severity == "warning"] == []


@pytest.mark.languagetool
@needs_languagetool
def test_one_languagetool_serves_many_threads(live_policy):
    texts = [f"Post {n}: we has recieved {n} awards." for n in range(16)]
    results: dict[str, int] = {}
    errors: list[BaseException] = []

    def work(chunk: list[str]) -> None:
        try:
            for text in chunk:
                results[text] = len(check_grammar(text, live_policy))
        except BaseException as error:  # noqa: BLE001 - asserted below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(texts[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(count >= 1 for count in results.values())
    assert start_engines(live_policy)["languagetool"]["state"] == "ready"  # the same engine, still up
