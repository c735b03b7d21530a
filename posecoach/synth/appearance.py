"""Clothing, skin and hair colours of one clip's person, drawn from small palettes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RGB = tuple[float, float, float]

SKIN: tuple[RGB, ...] = (
    (0.96, 0.80, 0.69), (0.91, 0.72, 0.58), (0.80, 0.60, 0.45), (0.64, 0.45, 0.32), (0.46, 0.31, 0.22),
)
SHIRT: tuple[RGB, ...] = (
    (0.80, 0.16, 0.16), (0.15, 0.35, 0.75), (0.12, 0.55, 0.30), (0.92, 0.50, 0.10), (0.10, 0.55, 0.60),
    (0.45, 0.22, 0.60), (0.85, 0.78, 0.20), (0.30, 0.30, 0.34),
)
TROUSERS: tuple[RGB, ...] = (
    (0.10, 0.12, 0.22), (0.08, 0.08, 0.09), (0.24, 0.25, 0.28), (0.55, 0.48, 0.34), (0.14, 0.28, 0.18),
    (0.20, 0.30, 0.50),
)
SHOES: tuple[RGB, ...] = ((0.92, 0.92, 0.90), (0.10, 0.10, 0.11), (0.50, 0.52, 0.56), (0.75, 0.15, 0.12))
HAIR: tuple[RGB, ...] = (
    (0.07, 0.06, 0.05), (0.22, 0.13, 0.07), (0.40, 0.26, 0.14), (0.80, 0.66, 0.40), (0.55, 0.22, 0.10),
    (0.55, 0.55, 0.55),
)


@dataclass(frozen=True, slots=True)
class Appearance:
    """Colours (RGB in 0..1) and garment choices of one person."""

    skin: RGB
    shirt: RGB
    trousers: RGB
    shoes: RGB
    hair: RGB
    long_sleeves: bool
    shorts: bool

    @property
    def lips(self) -> RGB:
        """A darker, redder version of the skin."""
        r, g, b = self.skin
        return (0.75 * r, 0.42 * g, 0.42 * b)


def _pick(rng: np.random.Generator, palette: tuple[RGB, ...]) -> RGB:
    return palette[int(rng.integers(len(palette)))]


def sample_appearance(rng: np.random.Generator) -> Appearance:
    """A random outfit; shirt and trousers are redrawn until they contrast, so the trunk and legs separate."""
    skin = _pick(rng, SKIN)
    shirt = _pick(rng, SHIRT)
    trousers = _pick(rng, TROUSERS)
    while float(np.abs(np.subtract(shirt, trousers)).sum()) < 0.45:
        trousers = _pick(rng, TROUSERS)
    return Appearance(skin=skin, shirt=shirt, trousers=trousers, shoes=_pick(rng, SHOES), hair=_pick(rng, HAIR),
                      long_sleeves=bool(rng.random() < 0.35), shorts=bool(rng.random() < 0.25))
