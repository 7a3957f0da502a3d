"""Fuzzing check_image with random bytes and damaged copies of real PNG, JPEG, GIF and WebP files.

The seeds are real files Pillow writes in this test (several modes of each format, animated
GIF and WebP, progressive and CMYK JPEG, EXIF). Each example damages one: bit flips,
truncation, bytes overwritten, a region duplicated, a chunk of another seed spliced in, or
huge dimensions written into the header (with the PNG checksum put right, so the header
is believed). check_image must give an ImageReport (a `format` or `dimensions` finding is
the expected answer for a damaged file) or raise InputError; never another exception.
Memory is measured in a subprocess for the hostile headers that would hurt most.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from checker import ImageReport, check_image, load_policy
from checker.image.identity import visual_identity
from checker.errors import InputError
from checker.findings import CATEGORIES

POLICY = load_policy()
PLATFORMS = sorted(visual_identity(POLICY).platforms)  # the image platforms (avatars), not the text ones
ROOT = Path(__file__).resolve().parent.parent


def _picture(mode: str, size: tuple[int, int] = (64, 48), seed: int = 0) -> Image.Image:
    """A small picture with edges and colour (so every check has something to measure)."""
    generator = np.random.default_rng(seed)
    pixels = np.zeros((size[1], size[0], 4), np.uint8)
    pixels[..., 0] = np.linspace(0, 255, size[0], dtype=np.uint8)[None, :]
    pixels[..., 1] = np.linspace(255, 0, size[1], dtype=np.uint8)[:, None]
    pixels[..., 2] = generator.integers(0, 256, (size[1], size[0]), dtype=np.uint8)
    pixels[..., 3] = 255
    pixels[size[1] // 4 : size[1] // 2, size[0] // 4 : size[0] // 2, 3] = 0
    return Image.fromarray(pixels, "RGBA").convert(mode)


def _save(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _seeds() -> dict[str, bytes]:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the decoder applies it
    frames = [_picture("RGB", seed=n) for n in range(3)]
    return {
        "png-rgba": _save(_picture("RGBA"), "PNG"),
        "png-rgb": _save(_picture("RGB"), "PNG"),
        "png-palette": _save(_picture("RGBA").convert("P"), "PNG", transparency=0),
        "png-grey16": _save(Image.fromarray((np.arange(64 * 48, dtype=np.uint16).reshape(48, 64) * 20)), "PNG"),
        "png-interlaced": _save(_picture("RGB"), "PNG", optimize=False, interlace=1),
        "jpeg": _save(_picture("RGB"), "JPEG", quality=80),
        "jpeg-progressive-exif": _save(_picture("RGB"), "JPEG", progressive=True, exif=exif),
        "jpeg-cmyk": _save(_picture("CMYK"), "JPEG"),
        "jpeg-grey": _save(_picture("L"), "JPEG"),
        "gif": _save(_picture("P"), "GIF"),
        "gif-animated": _save(frames[0].convert("P"), "GIF", save_all=True, append_images=[f.convert("P") for f in frames[1:]], duration=80, loop=0),
        "webp-lossy": _save(_picture("RGB"), "WEBP", quality=70),
        "webp-lossless-alpha": _save(_picture("RGBA"), "WEBP", lossless=True),
        "webp-animated": _save(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=80),
    }


SEEDS = _seeds()


def _png_with_dimensions(data: bytearray, width: int, height: int) -> None:
    # IHDR is the first chunk: length(4) type(4) width(4) height(4) ... crc after 13 bytes of body.
    if len(data) >= 33 and data[12:16] == b"IHDR":
        data[16:24] = struct.pack(">II", width, height)
        data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)


def _jpeg_with_dimensions(data: bytearray, width: int, height: int) -> None:
    for marker in (b"\xff\xc0", b"\xff\xc1", b"\xff\xc2"):
        at = data.find(marker, 2)
        if at != -1 and at + 9 <= len(data):
            data[at + 5 : at + 9] = struct.pack(">HH", min(height, 0xFFFF), min(width, 0xFFFF))
            return


def _gif_with_dimensions(data: bytearray, width: int, height: int) -> None:
    if len(data) >= 10:
        data[6:10] = struct.pack("<HH", min(width, 0xFFFF), min(height, 0xFFFF))
    at = data.find(b"\x2c", 13)  # the first image descriptor (approximately: a mutation need not be exact)
    if at != -1 and at + 9 <= len(data):
        data[at + 5 : at + 9] = struct.pack("<HH", min(width, 0xFFFF), min(height, 0xFFFF))


def _webp_with_dimensions(data: bytearray, width: int, height: int) -> None:
    width, height = min(max(width, 1), 1 << 24), min(max(height, 1), 1 << 24)  # stored as size - 1
    if data[12:16] == b"VP8X" and len(data) >= 30:
        data[24:30] = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    elif data[12:16] == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        bits = (bits & ~0x0FFFFFFF) | (min(width, 1 << 14) - 1) | ((min(height, 1 << 14) - 1) << 14)
        data[21:25] = bits.to_bytes(4, "little")
    elif data[12:16] == b"VP8 " and len(data) >= 30:
        data[26:30] = struct.pack("<HH", min(width, 0x3FFF), min(height, 0x3FFF))


def with_dimensions(data: bytes, width: int, height: int) -> bytes:
    """The file with its header claiming width x height (each format's own header fields)."""
    damaged = bytearray(data)
    for patch in (_png_with_dimensions, _jpeg_with_dimensions, _gif_with_dimensions, _webp_with_dimensions):
        if (patch is _png_with_dimensions and data.startswith(b"\x89PNG")) or (
            patch is _jpeg_with_dimensions and data.startswith(b"\xff\xd8")
        ) or (patch is _gif_with_dimensions and data.startswith(b"GIF")) or (
            patch is _webp_with_dimensions and data[8:12] == b"WEBP"
        ):
            patch(damaged, width, height)
    return bytes(damaged)


DIMENSIONS = st.one_of(
    st.integers(0, 70_000),
    st.sampled_from([0, 1, 2**14 - 1, 2**14, 2**16 - 1, 2**24, 2**31 - 1, 2**32 - 1]),
)


@st.composite
def damaged_files(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        damage = draw(st.sampled_from(["flip", "truncate", "overwrite", "duplicate", "splice", "dimensions"]))
        at = draw(st.integers(0, len(data) - 1))
        if damage == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif damage == "truncate":
            del data[at:]
        elif damage == "overwrite":
            junk = draw(st.binary(min_size=1, max_size=16))
            data[at : at + len(junk)] = junk
        elif damage == "duplicate":
            length = draw(st.integers(1, 256))
            data[at:at] = data[at : at + length]
        elif damage == "splice":
            other = SEEDS[draw(st.sampled_from(sorted(SEEDS)))]
            start = draw(st.integers(0, len(other) - 1))
            data[at:at] = other[start : start + draw(st.integers(1, 512))]
        else:
            data = bytearray(with_dimensions(bytes(data), draw(DIMENSIONS), draw(DIMENSIONS)))
    return bytes(data)


def assert_answer(data: bytes, platform: str, profile: str | None) -> None:
    try:
        report = check_image(data, platform, profile)
    except InputError:
        assert not data, "InputError is for empty or non-bytes input; a damaged file gets a finding"
        return
    assert isinstance(report, ImageReport)
    for finding in report.findings:
        assert finding.category in CATEGORIES, finding.category
        assert finding.severity in {"error", "warning", "info"}
        assert finding.message.strip(), finding.rule
    if not report.preview_png:  # not decoded: it must say why
        assert report.categories & {"format", "dimensions"}, report.findings
    json.dumps(report.to_dict())  # what the server sends must serialise


def test_every_seed_is_a_real_image_the_checker_decodes():
    for name, data in SEEDS.items():
        report = check_image(data, "x")
        assert report.preview_png, name
        assert "image.format.unreadable" not in {f.rule for f in report.findings}, name


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=damaged_files(), platform=st.sampled_from(PLATFORMS), profile=st.sampled_from([None, "corporate", "department"]))
def test_damaged_real_files_give_a_report_never_a_crash(data, platform, profile):
    assert_answer(data, platform, profile)


@settings(max_examples=400, deadline=None)
@given(
    data=st.one_of(
        st.binary(min_size=0, max_size=3000),
        # Random bytes behind each format's signature, so each Pillow plugin parses them.
        st.tuples(st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"GIF87a", b"RIFF\x00\x10\x00\x00WEBPVP8X"]), st.binary(max_size=3000)).map(
            lambda parts: parts[0] + parts[1]
        ),
    )
)
def test_random_bytes_give_a_report_or_input_error(data):
    assert_answer(data, "x", None)


@pytest.mark.parametrize("name", sorted(SEEDS))
@pytest.mark.parametrize("size", [(0, 0), (1, 2**31 - 1), (65_535, 65_535), (2**24, 2**24), (4000, 4000), (7071, 7071)])
def test_huge_declared_dimensions_in_every_seed(name, size):
    assert_answer(with_dimensions(SEEDS[name], *size), "x", None)


# Hostile headers measured in a fresh interpreter: peak resident memory after a warm-up check
# of a small image, so only what the hostile files cost is counted.
_MEASURE = """
import io, json, resource, sys
import numpy as np
from PIL import Image
from checker import check_image
files = json.loads(sys.stdin.read())
small = io.BytesIO(); Image.new("RGB", (400, 400), (0, 40, 80)).save(small, "PNG")
check_image(small.getvalue(), "x")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for hexed in files:
    check_image(bytes.fromhex(hexed), "x")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_mb": before / 1024, "grew_mb": (after - before) / 1024}))
"""


def _truncated(data: bytes) -> bytes:
    return data[: max(len(data) // 2, 40)]


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_hostile_headers_keep_memory_bounded(name):
    """Each seed with forged dimensions (whole and truncated), checked in a fresh interpreter."""
    hostile = []
    for size in ((65_535, 65_535), (2**24, 2**24), (4000, 4000), (7071, 7071), (1, 2**31 - 1)):
        forged = with_dimensions(SEEDS[name], *size)
        hostile += [forged, _truncated(forged)]
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE],
        input=json.dumps([h.hex() for h in hostile]),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    # The decoder bounds a bitmap at 16 MP of RGBA (64 MB); libjpeg's progressive
    # coefficient buffers and WebP's animation canvas add some (about 87 MB measured at
    # 7071x7071 and 4000x4000). A header believed without the bound would take gigabytes.
    assert measured["grew_mb"] < 160, measured
