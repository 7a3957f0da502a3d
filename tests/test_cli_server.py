"""`socialcheck text` through a running `socialcheck serve` (a real process on a real port):
asked only when it checks as the command would, and the output the same either way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from server.client import chooses_other_engines, server_url
from checker.policy import DEFAULT_PACK

try:  # as a package (python -m pytest from the root) or with tests/ on the path
    from tests.live_server import ServeProcess, request_json
except ImportError:
    from live_server import ServeProcess, request_json

POSTS = {
    "emoji.txt": "🎉 HUGE NEWS!!! Dr Kianne Hartley 😀 won this years prize for telehealth in Wagga Wagga. We recieved it. #ResearchExcelence @UniLeicester",
    "plain.txt": "Applications are now open for our MSc in Data Science. Call 07700 900123 to find out more.",
    "lines.txt": "First line with a typo: the the team.\n\nSecond 👩‍🔬 paragraph, leveraging synergies going forward.",
}


def our_environment(config: Path, **extra: str) -> dict[str, str]:
    """This process's environment without its own socialcheck and LanguageTool settings, with `config`."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SOCIALCHECK_", "LTP_"))}
    environment.update({"SOCIALCHECK_CONFIG_DIR": str(config), **extra})
    return environment


@contextmanager
def serving(config: Path, *options: str) -> Iterator[int]:
    """A `socialcheck serve` on a free port with Harper ready, and its port."""
    command = [sys.executable, "-c", "import sys; from checker.cli import main; sys.exit(main())", "serve", "--port", "0", *options]
    env = our_environment(config, PYTHONUNBUFFERED="1")
    served = ServeProcess(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env))
    try:
        port = int(served.wait_for(r"listening on http://127\.0\.0\.1:(\d+)").group(1))
        served.wait_for(r"grammar: harper ready", timeout=120)
        yield port
    finally:
        served.stop()


@pytest.fixture(scope="module")
def running(tmp_path_factory) -> Iterator[tuple[int, Path]]:
    """A `socialcheck serve` with Harper ready, and its config folder (token, personal dictionary)."""
    config = tmp_path_factory.mktemp("config")
    with serving(config) as port:
        yield port, config


@pytest.fixture(scope="module")
def posts(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("posts")
    for name, text in POSTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [str(folder / name) for name in POSTS]


def socialcheck(port: int, config: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = our_environment(config, **{"SOCIALCHECK_SERVER": f"http://127.0.0.1:{port}", "NO_COLOR": "1", **env})
    return subprocess.run([sys.executable, "-m", "checker.cli", *args], capture_output=True, text=True, timeout=120, env=environment)


def checks_answered(port: int, token: str | None = None) -> int:
    """How many checks the server has answered (its cache's hits and misses)."""
    cache = request_json(port, "GET", "/v1/health", headers={"Authorization": f"Bearer {token}"} if token else None)["cache"]
    return cache["hits"] + cache["misses"]


def same_either_way(port: int, config: Path, *args: str, asked: bool, **env: str) -> str:
    """Run the command through the server (if it answers) and in-process; both print the same."""
    files = sum(1 for arg in args if os.path.isfile(arg))
    before = checks_answered(port)
    through = socialcheck(port, config, *args, **env)
    assert checks_answered(port) == before + (files if asked else 0)  # one check a file, or none
    alone = socialcheck(port, config, *args, "--no-server", **env)
    assert checks_answered(port) == before + (files if asked else 0)
    assert (through.returncode, through.stdout, through.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    return through.stdout


@pytest.mark.parametrize(
    "options",
    [(), ("--json",), ("--platform", "x", "--profile", "department"), ("--platform", "mastodon", "--json")],
)
def test_the_running_server_answers_with_the_same_output(running, posts, options):
    port, config = running
    out = same_either_way(port, config, "text", *posts, *options, asked=True)
    assert "Kianne" in out and "recieved" in out  # Harper's spelling and the rules, through the server


def test_offsets_after_emoji_are_those_of_the_command(running, posts):
    port, config = running
    report = json.loads(same_either_way(port, config, "text", posts[0], "--json", asked=True))
    text = POSTS["emoji.txt"]
    assert {text[f["start"] : f["end"]] for f in report["findings"]} >= {"Kianne", "recieved"}


def test_a_refused_check_is_made_in_process_and_fails_as_it_would(running, posts):
    port, config = running
    through = socialcheck(port, config, "text", posts[1], "--platform", "myspace")  # the server says 400
    alone = socialcheck(port, config, "text", posts[1], "--platform", "myspace", "--no-server")
    assert through.returncode == alone.returncode == 2
    assert through.stderr == alone.stderr and "myspace" in through.stderr


def test_a_server_with_another_pack_is_not_asked(running, posts, tmp_path):
    port, config = running
    pack = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, pack)
    with (pack / "policy" / "dictionary.txt").open("a", encoding="utf-8") as words:
        words.write("\nKianne\n")
    out = same_either_way(port, config, "text", posts[0], "--policy", str(pack), asked=False)
    assert "‘Kianne’" not in out  # this pack knows the name; the server's does not


def test_a_server_with_personal_words_is_not_asked(running, posts):
    port, config = running

    def dictionary(method: str, path: str, body: object = None) -> None:
        request_json(port, method, path, json.dumps(body).encode() if body is not None else None, {"Content-Type": "application/json"})

    dictionary("POST", "/v1/dictionary", {"word": "Hartley"})
    try:
        same_either_way(port, config, "text", posts[0], asked=False)
    finally:
        dictionary("DELETE", "/v1/dictionary/Hartley")
    same_either_way(port, config, "text", posts[0], asked=True)


@pytest.mark.parametrize("env", [{"SOCIALCHECK_SERVER": "off"}, {"SOCIALCHECK_GRAMMAR": "harper"}])
def test_the_server_is_not_asked_when_told_not_to_or_when_our_engines_may_differ(running, posts, env):
    port, config = running
    same_either_way(port, config, "text", posts[1], asked=False, **env)


def test_no_grammar_is_checked_in_process(running, posts):
    port, config = running
    same_either_way(port, config, "text", posts[1], "--no-grammar", asked=False)


def test_every_variable_that_chooses_engines_keeps_the_check_in_process():
    from checker.grammar import ENV_KEYS

    for key in ENV_KEYS:
        assert chooses_other_engines({key: "x"}), key
    assert not chooses_other_engines({"SOCIALCHECK_CONFIG_DIR": "/tmp", "SOCIALCHECK_SERVER": "http://127.0.0.1:1"})


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("", ("127.0.0.1", 8765)),
        ("http://localhost:9000", ("localhost", 9000)),
        ("http://[::1]:9000", ("::1", 9000)),
        ("off", None),
        ("http://example.org:8765", None),  # the text never leaves the machine
        ("https://127.0.0.1:8765", None),
        ("http://127.0.0.1", None),
        ("http://127.0.0.1:99999", None),
    ],
)
def test_only_a_loopback_server_is_asked(value, address):
    assert server_url({"SOCIALCHECK_SERVER": value}) == address


def test_utf16_offsets_convert_back_to_the_same_indices():
    from server.offsets import Utf16Offsets

    text = "a😀b👩‍🔬c\U0001f600\U0001f600é"
    offsets = Utf16Offsets(text)
    assert [offsets.to_code_points(offsets(i)) for i in range(len(text) + 1)] == list(range(len(text) + 1))


def test_a_server_that_requires_the_token_is_asked_with_the_stored_one(tmp_path, posts):
    config = tmp_path / "config"
    with serving(config, "--require-token") as port:
        token = (config / "token").read_text(encoding="ascii").strip()
        before = checks_answered(port, token)
        with_token = socialcheck(port, config, "text", posts[0])
        assert checks_answered(port, token) == before + 1
        without = socialcheck(port, tmp_path / "elsewhere", "text", posts[0])  # refused: checked in-process
        assert (with_token.returncode, with_token.stdout) == (without.returncode, without.stdout)
        assert not (tmp_path / "elsewhere").exists()  # no token is made by the command

