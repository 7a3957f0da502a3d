#!/usr/bin/env python3
"""Start-up: how long until the server answers with Harper ready, and a one-shot `socialcheck text`.

    .venv/bin/python bench/bench_startup.py [--runs 3]

Each run is a new process, as a user starts it: the server (`socialcheck serve`'s code on a
free loopback port) is polled every 20 ms from the moment it is spawned until /v1/health
answers, then until Harper is ready and a check of a real post with a name in it comes back
with Harper's findings; `socialcheck text` checks a real post from a file, Harper on and off,
in its own process (--no-server), and through a running server (as it does when one is up).
Medians of wall-clock seconds; the target (issue 12) is 1.5 s for the server and 1 s for the CLI.

Harper's probe of the pack's words is kept in a cache folder (checker.grammar.harper_engine):
each figure is given for a first start (an empty cache folder, as after installing) and for
later starts (the median of --runs, with the folder the first one filled).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_server import memory_mb, stop_server  # noqa: E402 - a script beside this one

ROOT = Path(__file__).resolve().parent.parent
POST = "Congratulations to Dr Kianne Hartley, whose research on telehealth in Wagga Wagga won this year's prize! #ResearchExcellence @UniLeicester"


def _request(port: int, token: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Authorization": f"Bearer {token}", "X-Socialcheck-Client": "bench", "Content-Type": "application/json"}
    try:
        connection.request(method, path, json.dumps(body).encode() if body is not None else None, headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_start(config_dir: str, cache_dir: str, then: Callable[[int], list[float]] | None = None) -> tuple[float, float, float, float, list[float]]:
    """Seconds from spawn to the first answer, to Harper ready, and to a check with Harper; memory
    then (MB); and what `then(port)` measured while the server was still running."""
    token = secrets.token_urlsafe(24)
    port = free_port()
    code = f"import sys; from server.serve import run; sys.exit(run(host='127.0.0.1', port={port}, token={token!r}))"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOCIALCHECK_", "LTP_"))}
    env.update({"SOCIALCHECK_CONFIG_DIR": config_dir, "SOCIALCHECK_CACHE_DIR": cache_dir, "PYTHONPATH": str(ROOT)})
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    answered = ready = checked = float("nan")
    measured: list[float] = []
    try:
        while time.perf_counter() - started < 60:
            try:
                _, health = _request(port, token, "GET", "/v1/health")
            except OSError:
                time.sleep(0.02)
                continue
            if answered != answered:
                answered = time.perf_counter() - started
            if health["engines"]["harper"]["state"] == "ready":
                ready = time.perf_counter() - started
                status, report = _request(port, token, "POST", "/v1/check/text", {"text": POST, "platform": "x"})
                assert status == 200 and report["stats"]["engines"]["harper"]["state"] == "ready", report
                checked = time.perf_counter() - started
                break
            time.sleep(0.02)
        rss = memory_mb(process.pid)[0] if Path(f"/proc/{process.pid}/status").exists() else float("nan")
        if then is not None:
            measured = then(port)
    finally:
        stop_server(process)
    return answered, ready, checked, rss, measured


def cli_text(path: Path, *options: str, cache_dir: str, server: str = "off", config_dir: str = "") -> float:
    """Wall-clock seconds of one `socialcheck text`; `server`: SOCIALCHECK_SERVER (a URL, or "off")."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOCIALCHECK_", "LTP_"))}
    env.update({"PYTHONPATH": str(ROOT), "SOCIALCHECK_SERVER": server, "SOCIALCHECK_CACHE_DIR": cache_dir})
    if config_dir:
        env["SOCIALCHECK_CONFIG_DIR"] = config_dir
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "checker.cli", "text", str(path), *options], cwd=ROOT, stdout=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        post = Path(scratch) / "post.txt"
        post.write_text(POST, encoding="utf-8")
        server_cache, cli_cache = str(Path(scratch) / "server-cache"), str(Path(scratch) / "cli-cache")

        def through_the_server(port: int) -> list[float]:
            return [cli_text(post, server=f"http://127.0.0.1:{port}", config_dir=scratch, cache_dir=server_cache) for _ in range(runs)]

        first_start = server_start(scratch, server_cache)
        starts = [server_start(scratch, server_cache) for _ in range(runs - 1)]
        starts.append(server_start(scratch, server_cache, then=through_the_server))
        with_server = starts[-1][4]
        first_cli = cli_text(post, "--no-server", cache_dir=cli_cache)
        with_harper = [cli_text(post, "--no-server", cache_dir=cli_cache) for _ in range(runs)]
        rules_only = [cli_text(post, "--no-grammar", cache_dir=cli_cache) for _ in range(runs)]
    answered, ready, checked, rss = (statistics.median(column) for column in list(zip(*starts))[:4])
    first_answered, first_ready, first_checked, first_rss, _ = first_start
    print(f"server first answer        median {answered:.2f} s  (first start {first_answered:.2f} s)")
    print(f"server Harper ready        median {ready:.2f} s  (a check with Harper answered at {checked:.2f} s; {rss:.0f} MB then)")
    print(f"                           first start {first_ready:.2f} s  (a check with Harper answered at {first_checked:.2f} s; {first_rss:.0f} MB then)")
    print(f"socialcheck text, Harper   median {statistics.median(with_harper):.2f} s  (in its own process: --no-server, or no server running; first run {first_cli:.2f} s)")
    print(f"socialcheck text, server   median {statistics.median(with_server):.2f} s  (answered by the running server)")
    print(f"socialcheck text, rules    median {statistics.median(rules_only):.2f} s  (--no-grammar)")


if __name__ == "__main__":
    main()
