"""Issue 15, C and D: what decoding an image costs, measured in a fresh subprocess (its peak
resident memory before and after one decode), so that nothing else in the test run counts.

Each file is made in a subprocess of its own first, since making a 7000x7000 CMYK JPEG takes
more memory than decoding it is now allowed to.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.image.decode import MAX_DECODE_BYTES, gif_frames

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="peak memory is read with the resource module")

MAKE = r"""
import sys
import numpy as np
from PIL import Image
kind, out = sys.argv[1], sys.argv[2]
if kind == "cmyk-progressive-jpeg":
    Image.new("CMYK", (7000, 7000), (10, 20, 30, 40)).save(out, "JPEG", progressive=True, quality=50)
elif kind == "lossless-webp":
    Image.new("RGB", (4000, 4000), (10, 20, 30)).save(out, "WEBP", lossless=True)
elif kind == "grey16-png":
    Image.fromarray(np.full((4000, 4000), 1000, dtype=np.uint16)).save(out, "PNG")
elif kind == "rgba-png":
    Image.new("RGBA", (3000, 3000), (1, 2, 3, 4)).save(out, "PNG")
elif kind == "palette-png":
    Image.new("P", (4000, 4000), 3).save(out, "PNG")
elif kind == "gif-100-frames":
    frames = [Image.new("P", (1000, 1000), i % 250) for i in range(100)]
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=50, disposal=2)
"""

MEASURE = r"""
import json, resource, sys
from checker.image.decode import DecodeProblem, decode
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    decoded = decode(data)
    outcome = {"decoded": True, "frames": decoded.frames}
except DecodeProblem as problem:
    outcome = {"decoded": False, "message": problem.message}
outcome["extra_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps(outcome))
"""


def _made(kind: str, folder: Path) -> Path:
    path = folder / kind
    subprocess.run([sys.executable, "-c", MAKE, kind, str(path)], check=True, timeout=300)
    return path


def _decode_in_subprocess(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], check=True, capture_output=True, text=True, timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1])


# (file, decoded or refused); before the fix the first three took +378, +267 and +214 MB.
CASES = [
    ("cmyk-progressive-jpeg", False),
    ("lossless-webp", False),
    ("grey16-png", True),
    ("rgba-png", True),
    ("palette-png", True),
    ("gif-100-frames", True),
]


@pytest.mark.parametrize(("kind", "decoded"), CASES)
def test_one_decode_stays_within_its_memory_bound(tmp_path, kind, decoded):
    outcome = _decode_in_subprocess(_made(kind, tmp_path))
    assert outcome["decoded"] is decoded, outcome
    if not decoded:
        assert "more than the checker allows" in outcome["message"]
    # ru_maxrss is in kilobytes on Linux; a little slack for the interpreter's own growth.
    assert outcome["extra_kb"] * 1024 <= MAX_DECODE_BYTES * 1.1, f"{kind}: +{outcome['extra_kb'] / 1024:.0f} MB"


def test_gif_frames_are_counted_without_decoding_them(tmp_path):
    path = _made("gif-100-frames", tmp_path)
    assert gif_frames(path.read_bytes()) == 100
    assert gif_frames(path.read_bytes(), most=7) == 7
    assert _decode_in_subprocess(path)["frames"] == 100


@pytest.mark.parametrize("cut", [13, 800, 5000])
def test_a_gif_cut_short_counts_the_frames_it_has(tmp_path, cut):
    data = _made("gif-100-frames", tmp_path).read_bytes()[:cut]
    assert 1 <= gif_frames(data) <= 100


CONCURRENT = r"""
import json, resource, sys, threading
from checker.image.decode import decode
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
threads = [threading.Thread(target=decode, args=(data,)) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"extra_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before}))
"""


def test_eight_uploads_at_once_are_decoded_two_at_a_time(tmp_path):
    from checker.image.decode import MAX_CONCURRENT_DECODES

    path = _made("rgba-png", tmp_path)
    done = subprocess.run([sys.executable, "-c", CONCURRENT, str(path)], check=True, capture_output=True, text=True, timeout=300)
    extra = json.loads(done.stdout.strip().splitlines()[-1])["extra_kb"] * 1024
    # Eight at once took the server to 3.27 GB before; now at most two decodes' worth (and the eight files).
    assert extra <= MAX_CONCURRENT_DECODES * MAX_DECODE_BYTES * 1.1, f"+{extra / 1e6:.0f} MB"
