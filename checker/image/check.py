"""check_image: a profile image against the platform's specification and the visual identity."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw

from checker.errors import InputError
from checker.findings import Finding, Severity
from checker.image.colour import delta_e_2000, nearest, srgb_to_lab, to_hex
from checker.image.decode import DecodeProblem, Decoded, decode
from checker.image.identity import AvatarSpec, VisualIdentity, visual_identity
from checker.image.marks import COLOUR_AGREEMENT, MATCH_THRESHOLD, find_mark
from checker.image.report import ImageReport
from checker.policy import Policy, load_policy

# Side of the square most checks run on: about the largest size avatars are shown at.
ANALYSIS_SIDE = 256
# Side of the square the palette is measured on (each pixel is 1/4096 of the image).
PALETTE_SIDE = 64
# Side of the square the corners are inspected on.
SAFE_ZONE_SIDE = 128
DOMINANT_COLOURS = 6
# Edge sharpness (mean |Laplacian| / mean |gradient| on strong edges) falls as
# edges widen: crisp artwork and photographs score 1.5 to 1.9 (CRISP_EDGE), an
# edge spread over w pixels about CRISP_EDGE / w. Below BLUR_THRESHOLD an image
# looks soft at the size it is shown.
CRISP_EDGE = 1.6
BLUR_THRESHOLD = 0.45
# An image is "enlarged" when it holds detail of less than this share of its size.
UPSCALED_SHARE = 0.7
# Pixels whose grey gradient is at least this (0-255) count as edges for sharpness.
_EDGE_GRADIENT = 12.0
# Corner pixels differing from the nearby circle edge by more than this ΔE2000 are content.
_CORNER_DELTA_E = 12.0
# Aspect ratios within this of 1 count as square (platforms' own rounding).
_ASPECT_SLACK = 0.01


def _finding(identity: VisualIdentity, rule: str, category: str, severity: Severity, message: str, *suggestions: str) -> Finding:
    return Finding(rule, category, severity, 0, 0, message, tuple(suggestions), identity.guideline)


def _bytes_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def _centre_square(rgba: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """The centred square platforms keep when they crop a rectangle."""
    height, width = rgba.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    return rgba[top : top + side, left : left + side]


def _resize(rgba: NDArray[np.uint8], side: int) -> NDArray[np.uint8]:
    image = Image.fromarray(rgba, "RGBA")
    if image.width == side:
        return rgba
    method = Image.Resampling.BOX if image.width > side else Image.Resampling.BICUBIC
    return np.asarray(image.resize((side, side), method), dtype=np.uint8)


def _over_white(rgba: NDArray[np.uint8]) -> NDArray[np.float32]:
    alpha = rgba[..., 3:4].astype(np.float32) / 255.0
    return rgba[..., :3].astype(np.float32) * alpha + 255.0 * (1.0 - alpha)


def _shape_mask(side: int, spec: AvatarSpec) -> NDArray[np.bool_]:
    """The pixels a platform shows of a square avatar of this side."""
    if spec.shape == "circle":
        centre = (side - 1) / 2
        y, x = np.ogrid[:side, :side]
        return (x - centre) ** 2 + (y - centre) ** 2 <= (side / 2) ** 2
    mask = np.ones((side, side), dtype=bool)
    if spec.shape == "rounded" and spec.corner_radius:
        radius = spec.corner_radius * side / spec.display
        image = Image.new("L", (side, side), 0)
        ImageDraw.Draw(image).rounded_rectangle([0, 0, side - 1, side - 1], radius=radius, fill=255)
        mask = np.asarray(image) >= 128
    return mask


def _edge_sharpness(grey: NDArray[np.float32]) -> float | None:
    """Mean |Laplacian| over mean |gradient| on strong edges; None for an image without edges."""
    core = grey[1:-1, 1:-1]
    gx = (grey[1:-1, 2:] - grey[1:-1, :-2]) * 0.5
    gy = (grey[2:, 1:-1] - grey[:-2, 1:-1]) * 0.5
    gradient = np.hypot(gx, gy)
    laplacian = np.abs(4 * core - grey[:-2, 1:-1] - grey[2:, 1:-1] - grey[1:-1, :-2] - grey[1:-1, 2:])
    # Edge pixels and their neighbours: the Laplacian peaks beside the gradient's peak.
    strong = gradient >= _EDGE_GRADIENT
    if strong.sum() < 0.002 * strong.size:
        return None
    near = strong.copy()
    near[1:, :] |= strong[:-1, :]
    near[:-1, :] |= strong[1:, :]
    near[:, 1:] |= strong[:, :-1]
    near[:, :-1] |= strong[:, 1:]
    return float(laplacian[near].sum() / max(gradient[near].sum(), 1e-9))


def _grey(rgba: NDArray[np.uint8]) -> NDArray[np.float32]:
    """Luma (0..255) of an RGBA image composited over white."""
    luma = rgba[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    if rgba[..., 3].min() == 255:
        return luma
    alpha = rgba[..., 3].astype(np.float32) / 255.0
    return luma * alpha + 255.0 * (1.0 - alpha)


@lru_cache(maxsize=4)
def _circle_geometry(side: int) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.intp]]:
    """For a square of this side: the corners outside the circle, the ring just inside it,
    and each pixel's quadrant (0 top left, 1 top right, 2 bottom left, 3 bottom right)."""
    centre = (side - 1) / 2
    y, x = np.ogrid[:side, :side]
    radius = np.sqrt((x - centre) ** 2 + (y - centre) ** 2) / (side / 2)
    quadrant = (y >= side // 2).astype(np.intp) * 2 + (x >= side // 2).astype(np.intp)
    geometry = (radius > 1.02, (radius >= 0.88) & (radius <= 0.98), quadrant)
    for array in geometry:
        array.setflags(write=False)  # shared between calls: never to be changed
    return geometry


@lru_cache(maxsize=32)
def _shape_alpha(shape: str, side: int, corner_radius: int) -> Image.Image:
    """An anti-aliased mask of the shape: drawn at four times the size and reduced."""
    big = side * 4
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    if shape == "circle":
        draw.ellipse([0, 0, big - 1, big - 1], fill=255)
    elif shape == "rounded":
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=corner_radius * 4, fill=255)
    else:
        draw.rectangle([0, 0, big - 1, big - 1], fill=255)
    return mask.resize((side, side), Image.Resampling.BOX)


def _preview(square: NDArray[np.uint8], spec: AvatarSpec) -> bytes:
    """The avatar as the platform shows it: at its display size, in its shape, on white."""
    side = spec.display
    image = Image.fromarray(square, "RGBA").resize((side, side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    shown = Image.new("RGBA", (side, side), (255, 255, 255, 255))
    shown.alpha_composite(image)
    shown.putalpha(_shape_alpha(spec.shape, side, spec.corner_radius))
    buffer = io.BytesIO()
    shown.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


class _Checker:
    """One check of one image: collects findings and metrics."""

    def __init__(self, identity: VisualIdentity, spec: AvatarSpec, profile: str) -> None:
        self.identity = identity
        self.spec = spec
        self.profile = profile
        self.findings: list[Finding] = []
        self.metrics: dict[str, Any] = {}

    def add(self, rule: str, category: str, severity: Severity, message: str, *suggestions: str) -> None:
        self.findings.append(_finding(self.identity, rule, category, severity, message, *suggestions))

    # -- facts from the file -----------------------------------------------------------

    def file_size(self, size: int) -> None:
        limit = self.spec.max_bytes
        if limit is not None and size > limit:
            self.add(
                "image.file_size.over_limit",
                "file_size",
                "error",
                f"The file is {_bytes_text(size)}; {self.spec.name} accepts profile images up to {_bytes_text(limit)}.",
                "Export a smaller file: a PNG or JPEG of the recommended size is well under the limit.",
            )

    def format(self, decoded: Decoded) -> None:
        spec, fmt = self.spec, decoded.format
        if spec.formats and fmt not in spec.formats:
            self.add(
                "image.format.not_accepted",
                "format",
                "error",
                f"The image is a {fmt}; {spec.name} accepts {', '.join(spec.formats)}.",
                "Save it as PNG or JPEG.",
            )
        elif fmt not in self.identity.formats:
            self.add(
                "image.format.not_still",
                "format",
                "warning",
                f"The image is a {fmt}; the social media identity asks for a still {', '.join(self.identity.formats)} image.",
                "Save it as PNG or JPEG.",
            )
        if decoded.animated:
            self.add(
                "image.format.animated",
                "format",
                "error",
                f"The image is animated ({decoded.frames} frames); profile images must be still "
                f"(most platforms show only the first frame).",
                "Export the one frame you want as a PNG.",
            )

    def dimensions(self, decoded: Decoded) -> None:
        spec, side = self.spec, min(decoded.width, decoded.height)
        size = f"{decoded.width}x{decoded.height}"
        if side < spec.minimum:
            self.add(
                "image.dimensions.below_minimum",
                "dimensions",
                "error",
                f"The image is {size}; {spec.name} needs at least {spec.minimum}x{spec.minimum} "
                f"and recommends {spec.recommended}x{spec.recommended}.",
                f"Export it at {spec.recommended}x{spec.recommended} from the original artwork.",
            )
        elif side < spec.recommended:
            self.add(
                "image.dimensions.below_recommended",
                "dimensions",
                "warning",
                f"The image is {size}; {spec.name} recommends {spec.recommended}x{spec.recommended} "
                "for a sharp result on high-density screens.",
                f"Export it at {spec.recommended}x{spec.recommended} from the original artwork.",
            )

    def aspect(self, decoded: Decoded) -> None:
        ratio = decoded.width / decoded.height
        if abs(ratio - 1) > _ASPECT_SLACK:
            side = min(decoded.width, decoded.height)
            lost = 1 - side * side / (decoded.width * decoded.height)
            self.add(
                "image.aspect.not_square",
                "aspect",
                "warning",
                f"The image is {decoded.width}x{decoded.height} (aspect {ratio:.2f}:1); {self.spec.name} shows a square "
                f"and crops the centre, cutting {lost:.0%} of the image.",
                "Crop it to a square yourself so you choose what stays.",
            )

    # -- facts from the pixels --------------------------------------------------------

    def transparency(self, decoded: Decoded) -> None:
        alpha = decoded.rgba[..., 3]
        share = float((alpha < 250).mean()) if decoded.had_alpha else 0.0
        self.metrics["transparent_share"] = round(share, 4)
        if share > self.identity.transparency_max_share:
            self.add(
                "image.transparency.transparent_pixels",
                "transparency",
                "warning",
                f"{share:.0%} of the image is transparent; platforms fill transparent pixels with black or white, "
                "which changes how it looks. The identity wants an opaque image.",
                "Place the artwork on a brand colour and save it without transparency.",
            )

    def safe_zone(self, square: NDArray[np.uint8]) -> None:
        """Content in the corners that a circle crop removes.

        Per quadrant, corner pixels are compared (ΔE2000) with the median colour of
        the ring just inside the circle: a plain background running into the
        corners is fine; text, marks or detail there are cut off.
        """
        if self.spec.shape != "circle":
            self.metrics["corner_content_share"] = 0.0
            return
        small = _resize(square, SAFE_ZONE_SIDE)
        corners, ring, quadrant = _circle_geometry(SAFE_ZONE_SIDE)
        opaque = small[..., 3] >= 128
        rgb = small[..., :3]
        corner_pixels = corners & opaque
        references = np.zeros((4, 3))
        has_reference = np.zeros(4, dtype=bool)
        for q in range(4):
            inner = ring & opaque & (quadrant == q)
            if inner.any():
                references[q] = srgb_to_lab(np.median(rgb[inner], axis=0))
                has_reference[q] = True
        pixel_quadrant = quadrant[corner_pixels]
        distance = delta_e_2000(references[pixel_quadrant], srgb_to_lab(rgb[corner_pixels]))
        # Where the ring is transparent, anything opaque in the corner is content.
        content = int(((distance > _CORNER_DELTA_E) | ~has_reference[pixel_quadrant]).sum())
        share = content / max(int(corners.sum()), 1)
        self.metrics["corner_content_share"] = round(share, 4)
        if share > self.identity.safe_zone_max_share:
            self.add(
                "image.safe_zone.corner_content",
                "safe_zone",
                "warning",
                f"{share:.0%} of the corners hold content that {self.spec.name}'s circle crop cuts off; "
                "keep text and marks inside the central circle.",
                "Shrink the artwork so that it fits inside a circle touching the edges, on a plain brand colour.",
            )

    def palette(self, square: NDArray[np.uint8]) -> None:
        identity = self.identity
        small = _resize(square, PALETTE_SIDE)
        mask = _shape_mask(PALETTE_SIDE, self.spec) & (small[..., 3] >= 128)
        pixels = small[..., :3][mask]
        self.metrics["palette_tolerance"] = identity.palette_tolerance
        if len(pixels) == 0:
            self.metrics["palette_share"] = 0.0
            self.metrics["dominant_colours"] = []
            return
        # Flat artwork repeats a few colours: measure each distinct colour once.
        packed = (pixels[:, 0].astype(np.uint32) << 16) | (pixels[:, 1].astype(np.uint32) << 8) | pixels[:, 2]
        distinct, inverse = np.unique(packed, return_inverse=True)
        colours = np.stack([(distinct >> 16) & 255, (distinct >> 8) & 255, distinct & 255], axis=-1).astype(np.uint8)
        _, distance = nearest(srgb_to_lab(colours), identity.palette_lab)
        share = float((distance[inverse] <= identity.palette_tolerance).mean())
        self.metrics["palette_share"] = round(share, 4)
        self.metrics["dominant_colours"] = self._dominant(pixels)
        if share < identity.palette_min_share:
            names = ", ".join(f"{c.name} {c.hex}" for c in identity.palette)
            self.add(
                "image.palette.off_palette",
                "palette",
                "warning",
                f"{share:.0%} of the visible image is in brand colours (within ΔE2000 {identity.palette_tolerance:g}); "
                f"the identity wants at least {identity.palette_min_share:.0%}. Brand colours: {names}.",
                "Use a brand colour for the background and the artwork.",
            )

    def _dominant(self, pixels: NDArray[np.uint8]) -> list[dict[str, Any]]:
        strip = Image.fromarray(pixels.reshape(1, -1, 3), "RGB")
        quantised = strip.quantize(colors=DOMINANT_COLOURS, method=Image.Quantize.FASTOCTREE)
        palette = np.asarray(quantised.getpalette()[: 3 * DOMINANT_COLOURS], dtype=np.uint8).reshape(-1, 3)
        counts = sorted(quantised.getcolors() or [], reverse=True)
        total = len(pixels)
        colours = np.array([palette[i] for _, i in counts], dtype=np.uint8).reshape(-1, 3)
        index, distance = nearest(srgb_to_lab(colours), self.identity.palette_lab)
        result = []
        for (count, _), rgb, brand, delta in zip(counts, colours, index, distance, strict=True):
            colour = self.identity.palette[int(brand)]
            result.append(
                {
                    "hex": to_hex(rgb),
                    "share": round(count / total, 4),
                    "nearest": colour.name,
                    "nearest_hex": colour.hex,
                    "delta_e": round(float(delta), 2),
                }
            )
        return result

    def mark(self, square: NDArray[np.uint8]) -> None:
        identity = self.identity
        rule = identity.mark_rule(self.profile)
        composited = Image.fromarray(np.clip(_over_white(square) + 0.5, 0, 255).astype(np.uint8), "RGB")
        match = find_mark(composited, identity.marks, identity.mark_min_scale, identity.mark_max_scale)
        self.metrics["mark_rule"] = rule
        self.metrics["mark"] = {**match.to_dict(), "found": match.found}
        names = " or ".join(m.name for m in identity.marks)
        if rule == "required" and not match.found:
            if match.score >= MATCH_THRESHOLD:
                seen = (
                    f"something shaped like the {match.name} is there, but only {match.colour:.0%} of it is in the "
                    f"mark's colours (an approved mark needs {COLOUR_AGREEMENT:.0%})"
                )
            else:
                seen = f"the closest shape matches {match.score:.2f}, and a mark needs {MATCH_THRESHOLD:.2f}"
            self.add(
                "image.mark.missing",
                "mark",
                "error",
                f"No approved brand mark ({names}) was found: {seen}. "
                f"The identity requires one on {self.profile} account avatars.",
                "Use the approved avatar artwork from brand_assets/, unaltered, on a brand colour.",
            )
        elif rule == "forbidden" and match.found:
            self.add(
                "image.mark.not_allowed",
                "mark",
                "error",
                f"The image carries the brand mark ({match.name}, match {match.score:.2f}); "
                f"the identity reserves it for central accounts, not {self.profile} accounts.",
                "Use a photograph or a graphic without the mark.",
            )

    def sharpness(self, decoded: Decoded, square: NDArray[np.uint8]) -> None:
        native_square = _centre_square(decoded.rgba)
        # Judged at about the largest size avatars are shown; never on an enlarged copy.
        grey = _grey(square if native_square.shape[0] >= ANALYSIS_SIDE else native_square)
        display = _edge_sharpness(grey)
        core = grey[1:-1, 1:-1]
        laplacian = 4 * core - grey[:-2, 1:-1] - grey[2:, 1:-1] - grey[1:-1, :-2] - grey[1:-1, 2:]
        # An image under 3 pixels a side has no interior: variance 0, not NumPy's NaN and warning.
        self.metrics["laplacian_variance"] = round(float(laplacian.var()), 2) if laplacian.size else 0.0
        self.metrics["sharpness"] = None if display is None else round(display, 3)
        # At the working resolution edges show how much detail the file really holds.
        native = display if native_square.shape[0] <= ANALYSIS_SIDE else _edge_sharpness(_grey(native_square))
        working_side = min(decoded.rgba.shape[:2])
        effective = min(decoded.width, decoded.height)
        if native is not None and native < CRISP_EDGE:
            # Edges w pixels wide in the file mean it holds about side / w pixels of detail.
            effective = min(effective, round(working_side / decoded.scale * native / CRISP_EDGE))
        self.metrics["effective_resolution"] = effective
        if display is not None and display < BLUR_THRESHOLD:
            self.add(
                "image.sharpness.blurred",
                "sharpness",
                "warning",
                f"The image looks blurred at the size it is shown (edge sharpness {display:.2f}; a crisp image "
                f"scores above {BLUR_THRESHOLD:.2f}).",
                "Export it again from the original artwork or photograph, without blur or heavy compression.",
            )
        elif effective < self.spec.recommended and effective < UPSCALED_SHARE * min(decoded.width, decoded.height):
            self.add(
                "image.sharpness.upscaled",
                "sharpness",
                "warning",
                f"The image is {decoded.width}x{decoded.height} but holds the detail of only about {effective}x{effective} "
                f"(it was enlarged from a smaller file, or softened); {self.spec.name} recommends "
                f"{self.spec.recommended}x{self.spec.recommended} of real detail.",
                "Export it at full size from the original artwork instead of enlarging a small copy.",
            )


def check_image(
    data: bytes,
    platform: str = "x",
    profile: str | None = None,
    *,
    policy: Policy | None = None,
) -> ImageReport:
    """Check a profile image against a platform's specification and the visual identity.

    Raises InputError for empty input or input that is not bytes, UnknownPlatformError
    and UnknownProfileError for names the policy does not define. A file that is not an
    image, or is damaged, gives a report with a `format` error instead.
    """
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise InputError(f"the image must be bytes, not {type(data).__name__}")
    if not data:
        raise InputError("the image is empty (0 bytes)")
    policy = load_policy() if policy is None else policy
    identity = visual_identity(policy)
    spec = identity.platform(platform)
    profile_id = policy.profile(profile).id
    checker = _Checker(identity, spec, profile_id)
    checker.metrics.update(
        {"platform": spec.id, "profile": profile_id, "file_size": len(data), "shape": spec.shape, "display_size": spec.display}
    )
    checker.file_size(len(data))
    try:
        decoded = decode(data)
    except DecodeProblem as problem:
        checker.metrics.update(problem.facts)
        checker.add(problem.rule, problem.category, "error", problem.message)
        return ImageReport(tuple(checker.findings), checker.metrics)
    checker.metrics.update(
        {
            "format": decoded.format,
            "width": decoded.width,
            "height": decoded.height,
            "mode": decoded.mode,
            "frames": decoded.frames,
            "exif_rotated": decoded.rotated,
        }
    )
    checker.format(decoded)
    checker.dimensions(decoded)
    checker.aspect(decoded)
    checker.transparency(decoded)
    square = _resize(_centre_square(decoded.rgba), ANALYSIS_SIDE)
    checker.safe_zone(square)
    checker.palette(square)
    checker.mark(square)
    checker.sharpness(decoded, square)
    return ImageReport(tuple(checker.findings), checker.metrics, _preview(_centre_square(decoded.rgba), spec))
