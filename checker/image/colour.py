"""Colour science for the palette check: sRGB to CIELAB and CIEDE2000, vectorised.

CIEDE2000 follows Sharma, Wu and Dalal (2005), "The CIEDE2000 colour-difference
formula: implementation notes, supplementary test data, and mathematical
observations" (Color Research & Application 30(1)); tests/test_image_colour.py
checks it against their 34 reference pairs. The formula is not symmetric in
every rounding detail, so callers pass the brand colour as the reference (`lab1`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

# D65 reference white (CIE 1931 2° observer), the white point of sRGB.
_WHITE_D65 = np.array([0.95047, 1.0, 1.08883])
# sRGB (IEC 61966-2-1) linear RGB to XYZ.
_SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_EPSILON = 216 / 24389
_KAPPA = 24389 / 27


def _linearise(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """sRGB companding undone: 0..1 encoded values to linear light."""
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)


_LINEAR_LUT = _linearise(np.arange(256) / 255.0)


def parse_hex(value: str) -> tuple[int, int, int]:
    """'#C8102E' -> (200, 16, 46); raises ValueError on anything else."""
    text = value.strip()
    if len(text) != 7 or text[0] != "#":
        raise ValueError(f"colour {value!r} must be written #RRGGBB")
    try:
        return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)
    except ValueError:
        raise ValueError(f"colour {value!r} must be written #RRGGBB") from None


def to_hex(rgb: ArrayLike) -> str:
    r, g, b = (int(round(float(c))) for c in np.asarray(rgb).reshape(3))
    return f"#{r:02X}{g:02X}{b:02X}"


def srgb_to_lab(rgb: ArrayLike) -> NDArray[np.float64]:
    """8-bit sRGB values (..., 3) to CIELAB (D65), same leading shape."""
    values = np.asarray(rgb)
    if values.dtype == np.uint8:
        linear = _LINEAR_LUT[values]  # the common case: a table instead of a power per channel
    else:
        values = values.astype(np.float64) / 255.0
        linear = _linearise(values)
    xyz = linear @ (_SRGB_TO_XYZ.T / _WHITE_D65)
    f = np.where(xyz > _EPSILON, np.cbrt(xyz), (_KAPPA * xyz + 16) / 116)
    lightness = 116 * f[..., 1] - 16
    a = 500 * (f[..., 0] - f[..., 1])
    b = 200 * (f[..., 1] - f[..., 2])
    return np.stack([lightness, a, b], axis=-1)


def delta_e_2000(lab1: ArrayLike, lab2: ArrayLike) -> NDArray[np.float64]:
    """CIEDE2000 colour difference between broadcastable arrays of Lab triples (..., 3).

    `lab1` is the reference (the brand colour); kL = kC = kH = 1.
    """
    lab1 = np.asarray(lab1, dtype=np.float64)
    lab2 = np.asarray(lab2, dtype=np.float64)
    l1, a1, b1 = lab1[..., 0], lab1[..., 1], lab1[..., 2]
    l2, a2, b2 = lab2[..., 0], lab2[..., 1], lab2[..., 2]

    c1 = np.hypot(a1, b1)
    c2 = np.hypot(a2, b2)
    c_mean7 = ((c1 + c2) / 2) ** 7
    g = 0.5 * (1 - np.sqrt(c_mean7 / (c_mean7 + 25.0**7)))
    a1p = (1 + g) * a1
    a2p = (1 + g) * a2
    c1p = np.hypot(a1p, b1)
    c2p = np.hypot(a2p, b2)
    # Hue angles in degrees, 0 where the chroma is 0 (eq. 7).
    h1p = np.where((a1p == 0) & (b1 == 0), 0.0, np.degrees(np.arctan2(b1, a1p)) % 360)
    h2p = np.where((a2p == 0) & (b2 == 0), 0.0, np.degrees(np.arctan2(b2, a2p)) % 360)

    delta_l = l2 - l1
    delta_c = c2p - c1p
    chroma_product = c1p * c2p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, dh)
    dh = np.where(dh < -180, dh + 360, dh)
    dh = np.where(chroma_product == 0, 0.0, dh)
    delta_h = 2 * np.sqrt(chroma_product) * np.sin(np.radians(dh / 2))

    l_mean = (l1 + l2) / 2
    c_mean_p = (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_mean = np.where(
        chroma_product == 0,
        h_sum,
        np.where(
            np.abs(h1p - h2p) <= 180,
            h_sum / 2,
            np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2),
        ),
    )
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    delta_theta = 30 * np.exp(-(((h_mean - 275) / 25) ** 2))
    c_mean_p7 = c_mean_p**7
    r_c = 2 * np.sqrt(c_mean_p7 / (c_mean_p7 + 25.0**7))
    l_offset = (l_mean - 50) ** 2
    s_l = 1 + 0.015 * l_offset / np.sqrt(20 + l_offset)
    s_c = 1 + 0.045 * c_mean_p
    s_h = 1 + 0.015 * c_mean_p * t
    r_t = -np.sin(np.radians(2 * delta_theta)) * r_c
    term_l = delta_l / s_l
    term_c = delta_c / s_c
    term_h = delta_h / s_h
    return np.sqrt(term_l**2 + term_c**2 + term_h**2 + r_t * term_c * term_h)


def nearest(lab: ArrayLike, palette_lab: ArrayLike) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """For each colour (N, 3), the index of the nearest palette colour (P, 3) and its ΔE2000."""
    lab = np.asarray(lab, dtype=np.float64).reshape(-1, 3)
    palette_lab = np.asarray(palette_lab, dtype=np.float64).reshape(-1, 3)
    distances = delta_e_2000(palette_lab[None, :, :], lab[:, None, :])  # (N, P), brand colour as reference
    index = np.argmin(distances, axis=1)
    return index, distances[np.arange(len(lab)), index]
