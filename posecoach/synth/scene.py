"""The room: a wooden floor, a back wall with a skirting board, an optional exercise mat and props.

The background is static for a clip, so it is ray cast once into an image and a depth buffer that every
frame starts from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from posecoach.synth.camera import Camera
from posecoach.synth.primitives import Box
from posecoach.synth.raster import FloatImage, Rasteriser

RGB = tuple[float, float, float]

WALLS: tuple[RGB, ...] = ((0.86, 0.83, 0.76), (0.78, 0.82, 0.84), (0.84, 0.80, 0.84), (0.80, 0.84, 0.78))
FLOORS: tuple[RGB, ...] = ((0.60, 0.45, 0.30), (0.70, 0.58, 0.42), (0.48, 0.40, 0.34), (0.62, 0.62, 0.60))
MATS: tuple[RGB, ...] = ((0.30, 0.55, 0.65), (0.55, 0.30, 0.50), (0.35, 0.50, 0.30), (0.20, 0.22, 0.45))
#: How much of the room's light a black backdrop returns: as black cloth under a lamp, the picture's mean then
#: reads about 25, as it did behind a real person lit in front of a black backdrop (23-27).
DARK_BACKDROP = 0.2


@dataclass(frozen=True, slots=True)
class Room:
    """wall_gap: metres from the camera's target to the back wall; mat: (x0, y0, x1, y1) floor rectangle
    in the scene frame or None; props: boxes drawn into the background (e.g. a couch)."""

    wall: RGB
    floor: RGB
    mat_colour: RGB
    mat: tuple[float, float, float, float] | None
    props: tuple[Box, ...]
    wall_gap: float = 1.6
    #: Wall and floor black, as behind a person lit in a dark room or in front of a black backdrop.
    dark: bool = False


def sample_room(rng: np.random.Generator, mat: tuple[float, float, float, float] | None,
                props: tuple[Box, ...] = ()) -> Room:
    """Random wall, floor and mat colours."""
    return Room(wall=WALLS[int(rng.integers(len(WALLS)))], floor=FLOORS[int(rng.integers(len(FLOORS)))],
                mat_colour=MATS[int(rng.integers(len(MATS)))], mat=mat, props=props)


def render_background(room: Room, raster: Rasteriser) -> tuple[FloatImage, npt.NDArray[np.float64]]:
    """(image (H, W, 3) float32, depth (H, W) float64) of the empty room seen by the rasteriser's camera."""
    cam: Camera = raster.camera
    rays = cam.rays()
    origin = cam.centre
    right, away = cam.level_axes()
    with np.errstate(divide="ignore", invalid="ignore"):
        t_floor = np.where(rays[..., 2] < 0.0, -origin[2] / rays[..., 2], np.inf)
        wall_dist = cam.distance + room.wall_gap
        t_wall = np.where(rays @ away > 1e-6, wall_dist / (rays @ away), np.inf)
    floor = t_floor < t_wall
    depth = np.where(floor, t_floor, t_wall)
    hit = origin[None, None, :] + np.where(np.isfinite(depth), depth, 0.0)[..., None] * rays
    light = raster.lighting

    floor_rgb = np.broadcast_to(np.asarray(room.floor, dtype=np.float64), hit.shape).copy()
    # Planks: thin dark seams every 14 cm across the camera's view, a slight tone change per board.
    along = hit[..., :2] @ right[:2]
    board = np.floor(along / 0.14)
    floor_rgb *= (0.94 + 0.06 * np.cos(board * 2.3))[..., None]
    seam = np.abs(along / 0.14 - np.round(along / 0.14)) < 0.035
    floor_rgb[seam] *= 0.75
    if room.mat is not None:
        x0, y0, x1, y1 = room.mat
        on_mat = (hit[..., 0] > x0) & (hit[..., 0] < x1) & (hit[..., 1] > y0) & (hit[..., 1] < y1)
        floor_rgb[on_mat] = room.mat_colour
    floor_light = light.ambient + light.sky + light.key_strength * max(0.0, float(light.key[2]))

    wall_rgb = np.broadcast_to(np.asarray(room.wall, dtype=np.float64), hit.shape).copy()
    skirting = hit[..., 2] < 0.09
    wall_rgb[skirting] = (0.93, 0.93, 0.90)
    wall_rgb *= (0.92 + 0.08 * np.clip(hit[..., 2] / 2.5, 0.0, 1.0))[..., None]
    wall_light = light.ambient + light.key_strength * max(0.0, float(-light.key @ away)) + light.fill

    image = np.where(floor[..., None], floor_rgb * floor_light, wall_rgb * wall_light).astype(np.float32)
    if room.dark:
        image *= DARK_BACKDROP
    # The floor-wall junction: a dark line marks the horizon of the room.
    edge = np.abs(depth - t_wall) < 1e-9
    edge &= np.abs(hit[..., 2]) < 0.008
    image[edge] *= 0.6
    depth = depth.copy()
    raster.draw(room.props, image, depth)
    return image, depth
