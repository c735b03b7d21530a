"""Turning posed figures into camera images: background once per clip, figure per frame, sensor effects."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from posecoach.synth.camera import Camera
from posecoach.synth.posing import Posed
from posecoach.synth.raster import Rasteriser
from posecoach.synth.scene import Room, render_background


GRAIN_POOL = 8


@dataclass(frozen=True, slots=True)
class Sensor:
    """blur: Gaussian sigma in pixels (softens aliased edges like a lens); noise: sigma in 0..255 levels."""

    blur: float = 0.7
    noise: float = 0.9


class FrameRenderer:
    """Renders frames of one clip: a fixed camera and room, a figure that changes every frame."""

    def __init__(self, camera: Camera, room: Room, sensor: Sensor = Sensor()) -> None:
        self.camera = camera
        self.sensor = sensor
        self._raster = Rasteriser(camera)
        self._background, self._depth = render_background(room, self._raster)
        self._grain: npt.NDArray[np.float32] | None = None

    def render_rgb(self, posed: Posed) -> npt.NDArray[np.float32]:
        """(H, W, 3) float32 RGB in 0..1, without sensor effects."""
        image = self._background.copy()
        depth = self._depth.copy()
        self._raster.draw(posed.prims, image, depth)
        return image

    def render(self, posed: Posed, rng: np.random.Generator | None = None) -> npt.NDArray[np.uint8]:
        """(H, W, 3) uint8 BGR frame with blur and (if rng is given) sensor noise, ready for a video writer."""
        image = self.render_rgb(posed)
        if self.sensor.blur > 0.0:
            image = cv2.GaussianBlur(image, (0, 0), self.sensor.blur)
        levels = image[..., ::-1] * 255.0
        if rng is not None and self.sensor.noise > 0.0:
            if self._grain is None:
                # A small pool of luminance grain planes, drawn once: fresh normals every frame would cost
                # more than the rendering. Each frame picks a plane and a flip.
                pool = rng.standard_normal((GRAIN_POOL, *levels.shape[:2]), dtype=np.float32) * self.sensor.noise
                self._grain = pool
            k = int(rng.integers(GRAIN_POOL * 4))
            plane = self._grain[k % GRAIN_POOL]
            plane = plane[::-1] if k // GRAIN_POOL & 1 else plane
            plane = plane[:, ::-1] if k // GRAIN_POOL & 2 else plane
            levels += plane[..., None]
        return np.clip(levels + 0.5, 0.0, 255.0).astype(np.uint8)
