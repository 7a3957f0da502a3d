"""Hostile and unusual input: never a crash, always a clear finding or error."""

from __future__ import annotations

import io
import struct
import time
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from checker import ImageReport, check_image
from checker.errors import InputError
from test_image import NAVY, RED, encode, on_brand


def _rules(report: ImageReport) -> set[str]:
    return {f.rule for f in report.findings}


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def big_png(width: int, height: int) -> bytes:
    """A valid greyscale PNG of any size, built in a few megabytes of memory (rows of zeros, streamed)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + pixels
    body = bytearray()
    for _ in range(height):
        body += compressor.compress(row)
    body += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", bytes(body)) + _png_chunk(b"IEND", b"")


def test_empty_bytes_is_an_input_error():
    with pytest.raises(InputError, match="empty"):
        check_image(b"", "x")


def test_a_text_file_renamed_png_is_a_format_error():
    report = check_image(b"Dear colleagues,\nplease find attached the minutes.\n", "x", "corporate")
    assert _rules(report) == {"image.format.unreadable"}
    assert report.findings[0].severity == "error" and "not a PNG, JPEG, WebP or GIF" in report.findings[0].message
    assert report.preview_png == b"" and report.metrics["file_size"] > 0


def test_a_truncated_png_is_a_format_error():
    data = encode(on_brand(400))
    report = check_image(data[: len(data) // 2], "x", "corporate")
    assert _rules(report) == {"image.format.damaged"}
    assert "damaged or cut short" in report.findings[0].message
    assert report.metrics["width"] == 400  # the header was still read


def test_formats_we_do_not_accept_are_not_parsed():
    for fmt in ("BMP", "TIFF"):
        report = check_image(encode(on_brand(400), fmt), "x", "corporate")
        assert _rules(report) == {"image.format.unreadable"}, fmt


def test_a_hundred_megapixel_png_is_refused_before_decoding():
    data = big_png(10_000, 10_000)
    assert len(data) < 200_000
    started = time.perf_counter()
    report = check_image(data, "x", "corporate")
    assert time.perf_counter() - started < 2.0  # decoding 100 MP would take far longer
    assert _rules(report) == {"image.dimensions.too_large"}
    assert "10000x10000" in report.findings[0].message or "megapixels" in report.findings[0].message


def test_a_decompression_bomb_beyond_pillows_own_limit():
    # 40000 x 40000 = 1.6 gigapixels: Pillow itself raises DecompressionBombError on open.
    header = struct.pack(">IIBBBBB", 40_000, 40_000, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _png_chunk(b"IEND", b"")
    report = check_image(data, "x", "corporate")
    assert _rules(report) == {"image.dimensions.too_large"}


def test_a_header_just_over_our_limit_is_refused_without_pillow_warnings():
    report = check_image(big_png(8_000, 7_000), "x", "corporate")  # 56 MP: over ours, under Pillow's
    assert _rules(report) == {"image.dimensions.too_large"}
    assert report.metrics["width"] == 8000


def test_a_large_png_is_refused_where_a_jpeg_would_be_reduced():
    # 20 MP: under the header limit, but a PNG cannot be decoded at reduced size.
    report = check_image(big_png(5_000, 4_000), "x", "corporate")
    assert _rules(report) == {"image.dimensions.too_large"}
    assert "decodes at most" in report.findings[0].message


def test_a_twenty_megapixel_jpeg_is_checked_through_draft():
    from checker.image.decode import WORKING_SIDE, decode

    data = encode(on_brand((5_000, 4_000)), "JPEG", quality=80)
    decoded = decode(data)
    assert (decoded.width, decoded.height) == (5_000, 4_000)
    assert max(decoded.rgba.shape[:2]) <= WORKING_SIDE
    assert {f.category for f in check_image(data, "x", "corporate").findings} == {"aspect"}


def test_a_large_jpeg_is_decoded_at_reduced_size():
    image = on_brand(3000)
    report = check_image(encode(image, "JPEG", quality=90), "x", "corporate")
    assert report.metrics["width"] == 3000 and report.ok, [f.message for f in report.findings]


def test_cmyk_jpeg():
    cmyk = on_brand(400).convert("CMYK")
    report = check_image(encode(cmyk, "JPEG", quality=95), "x", "corporate")
    assert report.metrics["mode"] == "CMYK"
    assert report.metrics["dominant_colours"][0]["nearest"] == "Leicester red (stand-in)"
    assert report.metrics["mark"]["found"]


def test_sixteen_bit_greyscale_is_scaled_not_clipped():
    values = np.full((400, 400), 0x8080, dtype=np.uint16)
    image = Image.fromarray(values)
    assert image.mode == "I;16"
    report = check_image(encode(image), "x", "department")
    assert report.metrics["mode"] in ("I;16", "I")
    assert report.metrics["dominant_colours"][0]["hex"] == "#808080"


@pytest.mark.parametrize("mode", ["P", "LA", "L", "1", "RGBA"])
def test_other_modes_decode(mode):
    image = on_brand(400).convert(mode)
    report = check_image(encode(image), "x", "department")
    assert report.metrics["mode"] == mode
    assert report.preview_png


def test_exif_rotation_is_applied():
    upright = on_brand((400, 500), background=NAVY)  # portrait
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # as a camera would store it, landscape
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90 degrees clockwise to view": undoes the stored rotation
    report = check_image(encode(stored, "JPEG", quality=95, exif=exif.tobytes()), "x", "corporate")
    assert (report.metrics["width"], report.metrics["height"]) == (400, 500)
    assert report.metrics["exif_rotated"] is True
    assert report.metrics["mark"]["found"]  # the shield is upright again
    assert {f.category for f in report.findings} == {"aspect"}


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_matches_pillows_exif_transpose(orientation):
    from PIL import ImageOps

    from checker.image.decode import decode

    stored = Image.new("RGB", (60, 40), RED)
    stored.paste(NAVY, (0, 0, 20, 10))  # an asymmetric corner
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encode(stored, "PNG", exif=exif.tobytes())
    expected = np.asarray(ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGBA"))
    decoded = decode(data)
    assert np.array_equal(decoded.rgba, expected)
    assert (decoded.width, decoded.height) == (expected.shape[1], expected.shape[0])


def test_animated_gif_is_flagged():
    frames = [on_brand(400), on_brand(400, background=NAVY)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=300, loop=0)
    report = check_image(data, "x", "corporate")
    assert "image.format.animated" in _rules(report)
    assert report.metrics["frames"] == 2


def test_a_multi_picture_jpeg_is_a_still_jpeg():
    data = encode(on_brand(400), "MPO", save_all=True, append_images=[on_brand(200, background=NAVY)])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    report = check_image(data, "x", "corporate")
    assert report.metrics["format"] == "JPEG" and report.metrics["frames"] == 1
    assert report.ok, [f.message for f in report.findings]


def test_bytearray_and_memoryview_are_accepted():
    data = encode(on_brand(400, background=RED))
    assert check_image(bytearray(data), "x").ok
    assert check_image(memoryview(data), "x").ok


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_files_never_crash(data):
    original = _SMALL_FILES[data.draw(st.sampled_from(sorted(_SMALL_FILES)))]
    cut = data.draw(st.integers(min_value=1, max_value=len(original)))
    damaged = bytearray(original[:cut])
    for _ in range(data.draw(st.integers(min_value=0, max_value=8))):
        if damaged:
            position = data.draw(st.integers(min_value=0, max_value=len(damaged) - 1))
            damaged[position] = data.draw(st.integers(min_value=0, max_value=255))
    report = check_image(bytes(damaged), "x", "corporate")
    assert isinstance(report, ImageReport)


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=1, max_size=2000))
def test_random_bytes_never_crash(blob):
    report = check_image(blob, "x", "corporate")
    assert isinstance(report, ImageReport)
    if not report.preview_png:
        assert any(f.category in ("format", "dimensions") and f.severity == "error" for f in report.findings)


_SMALL_FILES = {
    "png": encode(on_brand(64)),
    "jpeg": encode(on_brand(64), "JPEG"),
    "webp": encode(on_brand(64), "WEBP"),
    "gif": encode(on_brand(64), "GIF"),
}


_MEASURE = """
import sys
from checker import check_image, load_policy

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024  # kB -> MB

load_policy()
data = open(sys.argv[1], "rb").read()
check_image(open(sys.argv[2], "rb").read(), "x", "corporate")  # warm: templates, imports
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # reset the peak (VmHWM) to the current resident size
before = status("VmRSS")
report = check_image(data, "x", "corporate")
print(report.metrics["width"], status("VmHWM") - before)
"""


@pytest.mark.parametrize(
    ("name", "image", "fmt", "limit_mb"),
    [
        ("49 MP JPEG", lambda: Image.new("RGB", (7_000, 7_000), RED), "JPEG", 60),
        ("16 MP PNG", lambda: Image.new("RGB", (4_000, 4_000), NAVY), "PNG", 120),
    ],
)
@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/clear_refs"), reason="needs Linux's /proc peak-memory reset")
def test_memory_stays_bounded_for_the_largest_images_we_decode(tmp_path, name, image, fmt, limit_mb):
    import subprocess
    import sys
    from pathlib import Path

    big, small = tmp_path / f"big.{fmt.lower()}", tmp_path / "small.png"
    image().save(big, format=fmt)
    small.write_bytes(encode(on_brand(400)))
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(big), str(small)], capture_output=True, text=True, cwd=root, timeout=120, check=True
    )
    width, grown_mb = (int(v) for v in result.stdout.split())
    assert width in (7_000, 4_000)
    assert grown_mb < limit_mb, f"{name}: peak memory grew by {grown_mb} MB"
