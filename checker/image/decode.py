"""Open untrusted image bytes safely and reduce them to what the checks need.

Only the formats we accept are parsed (`Image.open(..., formats=...)`); the
pixel count is checked from the header, before any pixel is decoded; JPEGs are
decoded at reduced size with `draft()`; EXIF orientation is applied; every mode
(CMYK, 16-bit, palette, grey with alpha) becomes 8-bit RGBA.

Peak memory: before any pixel is decoded, the memory the decoder will need is
estimated from the header (`decode_cost`: per format and mode, and a progressive
JPEG's full-size coefficient buffers, which `draft()` does not shrink) and the
image is refused beyond MAX_DECODE_BYTES; at most MAX_CONCURRENT_DECODES images
are decoded at once, so a burst of uploads cannot add those peaks up. A GIF's
frames are counted by walking its blocks, without decoding them.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, UnidentifiedImageError

from checker.image.identity import KNOWN_FORMATS

# Largest image (by its header) that we open at all: far above any avatar, and
# below Pillow's own decompression-bomb threshold (about 89 megapixels).
MAX_HEADER_PIXELS = 50_000_000
# Largest bitmap we decode (after JPEG draft reduction): 16 MP of RGBA is 64 MB.
MAX_DECODED_PIXELS = 16_000_000
# The most memory one decode may take, as decode_cost estimates it (measured peaks are in
# tests/test_image_memory.py): a 2000x2000 avatar in any format takes well under this.
MAX_DECODE_BYTES = 128_000_000
# Decodes at once; others wait their turn (a decode takes a fraction of a second).
MAX_CONCURRENT_DECODES = 2
_decoding = threading.BoundedSemaphore(MAX_CONCURRENT_DECODES)
# What a pixel costs at the peak of decoding and shrinking, measured in a subprocess
# (tests/test_image_memory.py): Pillow keeps a pixel in 1 (P, L), 2 (16-bit) or 4 bytes (the
# rest); resampling and conversion make about 1.75 more copies; WebP's decoder keeps 8 bytes
# a pixel of its own and GIF's 1.
_STORED_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
_COPIES = 2.75
_DECODER_BYTES = {"WEBP": 8.0, "GIF": 1.0}
# Longest side of the working copy every check uses.
WORKING_SIDE = 1024
# JPEGs are decoded at 1/2, 1/4 or 1/8 while both sides stay at least this.
DRAFT_SIDE = 512
# Modes Pillow resamples as they are (alpha premultiplied): shrunk before conversion.
_SHRINK_FIRST = frozenset({"RGB", "RGBA", "L", "LA", "CMYK"})
# Frames beyond this are not counted (an animated image is flagged either way).
MAX_FRAMES_COUNTED = 100
_EXIF_ORIENTATION = 0x0112
# EXIF orientation value -> the transpose that shows the image upright (as ImageOps.exif_transpose).
_ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class DecodeProblem(Exception):
    """The bytes could not be turned into pixels; `category` and `message` say why."""

    def __init__(self, rule: str, category: str, message: str, facts: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.category = category
        self.message = message
        self.facts = facts or {}


@dataclass(frozen=True, slots=True, eq=False)
class Decoded:
    """An image ready for checking: header facts plus an RGBA working copy."""

    format: str
    width: int  # after EXIF rotation
    height: int
    mode: str  # the file's own mode, before conversion
    frames: int
    animated: bool
    had_alpha: bool
    rotated: bool
    rgba: NDArray[np.uint8]  # (h, w, 4), longest side at most WORKING_SIDE

    @property
    def scale(self) -> float:
        """Working-copy pixels per original pixel."""
        return self.rgba.shape[1] / self.width


def _to_rgba(image: Image.Image) -> tuple[Image.Image, bool]:
    """Any Pillow mode to 8-bit RGBA; also says whether the source had transparency."""
    mode = image.mode
    had_alpha = mode in ("RGBA", "LA", "La", "PA", "RGBa") or "transparency" in image.info
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit (or 32-bit integer) grey: Pillow's convert("L") clips instead of scaling.
        values = np.asarray(image).astype(np.int64 if mode == "I" else np.uint32)
        peak = 65535 if mode.startswith("I;16") or values.max(initial=0) > 255 else 255
        grey = np.clip((values * 255 + peak // 2) // peak, 0, 255).astype(np.uint8)
        return Image.fromarray(grey, "L").convert("RGBA"), False
    if mode == "F":
        grey = np.clip(np.asarray(image, dtype=np.float32) + 0.5, 0, 255).astype(np.uint8)
        return Image.fromarray(grey, "L").convert("RGBA"), False
    if mode == "CMYK" or mode not in ("RGB", "RGBA", "L", "LA", "P", "PA", "1", "La", "RGBa"):
        image = image.convert("RGB")
    return image.convert("RGBA"), had_alpha


def _count_frames(image: Image.Image, data: bytes) -> int:
    """Frames in the file, counted up to MAX_FRAMES_COUNTED. A GIF has no frame count in its
    header, and Pillow's seek() decodes every frame to reach the next (100 full 4000x4000 frames
    took 10.5 s): its frames are counted by walking its blocks instead."""
    if image.format == "GIF":
        return gif_frames(data)
    if image.format == "MPO" or not getattr(image, "is_animated", False):
        return 1
    return max(int(getattr(image, "n_frames", 2)), 2)


def gif_frames(data: bytes, most: int = MAX_FRAMES_COUNTED) -> int:
    """Image descriptors in a GIF, up to `most`, read from its block structure without decoding
    any pixel; a file cut short counts the frames it has (at least 1)."""
    if len(data) < 13 or data[:6] not in (b"GIF87a", b"GIF89a"):
        return 1
    position = 13
    if data[10] & 0x80:  # global colour table
        position += 3 << ((data[10] & 0x07) + 1)
    frames = 0
    while position < len(data) and frames < most:
        block = data[position]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, then data sub-blocks
            position = _skip_sub_blocks(data, position + 2)
        elif block == 0x2C:  # image descriptor, optional local colour table, LZW code size, sub-blocks
            if position + 10 > len(data):
                break
            frames += 1
            flags = data[position + 9]
            position += 10
            if flags & 0x80:
                position += 3 << ((flags & 0x07) + 1)
            position = _skip_sub_blocks(data, position + 1)
        else:
            break  # damaged: what was counted stands
    return max(frames, 1)


def _skip_sub_blocks(data: bytes, position: int) -> int:
    while position < len(data):
        size = data[position]
        position += 1 + size
        if size == 0:
            break
    return position


def decode_cost(image: Image.Image, fmt: str) -> int:
    """Bytes decoding `image` will take at its peak (an estimate from the header, after draft())."""
    width, height = image.size  # after draft(): the size the decoder produces
    per_pixel = _STORED_BYTES.get(image.mode, 4) * _COPIES + _DECODER_BYTES.get(fmt, 0.0)
    cost = width * height * per_pixel
    if fmt == "JPEG" and (image.info.get("progressive") or image.info.get("progression")):
        # A progressive JPEG keeps every component's coefficients at full size (2 bytes each)
        # until the last scan, whatever draft() asked: 7000x7000 CMYK is 392 MB.
        full_w, full_h = getattr(image, "_socialcheck_full_size", image.size)
        layers = getattr(image, "layer", None) or [(0, 1, 1, 0)] * 3
        most_h = max(h for _, h, _, _ in layers) or 1
        most_v = max(v for _, _, v, _ in layers) or 1
        share = sum((h * v) / (most_h * most_v) for _, h, v, _ in layers)
        cost += full_w * full_h * share * 2
    return int(cost)


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1 = upright); a damaged EXIF block counts as upright."""
    try:
        value = image.getexif().get(_EXIF_ORIENTATION, 1)
    except Exception:  # noqa: BLE001 - malformed EXIF must not stop the check
        return 1
    return value if isinstance(value, int) else 1


def _decode_pixels(image: Image.Image, fmt: str, facts: dict[str, object]) -> tuple[Image.Image, bool, int]:
    try:
        image.load()
    except Exception as error:  # noqa: BLE001 - hostile files reach many decoder paths; each is "damaged"
        raise DecodeProblem(
            "image.format.damaged",
            "format",
            f"The {fmt} file is damaged or cut short and cannot be decoded ({error}).",
            facts,
        ) from None
    orientation = _orientation(image)
    if max(image.size) > WORKING_SIDE:
        if image.mode in _SHRINK_FIRST and "transparency" not in image.info:
            # Reduce before converting, so the full-size bitmap is never copied.
            image.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
        elif image.mode in ("P", "1", "I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
            # Palette indices and 16-bit values are sampled, not blended, down to the working size
            # before conversion (converting 4000x4000 16-bit grey first took 214 MB).
            image = image.resize(_fit(image.size, WORKING_SIDE), Image.Resampling.NEAREST)
    working, had_alpha = _to_rgba(image)
    return working, had_alpha, orientation


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    width, height = size
    scale = side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def decode(data: bytes) -> Decoded:
    """Decode bytes into a `Decoded`, or raise `DecodeProblem` with a finding's worth of explanation."""
    try:
        image = Image.open(io.BytesIO(data), formats=list(KNOWN_FORMATS))
    except UnidentifiedImageError:
        raise DecodeProblem(
            "image.format.unreadable",
            "format",
            "This is not a PNG, JPEG, WebP or GIF image (or its header is damaged), so it cannot be checked.",
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DecodeProblem(
            "image.dimensions.too_large",
            "dimensions",
            f"The image has more pixels than the checker opens ({MAX_HEADER_PIXELS / 1e6:.0f} megapixels at most); "
            "profile images need only a few hundred pixels a side.",
        ) from None
    except Exception as error:  # noqa: BLE001 - a hostile header can fail in any plugin; it is unreadable
        raise DecodeProblem("image.format.unreadable", "format", f"The image header cannot be read ({error}).") from None
    with image:
        # A JPEG with extra pictures (MPO: camera previews, stereo pairs) shows its first picture.
        fmt = "JPEG" if image.format == "MPO" else image.format or "unknown"
        width, height = image.size
        mode = image.mode
        facts: dict[str, object] = {"format": fmt, "width": width, "height": height}
        if width * height > MAX_HEADER_PIXELS:
            raise DecodeProblem(
                "image.dimensions.too_large",
                "dimensions",
                f"The image is {width}x{height} ({width * height / 1e6:.0f} megapixels), more than the checker opens "
                f"({MAX_HEADER_PIXELS / 1e6:.0f} megapixels); profile images need only a few hundred pixels a side.",
                facts,
            )
        if fmt == "JPEG":  # decode at 1/2, 1/4 or 1/8 of the size where that still leaves enough
            image._socialcheck_full_size = (width, height)  # type: ignore[attr-defined]
            image.draft("RGB", (min(width, DRAFT_SIDE), min(height, DRAFT_SIDE)))
        if image.size[0] * image.size[1] > MAX_DECODED_PIXELS:
            raise DecodeProblem(
                "image.dimensions.too_large",
                "dimensions",
                f"The image is {width}x{height}; the checker decodes at most {MAX_DECODED_PIXELS / 1e6:.0f} megapixels "
                "of this format. Export it at the size the platform asks for.",
                facts,
            )
        cost = decode_cost(image, fmt)
        if cost > MAX_DECODE_BYTES:
            raise DecodeProblem(
                "image.dimensions.too_large",
                "dimensions",
                f"The image is {width}x{height}; decoding this {fmt} file would take about {cost / 1e6:.0f} MB, more than "
                f"the checker allows ({MAX_DECODE_BYTES / 1e6:.0f} MB). Export it at the size the platform asks for.",
                facts,
            )
        try:
            frames = _count_frames(image, data)
            animated = frames > 1
        except Exception as error:  # noqa: BLE001 - see load() below
            raise DecodeProblem(
                "image.format.damaged", "format", f"The {fmt} file is damaged and cannot be decoded ({error}).", facts
            ) from None
        with _decoding:
            working, had_alpha, orientation = _decode_pixels(image, fmt, facts)
    if max(working.size) > WORKING_SIDE:
        working.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    rotation = _ORIENTATION_TRANSPOSE.get(orientation)
    if rotation is not None:
        working = working.transpose(rotation)
        if orientation >= 5:
            width, height = height, width
    return Decoded(
        format=fmt,
        width=width,
        height=height,
        mode=mode,
        frames=frames,
        animated=animated,
        had_alpha=had_alpha,
        rotated=rotation is not None,
        rgba=np.asarray(working, dtype=np.uint8),
    )
