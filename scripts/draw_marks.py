"""Draw the stand-in brand marks into brand_assets/marks/ with Pillow.

The marks are the project's own drawings in the palette of identity.toml (a
shield and a wordmark), never a copy of the University's logo. Run from the
repository root:

    .venv/bin/python scripts/draw_marks.py

Drawn at four times the final size and reduced with a Lanczos filter, so the
edges are anti-aliased. The output is deterministic.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "brand_assets"
SUPERSAMPLE = 4
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def palette() -> dict[str, tuple[int, int, int]]:
    with (ASSETS / "identity.toml").open("rb") as handle:
        identity = tomllib.load(handle)
    colours = {}
    for entry in identity["palette"]:
        value = entry["hex"].lstrip("#")
        colours[entry["role"] + ":" + entry["name"]] = tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))
    return colours


def pick(colours: dict[str, tuple[int, int, int]], role: str, index: int = 0) -> tuple[int, int, int]:
    return [rgb for key, rgb in colours.items() if key.startswith(role + ":")][index]


def shield_outline(width: int, height: int, inset: float) -> list[tuple[float, float]]:
    """A heater shield: straight top, straight sides, two arcs meeting in a point."""
    points = [(inset, inset), (width - inset, inset), (width - inset, height * 0.45)]
    steps = 40
    # Right arc from the side down to the point, then the mirrored left arc.
    for i in range(1, steps + 1):
        t = i / steps
        x = (width - inset) - (width / 2 - inset) * t**1.6
        y = height * 0.45 + (height - inset - height * 0.45) * (1 - (1 - t) ** 2)
        points.append((x, y))
    for i in range(steps - 1, -1, -1):
        t = i / steps
        x = inset + (width / 2 - inset) * t**1.6
        y = height * 0.45 + (height - inset - height * 0.45) * (1 - (1 - t) ** 2)
        points.append((x, y))
    return points


def draw_shield(colours: dict[str, tuple[int, int, int]], size: int = 512) -> Image.Image:
    red, navy, white = pick(colours, "primary"), pick(colours, "secondary"), pick(colours, "neutral", 0)
    width, height = int(size * 0.82) * SUPERSAMPLE, size * SUPERSAMPLE
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    keyline = 0.035 * width
    draw.polygon(shield_outline(width, height, 0), fill=white + (255,))
    draw.polygon(shield_outline(width, height, keyline), fill=red + (255,))
    # A white chevron across the middle.
    stroke = 0.11 * width
    apex = (width / 2, height * 0.30)
    for side in (-1, 1):
        end = (width / 2 + side * (width / 2 - keyline * 1.5), height * 0.62)
        draw.line([apex, end], fill=white + (255,), width=int(stroke))
    draw.ellipse([apex[0] - stroke / 2, apex[1] - stroke / 2, apex[0] + stroke / 2, apex[1] + stroke / 2], fill=white + (255,))
    # Three navy roundels: two above the chevron, one below.
    radius = 0.09 * width
    for cx, cy in ((width * 0.27, height * 0.20), (width * 0.73, height * 0.20), (width * 0.5, height * 0.70)):
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=navy + (255,), outline=white + (255,), width=int(keyline * 0.6))
    return image.resize((width // SUPERSAMPLE, height // SUPERSAMPLE), Image.Resampling.LANCZOS)


def load_font(size: int) -> ImageFont.FreeTypeFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    sys.exit(f"no bold sans font found; install fonts-dejavu-core (looked in {', '.join(FONT_CANDIDATES)})")


def draw_wordmark(colours: dict[str, tuple[int, int, int]], height: int = 160) -> Image.Image:
    red, navy = pick(colours, "primary"), pick(colours, "secondary")
    scale = height * SUPERSAMPLE
    font = load_font(int(scale * 0.30))
    lines = ("UNIVERSITY OF", "LEICESTER")
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    widths = [probe.textlength(line, font=font) for line in lines]
    width = int(max(widths) + scale * 0.1)
    image = Image.new("RGBA", (width, scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.text((scale * 0.05, scale * 0.02), lines[0], font=font, fill=navy + (255,))
    draw.text((scale * 0.05, scale * 0.36), lines[1], font=font, fill=navy + (255,))
    draw.rectangle([scale * 0.05, scale * 0.82, scale * 0.05 + widths[1], scale * 0.92], fill=red + (255,))
    return image.resize((width // SUPERSAMPLE, scale // SUPERSAMPLE), Image.Resampling.LANCZOS)


def main() -> None:
    colours = palette()
    out = ASSETS / "marks"
    out.mkdir(exist_ok=True)
    draw_shield(colours).save(out / "shield.png", optimize=True)
    draw_wordmark(colours).save(out / "wordmark.png", optimize=True)
    print(f"wrote {out / 'shield.png'} and {out / 'wordmark.png'}")


if __name__ == "__main__":
    main()
