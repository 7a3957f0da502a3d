"""The app factory, its settings, the pairing token, and the serve helpers."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from server import create_app
from server.pairing import load_or_create_token
from server.serve import allowed_hosts, bind, url
from server.settings import ServerSettings, extension_origin, is_loopback


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ({"SOCIALCHECK_GRAMMER": False}, "unknown server settings"),
        ({"SOCIALCHECK_TOKEN": "short"}, "at least 16"),
        ({"SOCIALCHECK_REQUIRE_TOKEN": True}, "needs SOCIALCHECK_TOKEN"),
        ({"SOCIALCHECK_CACHE_SIZE": -1}, "non-negative"),
        ({"SOCIALCHECK_TEXT_BODY_LIMIT": "1MB"}, "positive whole number"),
        ({"SOCIALCHECK_ALLOWED_HOSTS": "localhost"}, "list of strings"),
        ({"SOCIALCHECK_EXTENSION_IDS": ["not-an-id"]}, "neither a Chrome extension id"),
    ],
)
def test_a_wrong_setting_fails_at_start_and_says_why(config, problem):
    with pytest.raises(ValueError, match=problem):
        create_app({"SOCIALCHECK_GRAMMAR": False, **config})


def test_a_broken_policy_pack_fails_at_start_naming_the_file(tmp_path):
    from checker.errors import PolicyError

    with pytest.raises(PolicyError, match="identity.toml"):
        create_app({"SOCIALCHECK_GRAMMAR": False, "SOCIALCHECK_POLICY": str(tmp_path)})


def test_defaults_are_loopback_without_a_token():
    settings = ServerSettings.from_config({})
    assert settings.allowed_hosts == {"localhost", "127.0.0.1", "::1"}
    assert settings.require_token is False and settings.grammar is True
    assert settings.origin_allowed("chrome-extension://" + "a" * 32)
    assert not settings.origin_allowed("https://le.ac.uk")


def test_extension_ids_may_be_bare_or_origins():
    assert extension_origin("a" * 32) == "chrome-extension://" + "a" * 32
    firefox = "moz-extension://0f1e2d3c-4b5a-4697-8877-665544332211"
    assert extension_origin(firefox + "/") == firefox


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("::1", True), ("[::1]", True), ("localhost", True), ("127.1.2.3", True), ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False)])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_a_server_bound_beyond_loopback_answers_its_own_names_too():
    assert allowed_hosts("127.0.0.1", []) == sorted({"localhost", "127.0.0.1", "::1"})
    wide = allowed_hosts("192.0.2.10", ["checker.dept.le.ac.uk"])
    assert {"192.0.2.10", "checker.dept.le.ac.uk", "localhost"} <= set(wide)


def test_bind_takes_a_free_port_and_urls_bracket_ipv6():
    listener = bind("127.0.0.1", 0)
    try:
        assert listener.getsockname()[1] > 0
    finally:
        listener.close()
    localhost = bind("localhost", 0)
    try:
        assert localhost.getsockname()[0] == "127.0.0.1"
    finally:
        localhost.close()
    assert url("::1", 8765) == "http://[::1]:8765"
    assert url("127.0.0.1", 8765) == "http://127.0.0.1:8765"


def test_the_pairing_token_is_made_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALCHECK_CONFIG_DIR", str(tmp_path / "config"))
    token, path = load_or_create_token()
    again, same_path = load_or_create_token()
    assert token == again and path == same_path == tmp_path / "config" / "token"
    assert len(token) >= 32
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    path.write_text("x\n")  # a damaged file is replaced, not trusted
    replaced, _ = load_or_create_token()
    assert replaced != token and len(replaced) >= 32


def test_the_library_the_cli_and_the_server_package_do_not_import_flask():
    import subprocess

    code = "import sys, checker, checker.cli, server, server.serve; checker.cli.build_parser(); print('flask' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
