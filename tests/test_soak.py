"""A bounded soak: many concurrent clients against `socialcheck serve` for a fixed time.

The real server runs in its own process (grammar off, so that two cores can drive it hard;
the grammar engine has its own tests), as `make serve` starts it. Sixteen client threads,
each with its own keep-alive connection (re-opened now and then), send for SOAK_SECONDS a
mix of text checks (drafts repeated, as the extension re-checks them; new drafts; drafts
with emoji and other astral characters, whose UTF-16 offsets differ from Python's) and a
few image checks. Then: every request got an answer, every answer was 200 and had exactly
the findings the library gives in-process for the same input (offsets converted to UTF-16),
the server still answers /v1/health, and its resident memory is back near where it was
after the warm-up.

Run on its own with `pytest -m soak`; `make test` runs it (about 30 s).
"""

from __future__ import annotations

import http.client
import io
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from PIL import Image

from checker import check_image, check_text
from live_server import ServeProcess as Served

pytestmark = pytest.mark.soak

SOAK_SECONDS = 15.0
WARM_UP_SECONDS = 3.0
CLIENTS = 16
# Growth allowed after the load, beyond the warm-up's resident size: the response cache
# (1,024 entries) filling up, and allocator arenas the load made.
RSS_GROWTH_LIMIT_MB = 30
CLIENT_HEADERS = {"X-Socialcheck-Client": "soak", "Content-Type": "application/json"}

REPEATED_DRAFTS = [
    "HUGE NEWS from Leicester Uni!!! Call Mia on 07700 900123!!",
    "Congratulations to our graduates 🎓🎉 #LeicesterGrad",
    "Our researchers found a new way to read old manuscripts. Read more: https://le.ac.uk/news",
    "Hey guys, the chairman will open the new building tomorrow.",
    "We recieve thousands of applications every year and we are proud of every one.",
    "Join us for the open day on Saturday 14 June. Book your place at le.ac.uk/open-days",
    "𝐁𝐨𝐥𝐝 𝐭𝐞𝐱𝐭 is hard for screen readers 😀😀😀😀",
    "Contact jane.smith@gmail.com for details",
]
PLATFORMS = ["x", "generic", "bluesky", "linkedin", "mastodon"]
WORDS = "students research open day library campus award science history music café naïve 🎉 😀 👩‍🔬 𝒻𝒶𝓃𝒸𝓎 Leicester Uni guys AMAZING!!!".split()


def _image(fmt: str, size: int, colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, fmt)
    return buffer.getvalue()


IMAGES = [("x", _image("PNG", 400, (0, 40, 80))), ("linkedin", _image("JPEG", 600, (200, 16, 46)))]


def utf16_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le", "surrogatepass")) // 2


@cache
def expected_text(text: str, platform: str) -> tuple[tuple[str, int, int], ...]:
    report = check_text(text, platform, grammar=False)
    return tuple((f.rule, utf16_offset(text, f.start), utf16_offset(text, f.end)) for f in report.findings)


@cache
def expected_image(index: int) -> tuple[str, ...]:
    platform, data = IMAGES[index]
    return tuple(sorted(f.rule for f in check_image(data, platform).findings))


@dataclass(frozen=True)
class Exchange:
    kind: str  # "text" or "image"
    request: tuple[str, str] | int  # (text, platform) or an index into IMAGES
    status: int | None  # None: no answer (the error says why)
    body: dict | None
    error: str = ""


def _multipart(platform: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="platform"\r\n\r\n{platform}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="avatar"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _client(port: int, seed: int, deadline: float, results: list[Exchange]) -> None:
    chooser = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = 0
    while time.monotonic() < deadline:
        roll = chooser.random()
        if roll < 0.05:
            index = chooser.randrange(len(IMAGES))
            body, content_type = _multipart(IMAGES[index][0], IMAGES[index][1])
            kind, request, path, headers = "image", index, "/v1/check/image", {**CLIENT_HEADERS, "Content-Type": content_type}
        else:
            platform = chooser.choice(PLATFORMS)
            if roll < 0.55:
                text = chooser.choice(REPEATED_DRAFTS)
            else:  # a new draft: words (some astral) in a new order, with a number that makes it unique
                text = " ".join(chooser.choice(WORDS) for _ in range(chooser.randint(3, 45))) + f" #{seed}x{sent}"
            body = json.dumps({"text": text, "platform": platform}).encode()
            kind, request, path, headers = "text", (text, platform), "/v1/check/text", CLIENT_HEADERS
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            results.append(Exchange(kind, request, response.status, json.loads(raw)))
        except Exception as error:  # noqa: BLE001 - every failure is recorded and asserted on below
            results.append(Exchange(kind, request, None, None, f"{type(error).__name__}: {error}"))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sent += 1
        if sent % 50 == 0:  # some clients come and go, as browser tabs do
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.close()


def _load(port: int, seconds: float, seed: int) -> list[Exchange]:
    deadline = time.monotonic() + seconds
    per_client: list[list[Exchange]] = [[] for _ in range(CLIENTS)]
    threads = [threading.Thread(target=_client, args=(port, seed + n, deadline, per_client[n])) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
        assert not thread.is_alive(), "a client never finished: a request hung"
    return [exchange for exchanges in per_client for exchange in exchanges]


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def _health(port: int) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/v1/health")
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


@pytest.fixture
def served(tmp_path):
    env = {**os.environ, "SOCIALCHECK_CONFIG_DIR": str(tmp_path / "config"), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-c", "import sys; from checker.cli import main; sys.exit(main())", "serve", "--port", "0", "--no-grammar"]
    server = Served(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env))
    try:
        server.wait_for(r"Press Ctrl\+C")
        port = int(server.wait_for(r"listening on http://127\.0\.0\.1:(\d+)").group(1))
        yield port, server
    finally:
        server.stop()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads resident memory from /proc")
def test_many_clients_for_a_fixed_time_lose_nothing_and_leave_memory_near_where_it_was(served):
    port, server = served
    pid = server.process.pid
    warm_up = _load(port, WARM_UP_SECONDS, seed=1000)
    started_mb = resident_mb(pid)

    peak_mb = [started_mb]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(0.25):
            peak_mb[0] = max(peak_mb[0], resident_mb(pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        exchanges = _load(port, SOAK_SECONDS, seed=0)
    finally:
        sampling.set()
        sampler.join()
    time.sleep(1.0)  # let the server's threads go idle
    ended_mb = resident_mb(pid)

    failures = [e for e in warm_up + exchanges if e.status != 200]
    assert not failures, f"{len(failures)} requests failed, e.g. {failures[:3]}"
    texts = [e for e in exchanges if e.kind == "text"]
    images = [e for e in exchanges if e.kind == "image"]
    assert len(texts) > 500 and images, (len(texts), len(images))
    for exchange in texts:
        text, platform = exchange.request
        got = tuple((f["rule"], f["start"], f["end"]) for f in exchange.body["findings"])
        assert got == expected_text(text, platform), (text, platform)
    for exchange in images:
        assert tuple(sorted(f["rule"] for f in exchange.body["findings"])) == expected_image(exchange.request)

    status, health = _health(port)
    assert status == 200 and health["status"] == "ok"
    print(
        f"\nsoak: {len(exchanges)} requests in {SOAK_SECONDS:.0f} s from {CLIENTS} clients "
        f"({len(exchanges) / SOAK_SECONDS:.0f}/s; {len(images)} images, "
        f"{len({e.request for e in texts})} distinct drafts); server RSS {started_mb:.0f} MB after warm-up, "
        f"peak {peak_mb[0]:.0f} MB, {ended_mb:.0f} MB after"
    )
    assert ended_mb - started_mb < RSS_GROWTH_LIMIT_MB, (started_mb, peak_mb[0], ended_mb)
    assert server.process.poll() is None, server.output
