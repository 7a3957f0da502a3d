"""Issue 15, A and B: texts that stalled the server (pattern backtracking, a quadratic overlap check)
and answers that grew without bound, reproduced in-process and against the real server over HTTP.

Every check here must finish inside the engine's budget (CHECK_BUDGET_SECONDS, far above the
second or so a 100,000-character post takes); before the fix the same texts took 10 s to 201 s.
"""

from __future__ import annotations

import http.client
import json
import threading
import time

import pytest

from checker import check_text, load_policy
from checker.text.engine import MAX_FINDINGS, CompiledChecker, compile_checker

try:
    from tests.live_server import waitress_server
except ImportError:
    from live_server import waitress_server

CLIENT = {"X-Socialcheck-Client": "pytest", "Content-Type": "application/json"}

# The texts of the issue, at the full size a check takes (100,000 characters).
HOSTILE = {
    "masked-word token": "a" + "1" * 99998 + "_",
    "student-number patterns": "student" + " " * 99990 + "x",
    "span-overlap check": "#a " * 33333,
    "e-mail addresses": "a@b.cc " * 14000,
    "politics lookahead": "labour " * 14000,
    "many findings": "!? " * 33333,
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_text_is_checked_within_the_budget(name):
    report = check_text(HOSTILE[name], grammar=False)  # CheckTimeoutError past the budget
    assert len(report.findings) <= MAX_FINDINGS


def test_the_issue_in_process_example_is_quick_and_complete():
    report = check_text("a" + "1" * 19998 + "_", grammar=False)
    assert report.ok


def test_a_post_with_thousands_of_findings_keeps_the_most_severe_and_says_how_many_were_left_out():
    report = check_text("!? " * 33333, grammar=False)
    assert len(report.findings) == MAX_FINDINGS
    assert report.stats["omitted_findings"] == 33333 - MAX_FINDINGS
    # What blocks still blocks: the kept findings are the most severe ones.
    assert not report.ok


def test_a_check_past_its_budget_is_stopped_with_a_clear_error():
    from checker.text.engine import CheckTimeoutError

    checker = compile_checker(load_policy(), None)
    with pytest.raises(CheckTimeoutError, match="took longer than"):
        CompiledChecker(checker.policy, checker.profile, checker.checks).run("Hello there. " * 2000, "generic", grammar=False, budget=0.0)


def test_a_message_quotes_a_long_match_by_its_start():
    report = check_text("www." + "a" * 5000 + ".com!!!", grammar=False)
    assert all(len(f.message) < 600 for f in report.findings)


# --- over HTTP: the real server keeps answering while it checks one of these -----------------------


def _post(port: int, path: str, body: bytes, headers: dict[str, str], timeout: float = 60) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _health_times(port: int, busy: threading.Event) -> list[float]:
    """How long each health check took while `busy` was set (at least one is made)."""
    times = []
    while busy.is_set() or not times:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        started = time.monotonic()
        try:
            connection.request("GET", "/v1/health")
            assert connection.getresponse().status == 200
        finally:
            connection.close()
        times.append(time.monotonic() - started)
        time.sleep(0.05)
    return times


def _multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = "socialcheck-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n' for name, value in fields.items()]
    return ("".join(parts) + f"--{boundary}--\r\n").encode(), f"multipart/form-data; boundary={boundary}"


@pytest.fixture(scope="module")
def port():
    with waitress_server({"SOCIALCHECK_GRAMMAR": False}) as served:
        yield served


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("route", ["text", "profile"])
def test_the_server_answers_health_checks_within_a_second_while_it_checks_a_hostile_text(port, name, route):
    text = HOSTILE[name]
    if route == "text":
        path, body, headers = "/v1/check/text", json.dumps({"text": text}).encode(), CLIENT
    else:
        body, content_type = _multipart({"display_name": text[:50], "bio": text})
        path, headers = "/v1/check/profile", {"X-Socialcheck-Client": "pytest", "Content-Type": content_type}
    busy = threading.Event()
    busy.set()
    outcome: dict[str, tuple[int, bytes]] = {}

    def check() -> None:
        try:
            outcome["answer"] = _post(port, path, body, headers)
        finally:
            busy.clear()

    worker = threading.Thread(target=check)
    worker.start()
    times = _health_times(port, busy)
    worker.join(timeout=60)
    status, answer = outcome["answer"]
    assert status == 200, answer[:300]
    assert max(times) < 1.0, f"a health check took {max(times):.2f} s"
    # The answer is bounded too: at most MAX_FINDINGS findings of bounded messages.
    assert len(answer) < 1_000_000
