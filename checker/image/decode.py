"""Open untrusted image bytes safely and reduce them to what the checks need.

Only the formats we accept are parsed (`Image.open(..., formats=...)`); the
pixel count is checked from the header, before any pixel is decoded; JPEGs are
decoded at reduced size with `draft()`; EXIF orientation is applied; every mode
(CMYK, 16-bit, palette, grey with alpha) becomes 8-bit RGBA. Peak memory is
bounded by MAX_DECODED_PIXELS.
"""

from __future__ import annotations

import io
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


def _count_frames(image: Image.Image) -> int:
    """Frames in the file, counted up to MAX_FRAMES_COUNTED: a GIF has no frame count in its
    header, and walking a hostile one with a million frames would take minutes."""
    if image.format == "MPO" or not getattr(image, "is_animated", False):
        return 1
    if image.format != "GIF":
        count = int(getattr(image, "n_frames", 2))
    else:
        count = 1
        while count < MAX_FRAMES_COUNTED:
            try:
                image.seek(count)
            except EOFError:
                break
            count += 1
    image.seek(0)
    return max(count, 2)


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1 = upright); a damaged EXIF block counts as upright."""
    try:
        value = image.getexif().get(_EXIF_ORIENTATION, 1)
    except Exception:  # noqa: BLE001 - malformed EXIF must not stop the check
        return 1
    return value if isinstance(value, int) else 1


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
            image.draft("RGB", (min(width, DRAFT_SIDE), min(height, DRAFT_SIDE)))
        if image.size[0] * image.size[1] > MAX_DECODED_PIXELS:
            raise DecodeProblem(
                "image.dimensions.too_large",
                "dimensions",
                f"The image is {width}x{height}; the checker decodes at most {MAX_DECODED_PIXELS / 1e6:.0f} megapixels "
                "of this format. Export it at the size the platform asks for.",
                facts,
            )
        try:
            frames = _count_frames(image)
            animated = frames > 1
        except Exception as error:  # noqa: BLE001 - see load() below
            raise DecodeProblem(
                "image.format.damaged", "format", f"The {fmt} file is damaged and cannot be decoded ({error}).", facts
            ) from None
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
        if max(image.size) > WORKING_SIDE and image.mode in _SHRINK_FIRST and "transparency" not in image.info:
            # Reduce before converting, so the full-size bitmap is never copied.
            image.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
        working, had_alpha = _to_rgba(image)
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
