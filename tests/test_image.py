"""check_image on images built with Pillow: on brand, each fault alone, several at once.

The builders here are shared with tests/test_image_input.py and tests/test_profile.py.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import tomllib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from checker import ImageReport, check_image, load_policy
from checker.errors import InputError, UnknownPlatformError, UnknownProfileError
from checker.findings import IMAGE_CATEGORIES

ASSETS = Path(__file__).resolve().parent.parent / "brand_assets"
IDENTITY = tomllib.loads((ASSETS / "identity.toml").read_text(encoding="utf-8"))
BRAND = {entry["name"]: tuple(int(entry["hex"][i : i + 2], 16) for i in (1, 3, 5)) for entry in IDENTITY["palette"]}
RED = BRAND["Leicester red (stand-in)"]
NAVY = BRAND["Deep navy (stand-in)"]
WHITE = BRAND["White"]
CHARCOAL = BRAND["Charcoal (stand-in)"]
OFF_BRAND_GREEN = (30, 150, 60)
PLATFORMS = ("x", "facebook", "linkedin", "instagram", "youtube", "tiktok", "threads", "bluesky", "mastodon")


def mark(name: str) -> Image.Image:
    return Image.open(ASSETS / "marks" / f"{name}.png").convert("RGBA")


def on_brand(
    size: int | tuple[int, int] = 400,
    *,
    name: str = "shield",
    background: tuple[int, int, int] = RED,
    scale: float = 0.6,
    centre: tuple[float, float] = (0.5, 0.5),
    mode: str = "RGB",
) -> Image.Image:
    """An approved mark composited on a colour: `scale` is its longer side over the image's shorter side."""
    width, height = (size, size) if isinstance(size, int) else size
    image = Image.new("RGBA", (width, height), background + (255,))
    artwork = mark(name)
    longer = round(min(width, height) * scale)
    aspect = artwork.width / artwork.height
    mark_size = (longer, round(longer / aspect)) if aspect >= 1 else (round(longer * aspect), longer)
    artwork = artwork.resize(mark_size, Image.Resampling.LANCZOS)
    image.alpha_composite(artwork, (round(centre[0] * width - mark_size[0] / 2), round(centre[1] * height - mark_size[1] / 2)))
    return image.convert(mode)


def photo(size: int = 400, seed: int = 0) -> Image.Image:
    """A photograph-like image: 1/f noise in colour with a few solid shapes; no brand colour, no mark."""
    rng = np.random.default_rng(seed)
    frequency = np.fft.fftfreq(size)[:, None] ** 2 + np.fft.fftfreq(size)[None, :] ** 2
    frequency[0, 0] = 1.0
    channels = []
    for _ in range(3):
        spectrum = (rng.normal(size=(size, size)) + 1j * rng.normal(size=(size, size))) / frequency**0.9
        values = np.real(np.fft.ifft2(spectrum))
        channels.append((values - values.min()) / (values.max() - values.min()) * 255)
    image = Image.fromarray(np.stack(channels, axis=-1).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.integers(0, size, 2)
        radius = int(rng.integers(size // 40, size // 5))
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    return image


def encode(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def categories(report: ImageReport) -> set[str]:
    return {f.category for f in report.findings}


def blocking(report: ImageReport) -> set[str]:
    return {f.category for f in report.findings if f.blocking}


# --- on brand ---------------------------------------------------------------------------

ON_BRAND = [
    ("shield", RED),
    ("shield", NAVY),
    ("shield", WHITE),
    ("shield", CHARCOAL),
    ("wordmark", WHITE),  # the wordmark's red rule is drawn for light backgrounds
]


@pytest.mark.parametrize(("name", "background"), ON_BRAND)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_approved_marks_on_a_brand_colour_pass_every_check(name, background, platform):
    spec_size = max(400, load_policy().identity and _recommended(platform))
    report = check_image(encode(on_brand(spec_size, name=name, background=background)), platform, "corporate")
    assert report.findings == (), [f.message for f in report.findings]
    assert report.ok
    assert report.metrics["mark"]["found"] and report.metrics["mark"]["name"] == name


def _recommended(platform: str) -> int:
    specs = tomllib.loads((ASSETS / "avatar_specs.toml").read_text(encoding="utf-8"))
    return specs["platforms"][platform]["recommended"]


@pytest.mark.parametrize(
    ("name", "scale", "centre"),
    [
        ("shield", 0.3, (0.5, 0.5)),
        ("shield", 0.45, (0.38, 0.42)),
        ("shield", 0.7, (0.55, 0.5)),
        ("shield", 0.9, (0.5, 0.5)),
        ("wordmark", 0.55, (0.5, 0.45)),
        ("wordmark", 0.7, (0.5, 0.58)),
        ("wordmark", 0.85, (0.5, 0.5)),
    ],
)
def test_marks_are_found_at_any_reasonable_scale_and_position(name, scale, centre):
    background = RED if name == "shield" else WHITE
    report = check_image(encode(on_brand(500, name=name, background=background, scale=scale, centre=centre)), "x", "corporate")
    found = report.metrics["mark"]
    assert found["found"] and found["name"] == name, found
    assert found["scale"] == pytest.approx(scale, rel=0.15)
    assert found["x"] == pytest.approx(centre[0], abs=0.06) and found["y"] == pytest.approx(centre[1], abs=0.06)
    assert "mark" not in categories(report)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_an_unrelated_photograph_has_no_mark_and_is_off_palette(seed):
    report = check_image(encode(photo(400, seed)), "x", "corporate")
    assert not report.metrics["mark"]["found"]
    assert {"mark", "palette"} <= blocking(report)
    assert report.metrics["palette_share"] < 0.1


def test_text_is_not_the_wordmark():
    """Edges alone would take any line of text for the wordmark: the colours must agree too."""
    image = Image.new("RGB", (400, 400), WHITE)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=34)
    draw.text((40, 130), "UNIVERSITY OF", font=font, fill=(0, 0, 0))
    draw.text((40, 175), "LEICESTER", font=font, fill=(0, 0, 0))
    draw.text((40, 240), "Physics news and events", font=ImageFont.load_default(size=22), fill=(60, 60, 60))
    report = check_image(encode(image), "x", "corporate")
    assert not report.metrics["mark"]["found"], report.metrics["mark"]
    assert "mark" in categories(report)


def test_a_recoloured_mark_is_not_an_approved_mark():
    artwork = mark("shield")
    pixels = np.asarray(artwork).copy()
    pixels[..., :3] = 255 - pixels[..., :3]  # same shape, other colours
    image = Image.new("RGBA", (400, 400), WHITE + (255,))
    image.alpha_composite(Image.fromarray(pixels, "RGBA").resize((200, 244)), (100, 78))
    report = check_image(encode(image.convert("RGB")), "x", "corporate")
    found = report.metrics["mark"]
    assert found["score"] >= 0.68 and found["colour"] < 0.75 and not found["found"]
    assert "in the mark's colours" in report.by_category("mark")[0].message


def test_the_same_photograph_is_fine_for_a_profile_where_the_mark_is_optional():
    report = check_image(encode(photo(400, 5)), "x", "department")
    assert "mark" not in categories(report)
    assert report.metrics["mark_rule"] == "optional"


# --- each fault alone -------------------------------------------------------------------


def _only(report: ImageReport, category: str, rule: str | None = None) -> None:
    assert categories(report) == {category}, [(f.rule, f.message) for f in report.findings]
    if rule:
        assert {f.rule for f in report.findings} == {rule}
    for finding in report.findings:
        assert finding.start == finding.end == 0
        assert finding.message and finding.guideline == "identity"


def test_gif_is_accepted_by_x_but_not_the_identity():
    report = check_image(encode(on_brand(400), "GIF"), "x", "corporate")
    _only(report, "format", "image.format.not_still")
    assert report.findings[0].severity == "warning"


def test_webp_is_refused_by_x_and_fine_on_mastodon():
    data = encode(on_brand(400), "WEBP", lossless=True)
    _only(check_image(data, "x", "corporate"), "format", "image.format.not_accepted")
    assert check_image(data, "mastodon", "corporate").ok


def test_animated_images_are_flagged():
    frames = [on_brand(400), on_brand(400, background=NAVY)]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True, duration=500)
    report = check_image(data, "mastodon", "corporate")
    _only(report, "format", "image.format.animated")
    assert report.metrics["frames"] == 2
    assert report.findings[0].severity == "error"


def test_below_the_minimum_size_is_an_error():
    report = check_image(encode(on_brand(150)), "x", "corporate")
    _only(report, "dimensions", "image.dimensions.below_minimum")
    assert report.findings[0].severity == "error"
    assert "150x150" in report.findings[0].message and "400x400" in report.findings[0].message


def test_below_the_recommended_size_is_a_warning():
    report = check_image(encode(on_brand(300)), "x", "corporate")
    _only(report, "dimensions", "image.dimensions.below_recommended")
    assert report.findings[0].severity == "warning"


def test_a_rectangle_is_not_square():
    report = check_image(encode(on_brand((600, 420))), "x", "corporate")
    _only(report, "aspect", "image.aspect.not_square")
    assert "600x420" in report.findings[0].message


def test_a_file_over_the_platform_limit():
    base = np.asarray(on_brand(1400), dtype=np.int16)
    noise = np.random.default_rng(3).integers(-3, 4, size=base.shape)
    noisy = Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8), "RGB")
    data = encode(noisy)
    assert len(data) > 716800
    report = check_image(data, "x", "corporate")
    _only(report, "file_size", "image.file_size.over_limit")
    assert "700 KB" in report.findings[0].message
    assert check_image(data, "facebook", "corporate").ok  # no published limit there


def test_transparent_background_is_flagged():
    canvas = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    artwork = mark("shield").resize((200, 244), Image.Resampling.LANCZOS)
    canvas.alpha_composite(artwork, (100, 78))
    report = check_image(encode(canvas), "x", "corporate")
    _only(report, "transparency", "image.transparency.transparent_pixels")
    assert report.metrics["transparent_share"] > 0.5


def test_content_in_the_corners_is_cut_by_a_circle_but_not_by_a_square():
    image = on_brand(400)
    draw = ImageDraw.Draw(image)
    for x, y in ((6, 6), (330, 6), (6, 330), (330, 330)):
        draw.rectangle([x, y, x + 62, y + 62], fill=WHITE)
    data = encode(image)
    report = check_image(data, "x", "corporate")
    _only(report, "safe_zone", "image.safe_zone.corner_content")
    assert report.metrics["corner_content_share"] > 0.1
    assert check_image(data, "linkedin", "corporate").ok  # LinkedIn shows a square


def test_off_palette_background():
    report = check_image(encode(on_brand(400, background=OFF_BRAND_GREEN, scale=0.5)), "x", "corporate")
    _only(report, "palette", "image.palette.off_palette")
    assert report.metrics["palette_share"] < 0.5
    assert report.metrics["dominant_colours"][0]["hex"] == "#1E963C"


def test_no_mark_on_a_corporate_avatar():
    report = check_image(encode(Image.new("RGB", (400, 400), RED)), "x", "corporate")
    _only(report, "mark", "image.mark.missing")
    assert report.findings[0].severity == "error"
    assert check_image(encode(Image.new("RGB", (400, 400), RED)), "x", "department").ok


def test_blurred_image():
    report = check_image(encode(on_brand(400).filter(ImageFilter.GaussianBlur(4))), "x", "corporate")
    _only(report, "sharpness", "image.sharpness.blurred")
    assert report.metrics["sharpness"] < 0.45


@pytest.mark.parametrize("source_side", [100, 200])
def test_enlarged_from_a_small_file(source_side):
    small = on_brand(source_side)
    report = check_image(encode(small.resize((400, 400), Image.Resampling.BICUBIC)), "x", "corporate")
    _only(report, "sharpness", "image.sharpness.upscaled")
    assert report.metrics["effective_resolution"] < 280
    assert "400x400" in report.findings[0].message


@pytest.mark.parametrize("side", [400, 1200])
def test_crisp_images_at_full_size_keep_their_resolution(side):
    report = check_image(encode(on_brand(side), "JPEG", quality=75), "youtube" if side > 800 else "x", "corporate")
    assert report.ok and report.metrics["effective_resolution"] >= 0.9 * side


def test_a_mark_where_the_profile_forbids_it(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(ASSETS, pack)
    identity = pack / "identity.toml"
    identity.write_text(
        identity.read_text(encoding="utf-8").replace('[avatar.profiles.department]\nmark = "optional"', '[avatar.profiles.department]\nmark = "forbidden"'),
        encoding="utf-8",
    )
    policy = load_policy(pack)
    report = check_image(encode(on_brand(400)), "x", "department", policy=policy)
    _only(report, "mark", "image.mark.not_allowed")
    assert check_image(encode(photo(400, 2)), "x", "department", policy=policy).by_category("mark") == []


# --- several at once --------------------------------------------------------------------


def test_several_faults_at_once():
    image = photo(160, seed=7).resize((240, 160)).convert("RGBA")
    alpha = Image.new("L", image.size, 255)
    ImageDraw.Draw(alpha).rectangle([0, 0, 80, 160], fill=0)  # GIF keeps only all-or-nothing transparency
    image.putalpha(alpha)
    report = check_image(encode(image, "GIF"), "bluesky", "corporate")
    assert {"format", "dimensions", "aspect", "transparency", "palette", "mark"} <= categories(report)
    assert not report.ok
    assert report.counts["error"] >= 3


# --- the report ---------------------------------------------------------------------------


def test_report_metrics_and_json():
    report = check_image(encode(on_brand(400)), "x", "corporate")
    metrics = report.metrics
    assert (metrics["width"], metrics["height"], metrics["format"]) == (400, 400, "PNG")
    assert metrics["file_size"] > 0 and metrics["palette_share"] > 0.8
    top = metrics["dominant_colours"][0]
    assert top["nearest"] == "Leicester red (stand-in)" and top["delta_e"] < 1
    assert sum(c["share"] for c in metrics["dominant_colours"]) == pytest.approx(1.0, abs=0.01)
    payload = json.loads(json.dumps(report.to_dict()))
    assert payload["ok"] is True and payload["counts"] == {"error": 0, "warning": 0, "info": 0}
    assert base64.b64decode(payload["preview_png"]) == report.preview_png


@pytest.mark.parametrize(("platform", "corner_alpha"), [("x", 0), ("instagram", 0), ("linkedin", 255), ("mastodon", 0)])
def test_preview_is_the_avatar_at_display_size_in_the_platform_shape(platform, corner_alpha):
    report = check_image(encode(on_brand(400)), platform, "corporate")
    preview = Image.open(io.BytesIO(report.preview_png))
    assert preview.format == "PNG" and preview.mode == "RGBA"
    assert preview.size == (report.metrics["display_size"],) * 2
    assert preview.getpixel((0, 0))[3] == corner_alpha
    centre = preview.getpixel((preview.width // 2, preview.height // 10))
    assert centre[3] == 255 and centre[:3] == pytest.approx(RED, abs=8)


def test_findings_are_sorted_and_use_only_image_categories():
    report = check_image(encode(photo(150, 9).resize((200, 150)), "GIF"), "x", "corporate")
    assert set(categories(report)) <= set(IMAGE_CATEGORIES)
    assert list(report.findings) == sorted(report.findings, key=lambda f: (f.start, f.end, ("error", "warning", "info").index(f.severity), f.rule))


def test_unknown_platform_and_profile_name_the_valid_choices():
    data = encode(on_brand(400))
    with pytest.raises(UnknownPlatformError) as raised:
        check_image(data, "myspace", "corporate")
    assert set(PLATFORMS) <= set(raised.value.valid) and "myspace" in str(raised.value)
    with pytest.raises(UnknownProfileError) as raised_profile:
        check_image(data, "x", "faculty")
    assert {"base", "corporate", "department"} <= set(raised_profile.value.valid)


def test_the_default_profile_is_the_policys():
    report = check_image(encode(on_brand(400)), "x")
    assert report.metrics["profile"] == load_policy().default_profile


def test_not_bytes_is_an_input_error():
    with pytest.raises(InputError, match="bytes"):
        check_image("not bytes", "x")  # type: ignore[arg-type]
