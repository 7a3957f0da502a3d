"""Find an approved brand mark in an image, at any reasonable scale and position.

Both the image and each mark become soft edge maps (horizontal and vertical
colour gradients, compressed and slightly blurred), so a mark is found whatever
its background, whether it is drawn dark on light or light on dark. Each mark is
tried at a range of sizes (a geometric series between the identity's smallest
and largest scale, as a share of the image's shorter side); normalised
cross-correlation at every position is computed with one FFT of the image and
the cached FFTs of the templates. Small sizes are searched on a 96-pixel copy,
large ones on a 48-pixel copy, so every template is 24 to 48 pixels: the cost
stays low and each size sees the same detail.

Edges alone cannot tell the wordmark from any line of text, so the best
placements are then verified in colour: wherever the mark covers the image,
the image must show the mark's own colours, composited over the background
around it (CIELAB distance, a pixel of slack in position). A placement is a
match when both the shape and the colours agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from checker.image.colour import srgb_to_lab
from checker.image.identity import Mark

# Sides of the squares the search runs on, finest first; a mark of scale s is
# searched on the coarsest level where it still spans TEMPLATE_MIN pixels.
LEVEL_SIDES = (96, 48)
TEMPLATE_MIN = 24
# Neighbouring template sizes differ by this factor.
SCALE_STEP = 1.12
# Gradients at or above this (0-255 units, summed over RGB) count as a full edge.
_EDGE_FULL = 60.0
# Normalised cross-correlation at or above this means the shape is there.
MATCH_THRESHOLD = 0.68
# Share of the mark's pixels that must show the mark's colours (ΔE76 within
# COLOUR_TOLERANCE; loose enough for JPEG and resampling, tight enough that black
# text does not pass for navy).
COLOUR_AGREEMENT = 0.75
COLOUR_TOLERANCE = 25.0
# How many of the best-shaped placements are verified in colour.
_CANDIDATES = 4


@dataclass(frozen=True, slots=True)
class MarkMatch:
    """The best placement of the best-matching mark."""

    name: str
    score: float  # normalised cross-correlation of the edges, -1..1
    scale: float  # the mark's longer side as a share of the image's shorter side
    x: float  # centre of the match, as a share of the width (0 left, 1 right)
    y: float  # and of the height
    colour: float = 0.0  # share of the mark's pixels shown in the mark's colours

    @property
    def found(self) -> bool:
        return self.score >= MATCH_THRESHOLD and self.colour >= COLOUR_AGREEMENT

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "score": round(self.score, 3),
            "colour": round(self.colour, 3),
            "scale": round(self.scale, 3),
            "x": round(self.x, 3),
            "y": round(self.y, 3),
        }


def _blur(values: NDArray[np.float32]) -> NDArray[np.float32]:
    """Separable [1 2 1]/4 blur along both axes (edges repeated)."""
    padded = np.pad(values, 1, mode="edge")
    rows = (padded[:-2, :] + 2 * padded[1:-1, :] + padded[2:, :]) * 0.25
    return ((rows[:, :-2] + 2 * rows[:, 1:-1] + rows[:, 2:]) * 0.25).astype(np.float32)


def edge_map(rgb: NDArray[np.float32]) -> NDArray[np.float32]:
    """Soft horizontal and vertical edge strength, (2, h, w) in 0..1, of an (h, w, 3) image in 0..255.

    Two channels, so that a mark's pattern of orientations has to match, not only
    the amount of edges (which any busy photograph has).
    """
    edges = np.zeros((2, *rgb.shape[:2]), np.float32)
    edges[0, :, 1:-1] = np.abs(rgb[:, 2:] - rgb[:, :-2]).sum(axis=2) * (0.5 / _EDGE_FULL)
    edges[1, 1:-1, :] = np.abs(rgb[2:, :] - rgb[:-2, :]).sum(axis=2) * (0.5 / _EDGE_FULL)
    np.minimum(edges, 1.0, out=edges)
    return np.stack([_blur(edges[0]), _blur(edges[1])])


def _scales(min_scale: float, max_scale: float) -> list[float]:
    count = max(1, math.ceil(math.log(max_scale / min_scale) / math.log(SCALE_STEP)) + 1)
    if count == 1:
        return [min_scale]
    ratio = (max_scale / min_scale) ** (1 / (count - 1))
    return [min_scale * ratio**i for i in range(count)]


@dataclass(frozen=True, slots=True, eq=False)
class _Level:
    """The templates searched on one copy of the image."""

    side: int
    fft: int
    names: tuple[str, ...]
    scales: tuple[float, ...]
    sizes: tuple[tuple[int, int], ...]  # (height, width) of each template
    spectra: NDArray[np.complex64]  # (n, 2, fft, fft//2+1): conjugated FFT of each zero-mean template
    norms: NDArray[np.float32]  # (n,): the templates' L2 norms after removing the mean
    pixels: tuple[NDArray[np.uint8], ...]  # each template's RGBA pixels, for the colour check


def _mark_pixels(mark: Image.Image, width: int, height: int) -> NDArray[np.uint8]:
    return np.asarray(mark.resize((width, height), Image.Resampling.LANCZOS), dtype=np.uint8)


def _mark_edges(small_rgba: NDArray[np.uint8]) -> NDArray[np.float32]:
    """Edges of a mark at a given size: its silhouette and its inner drawing."""
    small = small_rgba.astype(np.float32)
    alpha = small[..., 3:4] / 255.0
    # Over black and over white: an edge is one the mark shows against either.
    over_black = small[..., :3] * alpha
    over_white = over_black + 255.0 * (1 - alpha)
    pad = ((1, 1), (1, 1), (0, 0))
    edges = np.maximum(edge_map(np.pad(over_black, pad)), edge_map(np.pad(over_white, pad)))
    return edges[:, 1:-1, 1:-1]


def _level_for(scale: float) -> int:
    """The coarsest level on which a mark of this scale spans at least TEMPLATE_MIN pixels."""
    for side in reversed(LEVEL_SIDES):
        if scale * side >= TEMPLATE_MIN - 0.5:
            return side
    return LEVEL_SIDES[0]


@lru_cache(maxsize=8)
def _levels(marks: tuple[Mark, ...], min_scale: float, max_scale: float) -> tuple[_Level, ...]:
    plan: dict[int, list[tuple[Mark, float]]] = {side: [] for side in LEVEL_SIDES}
    for mark in marks:
        for scale in _scales(min_scale, max_scale):
            plan[_level_for(scale)].append((mark, scale))
    levels = []
    for side, entries in plan.items():
        if not entries:
            continue
        shapes = []
        for mark, scale in entries:
            aspect = mark.image.width / mark.image.height
            longer = min(side, max(8, round(scale * side)))
            shapes.append((longer, max(4, round(longer / aspect))) if aspect >= 1 else (max(4, round(longer * aspect)), longer))
        largest = max(max(w, h) for w, h in shapes)
        fft = 16 * math.ceil((side + largest - 1) / 16)
        names, scales, sizes, spectra, norms, rgba = [], [], [], [], [], []
        for (mark, scale), (width, height) in zip(entries, shapes, strict=True):
            pixels = _mark_pixels(mark.image, width, height)
            rgba.append(pixels)
            template = _mark_edges(pixels)
            template = template - template.mean(axis=(1, 2), keepdims=True)
            padded = np.zeros((2, fft, fft), np.float32)
            padded[:, :height, :width] = template
            names.append(mark.name)
            scales.append(scale)
            sizes.append((height, width))
            spectra.append(np.conj(np.fft.rfft2(padded)).astype(np.complex64))
            norms.append(float(np.sqrt((template.astype(np.float64) ** 2).sum())))
        levels.append(
            _Level(
                side, fft, tuple(names), tuple(scales), tuple(sizes), np.stack(spectra), np.asarray(norms, np.float32),
                tuple(rgba),
            )
        )
    return tuple(levels)


def _integral(values: NDArray[np.float64]) -> NDArray[np.float64]:
    integral = np.zeros((values.shape[0] + 1, values.shape[1] + 1))
    integral[1:, 1:] = values.cumsum(0).cumsum(1)
    return integral


def _window_sums(integral: NDArray[np.float64], height: int, width: int) -> NDArray[np.float64]:
    """Sum over every height x width window (valid positions only), from an integral image."""
    return integral[height:, width:] - integral[:-height, width:] - integral[height:, :-width] + integral[:-height, :-width]


def _colour_agreement(level: _Level, index: int, rgb: NDArray[np.uint8], lab: NDArray[np.float64], top: int, left: int) -> float:
    """Share of the mark's pixels that the image shows in the mark's colours at this placement.

    The mark is composited over the background the image shows around it, so thin
    anti-aliased strokes are judged too; each pixel may match within one pixel of
    its place (the search's sizes are 12% apart).
    """
    height, width = level.sizes[index]
    pixels = level.pixels[index]
    alpha = pixels[..., 3:4].astype(np.float32) / 255.0
    covered = alpha[..., 0] >= 0.5
    if not covered.any():
        return 0.0
    window = rgb[top : top + height, left : left + width]
    clear = alpha[..., 0] < 0.1
    background = np.median(window[clear], axis=0) if clear.any() else np.median(window.reshape(-1, 3), axis=0)
    expected = pixels[..., :3].astype(np.float32) * alpha + background.astype(np.float32) * (1 - alpha)
    expected_lab = srgb_to_lab(np.clip(expected + 0.5, 0, 255).astype(np.uint8)[covered])
    # lab is padded by one pixel on every side: (top, left) in the image is (top + 1, left + 1) there.
    nearest = np.full(len(expected_lab), np.inf)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            shown = lab[top + dy : top + dy + height, left + dx : left + dx + width][covered]
            nearest = np.minimum(nearest, ((shown - expected_lab) ** 2).sum(axis=1))
    return float((nearest <= COLOUR_TOLERANCE**2).mean())


def _search(level: _Level, rgb: NDArray[np.uint8]) -> list[MarkMatch]:
    """The best placement of each template on this level, best shapes verified in colour."""
    side = level.side
    edges = edge_map(rgb.astype(np.float32))
    padded = np.zeros((2, level.fft, level.fft), np.float32)
    padded[:, :side, :side] = edges
    spectrum = np.fft.rfft2(padded)
    correlations = np.fft.irfft2(spectrum[0] * level.spectra[:, 0] + spectrum[1] * level.spectra[:, 1], s=(level.fft, level.fft))
    edges64 = edges.astype(np.float64)
    sums = [_integral(channel) for channel in edges64]
    sums_of_squares = [_integral(channel**2) for channel in edges64]
    window_cache: dict[tuple[int, int], NDArray[np.float64]] = {}
    placements: list[tuple[float, int, int, int]] = []  # (score, template, top, left)
    for index, (height, width) in enumerate(level.sizes):
        if (height, width) not in window_cache:
            count = height * width
            variance = sum(
                _window_sums(squares, height, width) - _window_sums(total, height, width) ** 2 / count
                for total, squares in zip(sums, sums_of_squares, strict=True)
            )
            # A flat window (no edges) cannot hold a mark: give it a tiny norm, never zero.
            window_cache[(height, width)] = np.sqrt(np.maximum(variance, 1e-5 * count))
        window_norm = window_cache[(height, width)]
        rows, cols = window_norm.shape
        score = correlations[index, :rows, :cols] / (window_norm * max(float(level.norms[index]), 1e-9))
        position = int(np.argmax(score))
        top, left = divmod(position, cols)
        placements.append((float(score.flat[position]), index, top, left))
    placements.sort(reverse=True)
    lab = np.pad(srgb_to_lab(rgb), ((1, 1), (1, 1), (0, 0)), mode="edge")
    matches = []
    for rank, (value, index, top, left) in enumerate(placements):
        verify = rank < _CANDIDATES and value >= MATCH_THRESHOLD
        colour = _colour_agreement(level, index, rgb, lab, top, left) if verify else 0.0
        height, width = level.sizes[index]
        matches.append(MarkMatch(level.names[index], value, level.scales[index], (left + width / 2) / side, (top + height / 2) / side, colour))
    return matches


def find_mark(square: Image.Image, marks: tuple[Mark, ...], min_scale: float, max_scale: float) -> MarkMatch:
    """The best match of any mark in a square RGB image, over every level, size and position.

    A verified match (shape and colours) beats any unverified one; among equals the
    better shape wins.
    """
    if square.mode != "RGB" or square.width != square.height:
        raise ValueError("find_mark needs a square RGB image")
    best = MarkMatch(marks[0].name, -1.0, min_scale, 0.5, 0.5)
    for level in _levels(marks, min_scale, max_scale):
        method = Image.Resampling.BOX if square.width >= level.side else Image.Resampling.BICUBIC
        copy = np.asarray(square.resize((level.side, level.side), method), dtype=np.uint8)
        for match in _search(level, copy):
            if (match.found, match.score) > (best.found, best.score):
                best = match
    return best
