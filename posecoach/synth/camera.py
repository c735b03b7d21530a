"""Pinhole camera placed around a target on the floor, and projection of scene points to pixels.

Pixel coordinates are continuous with pixel (i, j) covering [i, i+1) x [j, j+1), so x_px = x_norm * width
for MediaPipe's normalised coordinates, and the optical axis lands on (width / 2, height / 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

Vec = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Camera:
    """yaw: azimuth of the camera around the target, degrees (0 = on the +y side looking toward -y,
    i.e. on the left of a person facing +x). pitch: downward tilt, degrees. distance: horizontal metres from
    the target. height: camera height above the floor, m. fov: vertical field of view, degrees."""

    yaw: float
    pitch: float
    distance: float
    height: float
    fov: float
    target_x: float
    target_y: float
    width: int = 640
    image_height: int = 480

    @property
    def centre(self) -> Vec:
        """Camera position (3,) in the scene frame."""
        y = math.radians(self.yaw)
        return np.array([self.target_x + self.distance * math.sin(y),
                         self.target_y + self.distance * math.cos(y), self.height])

    @property
    def basis(self) -> Vec:
        """(3, 3) rows: image right, image down, optical axis (forward), in the scene frame."""
        y, p = math.radians(self.yaw), math.radians(self.pitch)
        level = np.array([-math.sin(y), -math.cos(y), 0.0])
        forward = math.cos(p) * level + np.array([0.0, 0.0, -math.sin(p)])
        right = np.cross(forward, np.array([0.0, 0.0, 1.0]))
        right /= np.linalg.norm(right)
        down = np.cross(forward, right)
        return np.stack([right, down, forward])

    @property
    def focal_px(self) -> float:
        """Focal length in pixels."""
        return 0.5 * self.image_height / math.tan(math.radians(0.5 * self.fov))

    def to_camera(self, points: npt.ArrayLike) -> Vec:
        """(N, 3) scene points -> (N, 3) camera coordinates (right, down, depth) in m."""
        return (np.asarray(points, dtype=np.float64).reshape(-1, 3) - self.centre) @ self.basis.T

    def project(self, points: npt.ArrayLike) -> Vec:
        """(N, 3) scene points -> (N, 2) pixel coordinates."""
        q = self.to_camera(points)
        f = self.focal_px
        return np.stack([0.5 * self.width + f * q[:, 0] / q[:, 2],
                         0.5 * self.image_height + f * q[:, 1] / q[:, 2]], axis=1)

    def rays(self) -> Vec:
        """(height, width, 3) unit ray directions through pixel centres, scene frame."""
        f = self.focal_px
        u = (np.arange(self.width) + 0.5 - 0.5 * self.width) / f
        v = (np.arange(self.image_height) + 0.5 - 0.5 * self.image_height) / f
        uu, vv = np.meshgrid(u, v)
        d = np.stack([uu, vv, np.ones_like(uu)], axis=-1) @ self.basis
        return d / np.linalg.norm(d, axis=-1, keepdims=True)

    def level_axes(self) -> tuple[Vec, Vec]:
        """Horizontal unit vectors (3,): image-right and away-from-camera, both with z = 0."""
        y = math.radians(self.yaw)
        away = np.array([-math.sin(y), -math.cos(y), 0.0])
        right = np.cross(away, np.array([0.0, 0.0, 1.0]))
        return right, away


def frame_spheres(camera: Camera, centres: Vec, radii: npt.NDArray[np.float64], fill: float = 0.82,
                  min_height: float = 0.25, iterations: int = 12) -> Camera:
    """Move the target, distance and height (yaw, pitch and fov kept) so that spheres `centres` (N, 3) /
    `radii` (N,) fill `fill` of the frame's tighter dimension, centred."""
    cam = camera
    for _ in range(iterations):
        q = cam.to_camera(centres)
        f = cam.focal_px
        z = np.maximum(q[:, 2], 1e-3)
        u = 0.5 * cam.width + f * q[:, 0] / z
        v = 0.5 * cam.image_height + f * q[:, 1] / z
        r = f * radii / z
        u0, u1 = float(np.min(u - r)), float(np.max(u + r))
        v0, v1 = float(np.min(v - r)), float(np.max(v + r))
        zm = float(np.median(z))
        right, _ = cam.level_axes()
        shift = right * (0.5 * (u0 + u1) - 0.5 * cam.width) * zm / f
        height = max(min_height, cam.height - (0.5 * (v0 + v1) - 0.5 * cam.image_height) * zm / f)
        scale = max((u1 - u0) / cam.width, (v1 - v0) / cam.image_height) / fill
        cam = replace(cam, target_x=cam.target_x + float(shift[0]), target_y=cam.target_y + float(shift[1]),
                      height=height, distance=max(0.8, cam.distance * (1.0 + 0.7 * (scale - 1.0))))
    return cam
