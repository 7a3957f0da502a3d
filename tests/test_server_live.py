"""The real server on a real port: waitress in a thread, and `socialcheck serve` as users start it."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

try:  # as a package (python -m pytest from the root) or with tests/ on the path
    from tests.live_server import ServeProcess as Served
    from tests.live_server import waitress_server
except ImportError:
    from live_server import ServeProcess as Served
    from live_server import waitress_server

CLIENT = {"X-Socialcheck-Client": "pytest"}


def request(
    port: int, method: str, path: str, body: object = None, headers: dict[str, str] | None = None, host: str | None = None, address: str = "127.0.0.1"
):
    """One HTTP request with http.client; returns (status, headers, parsed JSON)."""
    connection = http.client.HTTPConnection(address, port, timeout=10)
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
    with waitress_server({"SOCIALCHECK_GRAMMAR": False, "SOCIALCHECK_TEXT_BODY_LIMIT": 64 * 1024}) as port:
        yield port


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
    """Start `socialcheck serve` with the given options; gives (port, token, the Served process)."""
    started: list[Served] = []

    def start(*options: str) -> tuple[int, str, Served]:
        env = {**os.environ, "SOCIALCHECK_CONFIG_DIR": str(tmp_path / "config"), "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-c", "import sys; from checker.cli import main; sys.exit(main())", "serve", "--port", "0", *options]
        served = Served(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env))
        started.append(served)
        served.wait_for(r"Press Ctrl\+C")
        port = int(served.wait_for(r"listening on http://127\.0\.0\.\d+:(\d+)").group(1))
        token = served.wait_for(r"pairing token: (\S+)").group(1)
        return port, token, served

    yield start
    for served in started:
        served.stop()


def test_socialcheck_serve_prints_where_it_listens_and_serves(serve, tmp_path):
    port, token, served = serve("--no-grammar")
    assert "grammar: harper off" in served.output
    assert (tmp_path / "config" / "token").read_text().strip() == token  # made on first start, kept
    status, _, health = request(port, "GET", "/v1/health")
    assert status == 200 and health["token_required"] is False
    status, _, report = request(port, "POST", "/v1/check/text", {"text": "Leicester Uni rocks"}, CLIENT)
    assert status == 200 and report["findings"]
    # Its Host allow-list knows the port it listens on.
    assert request(port, "GET", "/v1/health", host=f"localhost:{port}")[0] == 200
    status, _, body = request(port, "GET", "/v1/health", host=f"localhost:{port + 1}")
    assert (status, body["error"]["code"]) == (403, "host_not_allowed")


def test_socialcheck_serve_reports_the_grammar_engine_starting_then_ready(serve):
    port, _, served = serve()
    served.wait_for(r"grammar: harper (starting|ready)")
    served.wait_for(r"grammar: harper ready")
    health = request(port, "GET", "/v1/health")[2]
    assert health["status"] == "ok" and health["engines"]["harper"]["state"] == "ready"
    report = request(port, "POST", "/v1/check/text", {"text": "We recieve many applications."}, CLIENT)[2]
    assert "spelling" in {f["category"] for f in report["findings"]}


def test_socialcheck_serve_can_require_the_token(serve):
    port, shown, served = serve("--no-grammar", "--require-token", "--token", "a-token-chosen-by-the-department")
    assert shown == "a-to…ment" and "a-token-chosen-by-the-department" not in served.output  # the user typed it
    token = "a-token-chosen-by-the-department"
    status, _, body = request(port, "POST", "/v1/check/text", {"text": "hi"}, CLIENT)
    assert (status, body["error"]["code"]) == (401, "token_required")
    status, _, _ = request(port, "POST", "/v1/check/text", {"text": "hi"}, {**CLIENT, "Authorization": f"Bearer {token}"})
    assert status == 200


def test_socialcheck_serve_stops_cleanly_on_sigterm(serve):
    port, _, served = serve("--no-grammar")
    assert request(port, "GET", "/v1/health")[0] == 200
    assert served.stop() == 0
    assert "socialcheck server stopped." in served.output
    with pytest.raises(OSError):
        request(port, "GET", "/v1/health")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--token", "short"], "at least 16 characters"),
        (["--extension-id", "not-an-extension"], "neither a Chrome extension id"),
        (["--policy", "/nonexistent/pack"], "policy error"),
    ],
)
def test_socialcheck_serve_refuses_bad_options_clearly(tmp_path, options, message):
    env = {**os.environ, "SOCIALCHECK_CONFIG_DIR": str(tmp_path)}
    command = [sys.executable, "-c", "import sys; from checker.cli import main; sys.exit(main())", "serve", "--port", "0", "--no-grammar", *options]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_token_is_printed_in_full_only_when_made_or_asked_for(serve, tmp_path):
    _, first, served = serve("--no-grammar")
    assert len(first) >= 16 and first in served.output
    served.stop()
    _, shown, again = serve("--no-grammar")
    assert shown == f"{first[:4]}…{first[-4:]}" and first not in again.output
    again.stop()
    _, full, _ = serve("--no-grammar", "--show-token")
    assert full == first


@pytest.mark.skipif(sys.platform == "win32", reason="file modes are POSIX")
def test_a_token_file_readable_by_others_is_made_the_users_alone(serve, tmp_path):
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "token").write_text("a-token-someone-copied-here-0644\n")
    os.chmod(folder / "token", 0o644)
    serve("--no-grammar")
    assert (folder / "token").stat().st_mode & 0o777 == 0o600


def test_the_server_answers_on_the_loopback_address_it_was_given(serve):
    port, _, served = serve("--no-grammar", "--host", "127.0.0.2")
    assert "listening on http://127.0.0.2:" in served.output
    status, _, health = request(port, "GET", "/v1/health", address="127.0.0.2")  # Host: 127.0.0.2:port
    assert status == 200 and health["status"] == "ok"
