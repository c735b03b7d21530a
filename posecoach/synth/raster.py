"""Z-buffered ray casting of primitives, each only inside its screen bounding box.

Images are (height, width, 3) float32 RGB in 0..1; depth buffers are (height, width) float64 metres along
the pixel's ray.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from posecoach.synth.camera import Camera
from posecoach.synth.primitives import Primitive, bounding_spheres, intersect

FloatImage = npt.NDArray[np.float32]
Vec = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Lighting:
    """A key light (unit direction toward the light, scene frame), a sky term and a camera-side fill."""

    key: Vec
    key_strength: float = 0.62
    ambient: float = 0.30
    sky: float = 0.10
    fill: float = 0.14


def default_lighting(camera: Camera) -> Lighting:
    """Key light above, in front of and to the side of the camera, so faces toward the lens are lit."""
    right, down, forward = camera.basis
    key = -0.55 * forward - 0.75 * down - 0.35 * right + np.array([0.0, 0.0, 0.4])
    return Lighting(key=key / np.linalg.norm(key))


class Rasteriser:
    """Casts the camera's rays at primitives. Holds only per-clip constants (rays, camera, light)."""

    def __init__(self, camera: Camera, lighting: Lighting | None = None) -> None:
        self.camera = camera
        self.lighting = lighting or default_lighting(camera)
        self._rays = camera.rays()
        self._origin = camera.centre
        # The camera's frame is a computed property; bounding boxes need it ~40 times a frame.
        self._basis_t = camera.basis.T.copy()
        self._forward = camera.basis[2]
        half = self.lighting.key - self._forward
        self._half = half / np.linalg.norm(half)

    def bbox(self, prim: Primitive) -> tuple[int, int, int, int] | None:
        """Pixel bounds (x0, y0, x1, y1), end-exclusive, of the primitive's projection; None if off-screen."""
        cam = self.camera
        f = cam.focal_px
        x0, y0, x1, y1 = np.inf, np.inf, -np.inf, -np.inf
        for centre, radius in bounding_spheres(prim):
            x, y, z = (float(v) for v in (centre - self._origin) @ self._basis_t)
            if z <= radius * 1.05:
                return 0, 0, cam.width, cam.image_height
            # Exact image extent of a sphere: the rays tangent to it in the x-z and y-z planes.
            den = z * z - radius * radius
            du = radius * np.sqrt(x * x + den)
            dv = radius * np.sqrt(y * y + den)
            x0 = min(x0, 0.5 * cam.width + f * (x * z - du) / den)
            x1 = max(x1, 0.5 * cam.width + f * (x * z + du) / den)
            y0 = min(y0, 0.5 * cam.image_height + f * (y * z - dv) / den)
            y1 = max(y1, 0.5 * cam.image_height + f * (y * z + dv) / den)
        bx0, by0 = max(0, int(np.floor(x0)) - 1), max(0, int(np.floor(y0)) - 1)
        bx1, by1 = min(cam.width, int(np.ceil(x1)) + 2), min(cam.image_height, int(np.ceil(y1)) + 2)
        if bx0 >= bx1 or by0 >= by1:
            return None
        return bx0, by0, bx1, by1

    def shade(self, colour: tuple[float, float, float], shine: float, normal: Vec) -> npt.NDArray[np.float32]:
        """(N, 3) normals -> (N, 3) RGB: Lambert key + ambient/sky + camera fill + a little Blinn specular."""
        lt = self.lighting
        ndl = np.clip(normal @ lt.key, 0.0, None)
        intensity = (lt.ambient + lt.sky * normal[:, 2] + lt.key_strength * ndl
                     + lt.fill * np.clip(-(normal @ self._forward), 0.0, None))
        rgb = intensity[:, None] * np.asarray(colour)[None, :]
        if shine > 0.0:
            rgb += shine * (np.clip(normal @ self._half, 0.0, None) ** 24)[:, None]
        return rgb.astype(np.float32)

    def draw(self, prims: Sequence[Primitive], image: FloatImage, depth: npt.NDArray[np.float64]) -> None:
        """Draw primitives into `image` / `depth` in place, nearest surface wins."""
        for prim in prims:
            box = self.bbox(prim)
            if box is None:
                continue
            x0, y0, x1, y1 = box
            rd = self._rays[y0:y1, x0:x1].reshape(-1, 3)
            t, normal = intersect(prim, self._origin, rd)
            zb = depth[y0:y1, x0:x1].reshape(-1)
            win = t < zb
            if not win.any():
                continue
            idx = np.flatnonzero(win)
            zb[idx] = t[idx]
            depth[y0:y1, x0:x1] = zb.reshape(y1 - y0, x1 - x0)
            sub = image[y0:y1, x0:x1].reshape(-1, 3)
            sub[idx] = self.shade(prim.colour, prim.shine, normal[idx])
            image[y0:y1, x0:x1] = sub.reshape(y1 - y0, x1 - x0, 3)
