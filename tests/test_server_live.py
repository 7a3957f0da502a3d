"""The real server on a real port: waitress in a thread, and `socialcheck serve` as users start it."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
import waitress

from server import create_app

CLIENT = {"X-Socialcheck-Client": "pytest"}


def request(port: int, method: str, path: str, body: object = None, headers: dict[str, str] | None = None, host: str | None = None):
    """One HTTP request with http.client; returns (status, headers, parsed JSON)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=host is not None, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", host)
        data = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
        all_headers = {**({"Content-Type": "application/json"} if body is not None else {}), **(headers or {})}
        for name, value in all_headers.items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        raw = response.read()
        assert response.getheader("Content-Type", "").startswith("application/json"), raw[:200]
        return response.status, response, json.loads(raw)
    finally:
        connection.close()


@pytest.fixture
def live_port() -> Iterator[int]:
    app = create_app({"SOCIALCHECK_GRAMMAR": False, "SOCIALCHECK_TEXT_BODY_LIMIT": 64 * 1024})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        # Close from the server's own loop thread (a thunk through its trigger): closing from
        # here would pull sockets from under a loop that is still polling them.
        server.trigger.pull_trigger(server.close)
        thread.join(timeout=10)
        assert not thread.is_alive()


def test_the_real_server_answers_over_http(live_port):
    status, _, health = request(live_port, "GET", "/v1/health")
    assert status == 200 and health["status"] == "ok"

    text = "😀 HUGE NEWS!!! from Leicester Uni"
    status, headers, report = request(live_port, "POST", "/v1/check/text", {"text": text, "platform": "x"}, CLIENT)
    assert status == 200
    assert headers.getheader("X-Socialcheck-Cache") == "miss"
    shouting = [f for f in report["findings"] if f["category"] == "tone"]
    assert shouting
    encoded = text.encode("utf-16-le")
    for finding in report["findings"]:
        flagged = encoded[2 * finding["start"] : 2 * finding["end"]].decode("utf-16-le")
        assert flagged and flagged.strip() == flagged  # a whole span, not one shifted by the emoji


def test_the_real_server_refuses_what_it_should(live_port):
    status, _, body = request(live_port, "GET", "/v1/health", host="attacker.example:8765")
    assert (status, body["error"]["code"]) == (403, "host_not_allowed")
    status, _, body = request(live_port, "POST", "/v1/check/text", {"text": "hi"}, {**CLIENT, "Origin": "https://evil.example"})
    assert (status, body["error"]["code"]) == (403, "origin_not_allowed")
    status, _, body = request(live_port, "POST", "/v1/check/text", b"text=hi", {"Content-Type": "application/x-www-form-urlencoded"})
    assert (status, body["error"]["code"]) == (403, "client_header_missing")
    status, _, body = request(live_port, "POST", "/v1/check/text", {"text": "a" * 100_000}, CLIENT)
    assert (status, body["error"]["code"]) == (413, "too_large")
    status, _, body = request(live_port, "POST", "/v1/check/text", b"{broken", CLIENT)
    assert (status, body["error"]["code"]) == (400, "bad_json")


# --- `socialcheck serve` in a subprocess ----------------------------------------------------


@pytest.fixture
def serve(tmp_path):
    """Start `socialcheck serve` with the given options; gives (port, token, output so far, process)."""
    processes: list[subprocess.Popen[str]] = []

    def start(*options: str) -> tuple[int, str, list[str], subprocess.Popen[str]]:
        env = {**os.environ, "SOCIALCHECK_CONFIG_DIR": str(tmp_path / "config"), "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-c", "import sys; from checker.cli import main; sys.exit(main())", "serve", "--port", "0", *options]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        processes.append(process)
        lines: list[str] = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl+C"):
                break
        else:
            pytest.fail(f"serve stopped early: {''.join(lines)}")
        port = int(re.search(r"listening on http://127\.0\.0\.1:(\d+)", "".join(lines)).group(1))
        token = re.search(r"pairing token: (\S+)", "".join(lines)).group(1)
        return port, token, lines, process

    yield start
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()


def test_socialcheck_serve_prints_where_it_listens_and_serves(serve, tmp_path):
    port, token, lines, _ = serve("--no-grammar")
    output = "".join(lines)
    assert "grammar: harper off" in output
    assert (tmp_path / "config" / "token").read_text().strip() == token  # made on first start, kept
    status, _, health = request(port, "GET", "/v1/health")
    assert status == 200 and health["token_required"] is False
    status, _, report = request(port, "POST", "/v1/check/text", {"text": "Leicester Uni rocks"}, CLIENT)
    assert status == 200 and report["findings"]


def test_socialcheck_serve_can_require_the_token(serve):
    port, token, _, _ = serve("--no-grammar", "--require-token", "--token", "a-token-chosen-by-the-department")
    assert token == "a-token-chosen-by-the-department"
    status, _, body = request(port, "POST", "/v1/check/text", {"text": "hi"}, CLIENT)
    assert (status, body["error"]["code"]) == (401, "token_required")
    status, _, _ = request(port, "POST", "/v1/check/text", {"text": "hi"}, {**CLIENT, "Authorization": f"Bearer {token}"})
    assert status == 200


def test_socialcheck_serve_stops_cleanly_on_sigterm(serve):
    port, _, _, process = serve("--no-grammar")
    assert request(port, "GET", "/v1/health")[0] == 200
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    assert "socialcheck server stopped." in process.stdout.read()
    with pytest.raises(OSError):
        request(port, "GET", "/v1/health")
