"""`socialcheck text` answered by a `socialcheck serve` already running on this machine.

A one-shot check in its own process pays for loading the policy and building Harper (1.5 to
3 s); a running server has paid already and answers in milliseconds. So, as eslint_d does for
eslint, the command asks the local server when one is up and would check exactly as this
process would, and checks in-process otherwise. The output is the same either way:

- the same code and pack: the server's version is ours, and its pack's content hash is the
  hash of the pack folder this command would load (`--policy`, or the bundled pack);
- the same engines: Harper ready and LanguageTool off there, and nothing in our environment
  that would choose other engines here (SOCIALCHECK_GRAMMAR, LanguageTool's settings);
- the same words: the server's personal dictionary is empty (this command has none);
- the same report: offsets back from UTF-16 code units to Python's, the rest as it came.

Only loopback addresses are asked (the text never leaves the machine): http://127.0.0.1:8765,
or SOCIALCHECK_SERVER (a loopback URL, or "off"). Any refusal, error or timeout means
"check in-process", never a different answer.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.parse
from pathlib import Path
from typing import Any

from checker.findings import Finding, Report
from server.settings import DEFAULT_PORT, LOOPBACK_HOSTS

SERVER_ENV = "SOCIALCHECK_SERVER"
DEFAULT_URL = f"http://127.0.0.1:{DEFAULT_PORT}"
HEALTH_TIMEOUT = 1.0  # seconds: a server on this machine answers its health in milliseconds
CHECK_TIMEOUT = 10.0
# A server that has just started answers with the rules alone until Harper is ready (about 1.5 s):
# waiting for it is quicker than building Harper here.
STARTING_WAIT = 4.0


def chooses_other_engines(environ: os._Environ[str] | dict[str, str]) -> bool:
    """Whether our environment picks grammar engines of its own (checker.grammar's ENV_KEYS):
    the server's environment chose its engines, so ours could differ."""
    return any(key == "SOCIALCHECK_GRAMMAR" or key.startswith(("SOCIALCHECK_LT_", "LTP_")) for key in environ)


def server_url(environ: os._Environ[str] | dict[str, str]) -> tuple[str, int] | None:
    """The loopback server to ask, as (host, port), or None ("off", or not on this machine)."""
    wanted = environ.get(SERVER_ENV, "").strip() or DEFAULT_URL
    if wanted.lower() == "off":
        return None
    try:
        parts = urllib.parse.urlsplit(wanted)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS or port is None:
        return None
    return parts.hostname, port


class LocalServer:
    """A running server that checks as this process would (see `connect`)."""

    def __init__(self, host: str, port: int, token: str | None) -> None:
        self.host, self.port, self._token = host, port, token

    @classmethod
    def connect(cls, policy: str | None, environ: os._Environ[str] | dict[str, str] = os.environ) -> LocalServer | None:
        """The local server, if one is up and serves the pack folder `policy` (None: the bundled
        pack) with the engines and words this process would use; else None."""
        address = server_url(environ)
        if address is None or chooses_other_engines(environ):
            return None
        server = cls(*address, _stored_token())
        try:
            health = server._health_when_settled()
            if health is None or not server._checks_as_we_would(health, policy):
                return None
            status, words = server._request("GET", "/v1/dictionary", timeout=HEALTH_TIMEOUT)
        except (OSError, ValueError, http.client.HTTPException):
            return None
        if status != 200 or words.get("personal") != []:
            return None
        return server

    def check(self, text: str, platform: str, profile: str | None) -> Report | None:
        """The server's report on the text, as this process would make it; None if it did not answer."""
        try:
            status, answer = self._request(
                "POST", "/v1/check/text", {"text": text, "platform": platform, "profile": profile}, timeout=CHECK_TIMEOUT
            )
            if status != 200:
                return None  # a refusal (unknown platform, too long): the in-process check says why
            if answer["stats"].get("engines", {}).get("harper", {}).get("state") != "ready":
                return None
            to_str = _code_points(text)
            findings = [
                Finding(
                    rule=f["rule"],
                    category=f["category"],
                    severity=f["severity"],
                    start=to_str(f["start"]),
                    end=to_str(f["end"]),
                    message=f["message"],
                    suggestions=tuple(f["suggestions"]),
                    guideline=f["guideline"],
                )
                for f in answer["findings"]
            ]
            return Report.build(findings, answer["stats"])
        except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException):
            return None

    # --- the conversation ----------------------------------------------------------------

    def _health_when_settled(self) -> dict[str, Any] | None:
        deadline = time.monotonic() + STARTING_WAIT
        while True:
            status, health = self._request("GET", "/v1/health", timeout=HEALTH_TIMEOUT)
            if status != 200:
                return None
            harper = health.get("engines", {}).get("harper", {}).get("state")
            if harper != "starting" or time.monotonic() > deadline:
                return health
            time.sleep(0.05)

    def _checks_as_we_would(self, health: dict[str, Any], policy: str | None) -> bool:
        from checker import __version__
        from checker.policy import DEFAULT_PACK
        from server.policy_source import pack_hash

        engines = health.get("engines", {})
        if health.get("version") != __version__:
            return False
        if engines.get("harper", {}).get("state") != "ready" or engines.get("languagetool", {}).get("state") != "off":
            return False
        folder = Path(policy) if policy else DEFAULT_PACK
        if not folder.is_dir():
            return False  # the in-process load says what is wrong with it
        return (health.get("pack") or {}).get("hash") == pack_hash(folder)

    def _request(self, method: str, path: str, body: object = None, *, timeout: float) -> tuple[int, dict[str, Any]]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        headers = {"X-Socialcheck-Client": "cli"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        try:
            connection.request(method, path, data, headers)
            response = connection.getresponse()
            answer = json.loads(response.read())
        finally:
            connection.close()
        if not isinstance(answer, dict):
            raise ValueError("not a JSON object")
        return response.status, answer


def _stored_token() -> str | None:
    """The pairing token, if `socialcheck serve` has made one (never made here)."""
    from server.pairing import TOKEN_FILE, config_dir

    try:
        token = (config_dir() / TOKEN_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return token or None


def _code_points(text: str) -> Any:
    """Offsets in UTF-16 code units of `text` (the API's) back to Python str indices."""
    from server.offsets import Utf16Offsets

    return Utf16Offsets(text).to_code_points
