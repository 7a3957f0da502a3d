"""Draw the extension's icons (run by hand: .venv/bin/python extension/icons/make_icons.py).

A speech bubble with a tick, in the default brand's purple, drawn at 4x and scaled down so the
edges are smooth at every size Chrome asks for.
"""

from pathlib import Path

from PIL import Image, ImageDraw

PURPLE = (106, 26, 76, 255)
WHITE = (255, 255, 255, 255)
SIZES = (16, 32, 48, 128)


def draw(size: int) -> Image.Image:
    scale = 4
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pad = big * 0.06
    bubble = (pad, pad, big - pad, big * 0.78)
    pen.rounded_rectangle(bubble, radius=big * 0.2, fill=PURPLE)
    # The bubble's tail, bottom left.
    pen.polygon([(big * 0.22, big * 0.7), (big * 0.2, big - pad), (big * 0.46, big * 0.74)], fill=PURPLE)
    width = max(scale, round(big * 0.09))
    pen.line([(big * 0.28, big * 0.42), (big * 0.44, big * 0.58), (big * 0.74, big * 0.26)], fill=WHITE, width=width, joint="curve")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    here = Path(__file__).resolve().parent
    for size in SIZES:
        draw(size).save(here / f"icon{size}.png", optimize=True)


if __name__ == "__main__":
    main()
