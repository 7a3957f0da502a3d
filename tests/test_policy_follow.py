"""Following a policy pack while serving (server.policy_source), against the real server on a
loopback port: a folder changed on disk, a pack published at a URL by a real HTTP server on
127.0.0.1, a pack on a "network share" (a file:// address), a broken new version, and a laptop
that starts offline with the copy it kept.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from live_server import request_json, static_site, waitress_server

from server.policy_source import PolicySource, pack_hash

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "brand_assets"
WAIT_SECONDS = 20
NEW_RULE = '''
[rules.follow_test]
kind = "terms"
severity = "{severity}"
guideline = "identity"
message = "Write “{{suggestion}}”, not “{{match}}”."
terms = {{ "Zorblax" = "Example" }}
examples.flag = ["Zorblax is here"]
examples.pass = ["Example is here"]
'''


def get(port: int, path: str) -> dict[str, Any]:
    return request_json(port, "GET", path)


def check(port: int, text: str) -> dict[str, Any]:
    body = json.dumps({"text": text, "platform": "x"}).encode()
    return request_json(port, "POST", "/v1/check/text", body, {"Content-Type": "application/json"})


def rules_found(port: int, text: str) -> set[str]:
    return {finding["rule"] for finding in check(port, text)["findings"]}


def wait_until(condition: Callable[[], Any], what: str, timeout: float = WAIT_SECONDS) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.2)


def copy_pack(target: Path) -> Path:
    shutil.copytree(PACK, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def add_rule(pack: Path, severity: str = "warning") -> None:
    with (pack / "policy" / "rules" / "brand.toml").open("a", encoding="utf-8") as handle:
        handle.write(NEW_RULE.format(severity=severity))


def rename_pack(pack: Path, name: str) -> None:
    path = pack / "policy" / "pack.toml"
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("[pack]\n")
    line_end = rest.index("\n")
    assert rest.startswith("name = "), "pack.toml's [pack] table starts with its name"
    path.write_text(head + sep + f'name = "{name}"' + rest[line_end:], encoding="utf-8")


def zip_pack(pack: Path, into: Path, *, top: str | None = "socialcheck-pack") -> None:
    """A zip as Marketing would publish it: the folder compressed (one folder at the top)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(pack.rglob("*")):
            if path.is_file():
                name = path.relative_to(pack).as_posix()
                archive.write(path, f"{top}/{name}" if top else name)
    partial_file = into.with_suffix(".partial")
    partial_file.write_bytes(buffer.getvalue())
    partial_file.replace(into)


@contextmanager
def http_site(folder: Path) -> Iterator[str]:
    with static_site(folder) as port:
        yield f"http://127.0.0.1:{port}"


def follow_config(policy: str | Path, cache: Path, minutes: float = 1 / 60) -> dict[str, Any]:
    return {
        "SOCIALCHECK_GRAMMAR": False,
        "SOCIALCHECK_POLICY": str(policy),
        "SOCIALCHECK_POLICY_FOLLOW": True,
        "SOCIALCHECK_POLICY_CHECK_MINUTES": minutes,
        "SOCIALCHECK_POLICY_CACHE_DIR": str(cache),
    }


# --- a folder ----------------------------------------------------------------------------------


def test_a_folder_changed_on_disk_takes_effect_without_a_restart(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "pack")
    with waitress_server(follow_config(pack, tmp_path / "cache")) as port:
        first = get(port, "/v1/health")["pack"]
        assert first["follows"] == "folder" and first["source"] == str(pack)
        assert first["hash"] == pack_hash(pack) and first["problem"] is None
        assert "brand.follow_test" not in rules_found(port, "Zorblax is here")  # also fills the cache

        add_rule(pack)
        rename_pack(pack, "Handbook, second edition")
        now = wait_until(lambda: (p := get(port, "/v1/health")["pack"])["hash"] != first["hash"] and p, "the changed folder is loaded")
        assert now["name"] == "Handbook, second edition" == get(port, "/v1/health")["policy"]
        assert now["hash"] == pack_hash(pack)
        # The same text, checked again: answered by the new pack, not from the cache.
        assert "brand.follow_test" in rules_found(port, "Zorblax is here")


def test_a_broken_change_keeps_the_old_pack_and_names_the_file_the_rule_and_the_problem(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "pack")
    add_rule(pack)
    with waitress_server(follow_config(pack, tmp_path / "cache")) as port:
        good = get(port, "/v1/health")["pack"]
        brand = pack / "policy" / "rules" / "brand.toml"
        brand.write_text(brand.read_text(encoding="utf-8").replace(NEW_RULE.format(severity="warning"), NEW_RULE.format(severity="loud")), encoding="utf-8")
        problem = wait_until(lambda: get(port, "/v1/health")["pack"]["problem"], "the broken pack is reported")
        assert problem["file"] == "policy/rules/brand.toml"
        assert problem["rule"] == "brand.follow_test"
        assert "loud" in problem["message"] and "severity" in problem["message"]
        health = get(port, "/v1/health")["pack"]
        assert health["hash"] == good["hash"], "the old pack stays in force"
        assert "brand.follow_test" in rules_found(port, "Zorblax is here")

        # A file that is not TOML at all: named too.
        (pack / "policy" / "pack.toml").write_text("[pack\nname = ", encoding="utf-8")
        problem = wait_until(lambda: (p := get(port, "/v1/health")["pack"]["problem"]) and p["file"] == "policy/pack.toml" and p, "the unreadable file is named")
        assert problem["message"]

        # Mended: the newest version goes into force and the problem is gone.
        shutil.copy(PACK / "policy" / "pack.toml", pack / "policy" / "pack.toml")
        brand.write_text(brand.read_text(encoding="utf-8").replace('severity = "loud"', 'severity = "info"'), encoding="utf-8")
        mended = wait_until(lambda: (p := get(port, "/v1/health")["pack"])["problem"] is None and p["hash"] != good["hash"] and p, "the mended pack goes into force")
        assert mended["hash"] == pack_hash(pack)


# --- a pack published at a URL -----------------------------------------------------------------


def test_a_pack_published_at_a_url_is_followed_kept_and_used_offline(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    pack = copy_pack(tmp_path / "pack")
    zip_pack(pack, site / "pack.zip")
    cache = tmp_path / "cache"
    with http_site(site) as base:
        url = f"{base}/pack.zip"
        with waitress_server(follow_config(url, cache)) as port:
            first = get(port, "/v1/health")["pack"]
            assert (first["follows"], first["source"], first["check_every_seconds"]) == ("url", url, 1.0)
            assert first["hash"] == pack_hash(pack), "the same files have the same hash, zipped or not"
            assert first["offline"] is None

            # Marketing publishes a new version.
            add_rule(pack)
            rename_pack(pack, "Handbook, published again")
            zip_pack(pack, site / "pack.zip")
            now = wait_until(lambda: (p := get(port, "/v1/health")["pack"])["hash"] != first["hash"] and p, "the new version is fetched")
            assert now["name"] == "Handbook, published again" and now["hash"] == pack_hash(pack)
            assert "brand.follow_test" in rules_found(port, "Zorblax is here")

            # A broken version: the good one stays, and health says why.
            broken = copy_pack(tmp_path / "broken")
            add_rule(broken, severity="loud")
            zip_pack(broken, site / "pack.zip")
            problem = wait_until(lambda: get(port, "/v1/health")["pack"]["problem"], "the broken version is reported")
            assert (problem["file"], problem["rule"]) == ("policy/rules/brand.toml", "brand.follow_test")
            assert get(port, "/v1/health")["pack"]["hash"] == now["hash"]

            # Not a pack at all.
            (site / "pack.zip").write_bytes(b"<html>Sign in to the intranet</html>")
            wait_until(lambda: "zip" in ((get(port, "/v1/health")["pack"]["problem"] or {}).get("message") or "").lower(), "a file that is not a zip is refused")
            assert get(port, "/v1/health")["pack"]["hash"] == now["hash"]

    # The site is gone (a laptop off the network): the running server keeps its pack...
    # ...and a server started now serves the copy it kept.
    with waitress_server(follow_config(url, cache)) as port:
        offline = get(port, "/v1/health")["pack"]
        assert offline["hash"] == now["hash"] and offline["name"] == "Handbook, published again"
        assert offline["offline"] and "cannot be reached" in offline["offline"]
        assert "brand.follow_test" in rules_found(port, "Zorblax is here")


def test_a_url_that_was_never_reached_is_a_clear_error_at_start(tmp_path: Path) -> None:
    from checker.errors import PolicyError

    with socket_closed_port() as port:
        with pytest.raises(PolicyError, match="could not be fetched.*no copy of it is kept"):
            PolicySource(f"http://127.0.0.1:{port}/pack.zip", cache_dir=tmp_path).load_initial()
    with pytest.raises(ValueError, match="https://, http:// or file://"):
        PolicySource("ftp://example.org/pack.zip", cache_dir=tmp_path)


@contextmanager
def socket_closed_port() -> Iterator[int]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        yield probe.getsockname()[1]  # bound but not listening: connections are refused


def test_a_pack_on_a_network_share_is_followed_as_a_file_url(tmp_path: Path) -> None:
    share = copy_pack(tmp_path / "share" / "socialcheck-pack")
    with waitress_server(follow_config(share.as_uri(), tmp_path / "cache")) as port:
        first = get(port, "/v1/health")["pack"]
        assert first["source"] == share.as_uri() and first["hash"] == pack_hash(share)
        rename_pack(share, "Handbook on the share")
        wait_until(lambda: get(port, "/v1/health")["pack"]["name"] == "Handbook on the share", "the share's new version is loaded")
    # The share is unmounted: the kept copy serves.
    shutil.rmtree(share)
    with waitress_server(follow_config((tmp_path / "share" / "socialcheck-pack").as_uri(), tmp_path / "cache")) as port:
        health = get(port, "/v1/health")["pack"]
        assert health["name"] == "Handbook on the share" and health["offline"]


def test_a_zip_that_reaches_outside_the_pack_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("identity.toml", "")
        archive.writestr("../escape.toml", "x")
    (tmp_path / "evil.zip").write_bytes(buffer.getvalue())
    source = PolicySource((tmp_path / "evil.zip").as_uri(), cache_dir=tmp_path / "cache")
    with pytest.raises(Exception, match="outside the pack"):
        source.load_initial()
    assert not (tmp_path / "escape.toml").exists()


# --- through `socialcheck serve` ---------------------------------------------------------------


def test_serve_follows_its_policy_folder(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "pack")
    env = {**os.environ, "SOCIALCHECK_CONFIG_DIR": str(tmp_path / "config"), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from checker.cli import main; sys.exit(main())", "serve", "--port", "0", "--no-grammar", "--policy", str(pack)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        found = wait_until(lambda: next((l for l in list(lines) if "listening on http://127.0.0.1:" in l), None), "serve starts", 90)
        port = int(found.split("listening on http://127.0.0.1:")[1].split()[0])
        pack_line = wait_until(lambda: next((l for l in list(lines) if l.startswith("policy pack:")), None), "serve names the pack")
        assert "reloaded when its files change" in pack_line and pack_hash(pack)[:19] in pack_line
        rename_pack(pack, "Renamed while serving")
        wait_until(lambda: get(port, "/v1/health")["policy"] == "Renamed while serving", "serve reloads the folder")
    finally:
        process.terminate()
        assert process.wait(timeout=20) == 0
        reader.join(timeout=5)
        process.stdout.close()  # type: ignore[union-attr]


def test_a_word_added_to_the_dictionary_reaches_the_grammar_engine_without_a_restart(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "pack")
    config = {**follow_config(pack, tmp_path / "cache"), "SOCIALCHECK_GRAMMAR": True}
    text = "Our Zorblaxian researchers met today."

    def harper_ready(port: int) -> bool:
        return get(port, "/v1/health")["engines"]["harper"]["state"] == "ready"

    def spelling(port: int) -> set[str]:
        return {f["rule"] for f in check(port, text)["findings"] if f["category"] == "spelling"}

    with waitress_server(config) as port:
        wait_until(lambda: harper_ready(port), "Harper starts", 90)
        before = spelling(port)
        if not before:
            pytest.skip("Harper does not flag the made-up word here: nothing to compare")
        first = get(port, "/v1/health")["pack"]["hash"]
        with (pack / "policy" / "dictionary.txt").open("a", encoding="utf-8") as handle:
            handle.write("\nZorblaxian\n")
        wait_until(lambda: get(port, "/v1/health")["pack"]["hash"] != first, "the dictionary change is loaded")
        wait_until(lambda: harper_ready(port) and not spelling(port), "the new word is known to Harper", 90)
