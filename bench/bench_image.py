#!/usr/bin/env python3
"""What a profile-image check costs: a 400x400 PNG and a 4000x3000 JPEG, end to end
(decode, every check, the preview). Prints medians (ms) and the ratio to the target.

    .venv/bin/python bench/bench_image.py [--runs 40]

Targets (issue 3): 400x400 PNG under 20 ms, 4000x3000 JPEG under 150 ms median.
The images are built here: an approved mark on a brand colour (the common case)
and a photograph-like image (noisy detail: the slowest to decode and quantise).
The first call, which builds the mark templates, is timed apart.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import check_image, load_policy  # noqa: E402

RED = (200, 16, 46)


def on_brand(width: int, height: int) -> Image.Image:
    image = Image.new("RGBA", (width, height), RED + (255,))
    shield = Image.open(ROOT / "brand_assets" / "marks" / "shield.png").convert("RGBA")
    longer = int(min(width, height) * 0.6)
    shield = shield.resize((int(longer * shield.width / shield.height), longer), Image.Resampling.LANCZOS)
    image.alpha_composite(shield, ((width - shield.width) // 2, (height - shield.height) // 2))
    return image.convert("RGB")


def photo_like(width: int, height: int, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, size=(height // 16, width // 16, 3), dtype=np.uint8)
    image = Image.fromarray(small, "RGB").resize((width, height), Image.Resampling.BICUBIC)
    noise = rng.integers(-12, 13, size=(height, width, 3))
    image = Image.fromarray(np.clip(np.asarray(image, dtype=np.int16) + noise, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        x, y = rng.integers(0, width), rng.integers(0, height)
        radius = int(rng.integers(20, min(width, height) // 6))
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    return image


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def timed(data: bytes, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        check_image(data, "x", "corporate")
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    load_policy()
    cases = [
        ("400x400 PNG, mark on brand colour", encode(on_brand(400, 400), "PNG"), 20.0),
        ("400x400 PNG, photograph-like", encode(photo_like(400, 400), "PNG"), 20.0),
        ("4000x3000 JPEG, mark on brand colour", encode(on_brand(4000, 3000), "JPEG", quality=90), 150.0),
        ("4000x3000 JPEG, photograph-like", encode(photo_like(4000, 3000), "JPEG", quality=90), 150.0),
    ]
    started = time.perf_counter()
    check_image(cases[0][1], "x", "corporate")
    print(f"first call (builds the mark templates): {(time.perf_counter() - started) * 1000:.1f} ms")
    # Other work on the machine slows every figure: say how busy it was.
    print(f"load average (1 min) at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'case':40} {'bytes':>10} {'median ms':>10} {'target':>8} {'ratio':>6}")
    for name, data, target in cases:
        median = timed(data, args.runs)
        print(f"{name:40} {len(data):>10,} {median:>10.1f} {target:>8.0f} {median / target:>6.2f}")


if __name__ == "__main__":
    main()
