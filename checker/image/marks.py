"""Find an approved brand mark in an image, at any reasonable scale and position.

Both the image and each mark become soft edge maps (colour gradient magnitude,
compressed and slightly blurred), so a mark is found whatever its background,
whether it is drawn dark on light or light on dark. Each mark is tried at a
range of sizes (a geometric series between the identity's smallest and largest
scale, as a share of the image's shorter side); normalised cross-correlation at
every position is computed with one FFT of the image and the cached FFTs of
the templates. The best score over marks, sizes and positions decides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from checker.image.identity import Mark

# Side of the square the search runs on: enough to see a mark at avatar sizes.
SEARCH_SIDE = 96
# FFT size: at least SEARCH_SIDE + the largest template side - 1.
_FFT_SIDE = 192
# Neighbouring template sizes differ by this factor.
SCALE_STEP = 1.12
# Gradients at or above this (0-255 units, summed over RGB) count as a full edge.
_EDGE_FULL = 60.0
# Normalised cross-correlation at or above this means the mark is present.
MATCH_THRESHOLD = 0.65


@dataclass(frozen=True, slots=True)
class MarkMatch:
    """The best placement of the best-matching mark."""

    name: str
    score: float  # normalised cross-correlation, -1..1
    scale: float  # the mark's longer side as a share of the image's shorter side
    x: float  # centre of the match, as a share of the width (0 left, 1 right)
    y: float  # and of the height

    @property
    def found(self) -> bool:
        return self.score >= MATCH_THRESHOLD

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "score": round(self.score, 3), "scale": round(self.scale, 3), "x": round(self.x, 3), "y": round(self.y, 3)}


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
class _Templates:
    names: tuple[str, ...]
    scales: tuple[float, ...]
    sizes: tuple[tuple[int, int], ...]  # (height, width) of each template
    spectra: NDArray[np.complex64]  # (n, 2, FFT, FFT//2+1): conjugated FFT of the zero-mean template
    norms: NDArray[np.float32]  # (n,): the templates' L2 norms after removing the mean


def _mark_edges(mark: Image.Image, width: int, height: int) -> NDArray[np.float32]:
    """Edges of a mark at a given size: its silhouette and its inner drawing."""
    small = np.asarray(mark.resize((width, height), Image.Resampling.LANCZOS), dtype=np.float32)
    alpha = small[..., 3:4] / 255.0
    # Over black and over white: an edge is one the mark shows against either.
    over_black = small[..., :3] * alpha
    over_white = over_black + 255.0 * (1 - alpha)
    pad = ((1, 1), (1, 1), (0, 0))
    edges = np.maximum(edge_map(np.pad(over_black, pad)), edge_map(np.pad(over_white, pad)))
    return edges[:, 1:-1, 1:-1]


@lru_cache(maxsize=8)
def _templates(marks: tuple[Mark, ...], min_scale: float, max_scale: float) -> _Templates:
    names, scales, sizes, spectra, norms = [], [], [], [], []
    for mark in marks:
        aspect = mark.image.width / mark.image.height
        for scale in _scales(min_scale, max_scale):
            longer = max(8, round(scale * SEARCH_SIDE))
            width, height = (longer, max(4, round(longer / aspect))) if aspect >= 1 else (max(4, round(longer * aspect)), longer)
            template = _mark_edges(mark.image, width, height)
            template = template - template.mean(axis=(1, 2), keepdims=True)
            padded = np.zeros((2, _FFT_SIDE, _FFT_SIDE), np.float32)
            padded[:, :height, :width] = template
            names.append(mark.name)
            scales.append(scale)
            sizes.append((height, width))
            spectra.append(np.conj(np.fft.rfft2(padded)).astype(np.complex64))
            norms.append(float(np.sqrt((template.astype(np.float64) ** 2).sum())))
    return _Templates(tuple(names), tuple(scales), tuple(sizes), np.stack(spectra), np.asarray(norms, np.float32))


def _integral(values: NDArray[np.float64]) -> NDArray[np.float64]:
    integral = np.zeros((values.shape[0] + 1, values.shape[1] + 1))
    integral[1:, 1:] = values.cumsum(0).cumsum(1)
    return integral


def _window_sums(integral: NDArray[np.float64], height: int, width: int) -> NDArray[np.float64]:
    """Sum over every height x width window (valid positions only), from an integral image."""
    return integral[height:, width:] - integral[:-height, width:] - integral[height:, :-width] + integral[:-height, :-width]


def find_mark(square_rgb: NDArray[np.float32], marks: tuple[Mark, ...], min_scale: float, max_scale: float) -> MarkMatch:
    """Best match of any mark in a square RGB image (float 0..255) of side SEARCH_SIDE."""
    if square_rgb.shape[:2] != (SEARCH_SIDE, SEARCH_SIDE):
        raise ValueError(f"find_mark needs a {SEARCH_SIDE}x{SEARCH_SIDE} image")
    templates = _templates(marks, min_scale, max_scale)
    edges = edge_map(square_rgb)
    padded = np.zeros((2, _FFT_SIDE, _FFT_SIDE), np.float32)
    padded[:, :SEARCH_SIDE, :SEARCH_SIDE] = edges
    spectrum = np.fft.rfft2(padded)
    correlations = np.fft.irfft2(
        spectrum[0] * templates.spectra[:, 0] + spectrum[1] * templates.spectra[:, 1], s=(_FFT_SIDE, _FFT_SIDE)
    )
    edges64 = edges.astype(np.float64)
    sums = [_integral(channel) for channel in edges64]
    sums_of_squares = [_integral(channel**2) for channel in edges64]
    best = MarkMatch(templates.names[0], -1.0, templates.scales[0], 0.5, 0.5)
    window_cache: dict[tuple[int, int], NDArray[np.float64]] = {}
    for index, (height, width) in enumerate(templates.sizes):
        if height > SEARCH_SIDE or width > SEARCH_SIDE:
            continue
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
        score = correlations[index, :rows, :cols] / (window_norm * max(float(templates.norms[index]), 1e-9))
        position = int(np.argmax(score))
        value = float(score.flat[position])
        if value > best.score:
            top, left = divmod(position, cols)
            best = MarkMatch(
                templates.names[index],
                value,
                templates.scales[index],
                (left + width / 2) / SEARCH_SIDE,
                (top + height / 2) / SEARCH_SIDE,
            )
    return best
